/**
 * GET /api/v1/status from memory (live/status-model.ts), through the real agent socket and API: it says what a fresh
 * computation says (`collectStatus`, which the CLI runs), a stored result or gap shows on the very next request, a
 * request recomputes only the agents that changed, and a tenant's request reads no other tenant's agents.
 */
import t, { type Test } from 'tap';
import type { Result, StatusResponse } from '@nines/shared';
import { startWorld, type World } from '../api/helpers.ts';
import { hello, nextMessage, result, sendAcked } from '../helpers/collector.ts';
import { collectStatus } from '../../src/status.ts';
import { STATUS_MAX_AGE_MS } from '../../src/live/status-model.ts';

async function agentSocket(w: World, creds: { agentId: string; secret: string }) {
  const socket = await w.c.agentSocket(creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  return { socket, send: (batch: Result[]) => sendAcked(socket, batch) };
}

/** A clock the test moves; it starts at the real time so the helpers' results (Date.now() based) are recent. */
function testClock() {
  let now = Date.now();
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

/** A collector on a test clock with acme's and globex's agents connected; everything stops with the test. */
async function twoTenants(t: Test) {
  const time = testClock();
  const w = await startWorld({ clock: time.clock });
  t.teardown(w.c.close);
  const acme = await agentSocket(w, w.acmeAgent);
  const globex = await agentSocket(w, w.globexAgent);
  t.teardown(() => (acme.socket.close(), globex.socket.close()));
  return { time, w, acme, globex };
}

/** Which agents' checks the store was asked for since the last `clear`. */
function recordChecksRead(w: World) {
  const read: string[] = [];
  const original = w.c.store.listChecks.bind(w.c.store);
  w.c.store.listChecks = (agentId?: string) => (read.push(agentId ?? '*'), original(agentId));
  return { read, clear: () => (read.length = 0) };
}

t.test('the status in memory is what a fresh computation says, and a stored result or gap shows at once', async (t) => {
  const { time, w, acme, globex } = await twoTenants(t);
  await acme.send([result(1, { checkId: 'web', status: 'OK' }), result(2, { checkId: 'db', kind: 'tcp', status: 'OK' })]);
  await globex.send([result(1, { checkId: 'site', status: 'WARN', message: 'slow' })]);

  const fresh = () => collectStatus({ store: w.c.store, clock: time.clock });
  const first = await w.admin.json<StatusResponse>('GET', '/api/v1/status');
  t.equal(first.status, 200);
  t.same(first.body, await fresh(), 'the same as a fresh computation');
  t.equal(first.body.agents.flatMap((a) => a.checks).length, 3);

  // No time passes: only the event can make the next request see the new state.
  await acme.send([result(3, { checkId: 'web', status: 'CRIT', message: 'HTTP 502' })]);
  const after = await w.admin.json<StatusResponse>('GET', '/api/v1/status');
  const web = after.body.agents.find((a) => a.id === w.acmeAgent.agentId)!.checks.find((c) => c.id === 'web')!;
  t.match(web, { status: 'CRIT', message: 'HTTP 502' }, 'the new result, on the next request');
  t.same(after.body, await fresh(), 'still the same as a fresh computation');

  acme.socket.send(JSON.stringify({ type: 'gap', fromSeq: 4, toSeq: 9, from: time.clock() - 30_000, to: time.clock() - 20_000, reason: 'spool full' }));
  const end = Date.now() + 5_000;
  let lost = 0;
  while (lost === 0 && Date.now() < end) {
    const status = await w.admin.json<StatusResponse>('GET', '/api/v1/status');
    lost = status.body.agents.find((a) => a.id === w.acmeAgent.agentId)!.lostResults ?? 0;
    if (lost === 0) await new Promise((r) => setTimeout(r, 20));
  }
  t.equal(lost, 9 - 4 + 1, 'the gap\'s seqs are counted lost without waiting for the entry to age');

  const own = await w.acmeUser.json<StatusResponse>('GET', '/api/v1/status');
  t.same(own.body, await collectStatus({ store: w.c.store, clock: time.clock }, w.acme), "a client's request: its own agents, as fresh");
});

t.test('a request recomputes only the agents that changed, and reads no other tenant\'s agents', async (t) => {
  const { time, w, acme, globex } = await twoTenants(t);
  await acme.send([result(1, { checkId: 'web' })]);
  await globex.send([result(1, { checkId: 'site' })]);
  await w.admin.json('GET', '/api/v1/status');

  const checks = recordChecksRead(w);
  await w.admin.json('GET', '/api/v1/status');
  t.same(checks.read, [], 'nothing changed: no check is read');

  await globex.send([result(2, { checkId: 'site', status: 'WARN' })]);
  checks.clear();
  const own = await w.acmeUser.json<StatusResponse>('GET', '/api/v1/status');
  t.same(own.body.agents.map((a) => a.id), [w.acmeAgent.agentId]);
  t.same(checks.read, [], "another tenant's new result costs a client's request nothing");
  await w.admin.json('GET', '/api/v1/status');
  t.same(checks.read, [w.globexAgent.agentId], "the consultant's request recomputes only the agent that changed");

  checks.clear();
  const renamed = await w.admin.json('PATCH', `/api/v1/agents/${w.acmeAgent.agentId}`, { name: 'Kasse 1' });
  t.equal(renamed.status, 200);
  const afterRename = await w.admin.json<StatusResponse>('GET', '/api/v1/status');
  t.equal(afterRename.body.agents.find((a) => a.id === w.acmeAgent.agentId)!.name, 'Kasse 1', 'a rename through the API shows at once');
  t.same(checks.read, [w.acmeAgent.agentId], 'and recomputes that agent only');

  checks.clear();
  time.advance(STATUS_MAX_AGE_MS - 1);
  await w.admin.json('GET', '/api/v1/status');
  t.same(checks.read, [], 'younger than the maximum age: reused');
  time.advance(1);
  await w.admin.json('GET', '/api/v1/status');
  t.same(checks.read.sort(), [w.acmeAgent.agentId, w.globexAgent.agentId].sort(), 'aged: recomputed');
});

t.test("a client's hosts page reads from the same entries", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const acme = await agentSocket(w, w.acmeAgent);
  t.teardown(() => acme.socket.close());
  await acme.send([result(1, { checkId: 'web', status: 'WARN', message: 'slow' })]);
  const detail = await w.acmeUser.json<{ agents: StatusResponse['agents'] }>('GET', `/api/v1/clients/${w.acme}`);
  const status = await w.acmeUser.json<StatusResponse>('GET', '/api/v1/status');
  t.same(detail.body.agents, status.body.agents);
  t.match(detail.body.agents[0]!.checks, [{ id: 'web', status: 'WARN', message: 'slow' }]);
  const other = await w.acmeUser.json('GET', `/api/v1/clients/${w.globex}`);
  t.equal(other.status, 404, "another tenant's client is not found");
});
