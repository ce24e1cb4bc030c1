/**
 * The overview in memory: rows change with ingest (through the real agent socket), reach a dashboard's live socket
 * as 'overview' rows without any request, only the client's own dashboards get them, and a request reads only its
 * own tenants' checks.
 */
import t from 'tap';
import type { OverviewResponse, Result } from '@nines/shared';
import { startWorld, type World } from '../api/helpers.ts';
import { hello, liveOverview, nextMessage, result, sendAcked, until } from '../helpers/collector.ts';
import { OVERVIEW_FLUSH_MS } from '../../src/live/overview-model.ts';

async function agentSocket(w: World, creds: { agentId: string; secret: string }) {
  const socket = await w.c.agentSocket(creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  return { socket, send: (batch: Result[]) => sendAcked(socket, batch) };
}

const liveOf = (w: World, cookie: string) => liveOverview(w.c.url, cookie);

t.test('a status change: the next GET shows it, and the row is pushed to the own client\'s dashboards only', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const acme = await agentSocket(w, w.acmeAgent);
  t.teardown(() => acme.socket.close());
  await acme.send([result(1, { checkId: 'web', status: 'OK' })]);
  const first = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(first.body.clients.find((c) => c.id === w.acme)!.worst, 'OK');

  const anna = await liveOf(w, w.acmeUser.cookie);
  const admin = await liveOf(w, w.admin.cookie);
  const globex = await w.c.welcomedAgent('globex');
  t.teardown(() => (anna.socket.close(), admin.socket.close(), globex.socket.close()));
  anna.rows.length = 0;
  admin.rows.length = 0;
  await acme.send([result(2, { checkId: 'web', status: 'CRIT', message: 'HTTP 502' })]);
  t.ok(await until(() => anna.rows.some((m) => m.client.id === w.acme && m.client.worst === 'CRIT')), 'the client\'s own dashboard gets its row');
  t.ok(await until(() => admin.rows.some((m) => m.client.id === w.acme && m.client.worst === 'CRIT')), 'and the consultant\'s');
  const pushed = anna.rows.find((m) => m.client.worst === 'CRIT')!.client;
  t.same(pushed.counts, { OK: 0, WARN: 0, CRIT: 1, UNKNOWN: 0 });
  t.match(pushed.problems, [{ checkId: 'web', status: 'CRIT', message: 'HTTP 502' }]);
  const now = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.same(now.body.clients.find((c) => c.id === w.acme), pushed, 'what was pushed is what a GET reads');

  // Another tenant's change never reaches anna's socket, though it reaches the consultant's.
  globex.socket.send(JSON.stringify({ type: 'results', batch: [result(1, { checkId: 'site', status: 'WARN' })] }));
  t.ok(await until(() => admin.rows.some((m) => m.client.id === w.globex)), 'the consultant sees globex change');
  t.equal(anna.rows.filter((m) => m.client.id !== w.acme).length, 0, 'anna never sees another tenant\'s row');
});

t.test('nothing changed: nothing pushed; a request reads only its own tenants\' checks', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const acme = await agentSocket(w, w.acmeAgent);
  t.teardown(() => acme.socket.close());
  await acme.send([result(1, { checkId: 'web', status: 'OK', message: 'HTTP 200' })]);
  const admin = await liveOf(w, w.admin.cookie);
  t.teardown(() => admin.socket.close());
  await w.admin.json('GET', '/api/v1/overview');
  // A row computed but never pushed goes out once with the next flush.
  t.ok(await until(() => admin.rows.some((m) => m.client.id === w.acme)), 'first push of the row');
  await new Promise((r) => setTimeout(r, 2 * OVERVIEW_FLUSH_MS));
  admin.rows.length = 0;
  // The same OK again: the row's content is the same, so nothing goes out.
  await acme.send([result(2, { checkId: 'web', status: 'OK', message: 'HTTP 200' })]);
  await new Promise((r) => setTimeout(r, 3 * OVERVIEW_FLUSH_MS));
  t.equal(admin.rows.length, 0, 'an unchanged row is not pushed');

  const read: number[] = [];
  const original = w.c.store.listClientChecks.bind(w.c.store);
  w.c.store.listClientChecks = (clientId: number) => (read.push(clientId), original(clientId));
  await acme.send([result(3, { checkId: 'web', status: 'WARN' })]);
  read.length = 0;
  const own = await w.acmeUser.json<OverviewResponse>('GET', '/api/v1/overview');
  t.same(own.body.clients.map((c) => c.name), ['acme']);
  t.same([...new Set(read)].filter((id) => id !== w.acme), [], "a client's request reads no other tenant's checks");
  read.length = 0;
  await w.acmeUser.json('GET', '/api/v1/overview');
  t.same(read, [], 'a second request with nothing changed reads no checks at all');
});

t.test('a change a request read first is still pushed', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const acme = await agentSocket(w, w.acmeAgent);
  const admin = await liveOf(w, w.admin.cookie);
  t.teardown(() => (acme.socket.close(), admin.socket.close()));
  await acme.send([result(1, { checkId: 'web', status: 'OK' })]);
  t.ok(await until(() => admin.rows.some((m) => m.client.id === w.acme && m.client.worst === 'OK')));
  await acme.send([result(2, { checkId: 'web', status: 'WARN' })]);
  // Read at once, before the next flush: the read recomputes the row; the flush must push it all the same.
  const read = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(read.body.clients.find((c) => c.id === w.acme)!.worst, 'WARN');
  t.ok(await until(() => admin.rows.some((m) => m.client.id === w.acme && m.client.worst === 'WARN')), 'pushed');
});
