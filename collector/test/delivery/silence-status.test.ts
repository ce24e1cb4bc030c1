import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusResponse } from '@nines/shared';
import { SILENCE_AFTER_MS, START_GRACE_MS } from '../../src/ingest/silence.ts';
import { collectStatus } from '../../src/status.ts';
import { startCollector } from './helpers.ts';
import { closed, hello, nextMessage, result } from '../helpers/collector.ts';
import { rawGet } from '../helpers/raw-sql.ts';

const run = promisify(execFile);
const COLLECTOR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');

t.test('silence: max(3 heartbeats, 90 s), judged only after a start grace; UNKNOWN, never DOWN or UP; heard again clears it', async (t) => {
  t.equal(SILENCE_AFTER_MS, 90_000);
  t.ok(START_GRACE_MS >= SILENCE_AFTER_MS + 60_000, 'grace covers a full reconnect backoff plus the silence allowance');
  let now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const { silence } = c.app.delivery;
  const events: string[] = [];
  c.app.nines.events.on('agentSilent', (e) => events.push(`silent ${e.agentId} since ${e.silentSince - now}`));
  c.app.nines.events.on('agentHeard', (e) => events.push(`heard ${e.agentId}`));

  const creds = await c.addAgent();
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello({ sentAt: now })));
  await nextMessage(socket);
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { startedAt: now - 1000, finishedAt: now - 990, status: 'OK' })] }));
  await nextMessage(socket);
  const heardAt = now;
  socket.close();
  await closed(socket);

  now += START_GRACE_MS - 1;
  t.same(await silence.tick(), [], 'nobody is judged during the start grace, however long ago they were heard');
  now += 1;
  t.same(await silence.tick(), [creds.agentId], 'after the grace, an agent not heard from for over 90 s is silent');
  t.same(events, [`silent ${creds.agentId} since ${heardAt - now}`], 'silent since it was last heard');
  t.same(await silence.tick(), [], 'reported once');

  const status = (await collectStatus(c.app.nines)).agents[0]!;
  t.match(status, { id: creds.agentId, connected: false, silent: true, silentSince: heardAt });
  t.match(status.checks, [{ id: 'web', status: 'UNKNOWN', message: /^agent silent since / }], 'its checks are UNKNOWN, not the last OK');

  const back = await c.agentSocket(await creds);
  back.send(JSON.stringify(hello({ sentAt: now })));
  await nextMessage(back);
  t.same(events.at(-1), `heard ${creds.agentId}`);
  t.match((await collectStatus(c.app.nines)).agents[0], { silent: false, silentSince: null, connected: true, checks: [{ status: 'OK' }] });
  back.close();
  await closed(back);
});

t.test('a connected agent that keeps talking is never silent; one that stops is, 90 s after its last word', async (t) => {
  let now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const { silence } = c.app.delivery;
  now += START_GRACE_MS;
  const talker = await c.addAgent();
  const socket = await c.agentSocket(await talker);
  socket.send(JSON.stringify(hello({ sentAt: now })));
  await nextMessage(socket);
  for (let i = 1; i <= 4; i++) {
    now += 60_000;
    socket.send(JSON.stringify({ type: 'results', batch: [result(i, { startedAt: now - 100, finishedAt: now - 90 })] }));
    await nextMessage(socket);
    t.same(await silence.tick(), [], `minute ${i}: heard within 90 s`);
  }
  const revoked = await c.addAgent();
  await c.store.revokeAgent(revoked.agentId, now);
  now += SILENCE_AFTER_MS;
  t.same(await silence.tick(), [], 'exactly 90 s is not yet silent');
  now += 1;
  t.same(await silence.tick(), [talker.agentId], 'a revoked agent is gone, not silent');
  socket.close();
  await closed(socket);
});

t.test('status --json (another process, reading the database) shows per agent last seq, stored, backlog, clock offset, connection', async (t) => {
  const c = await startCollector({ keepDir: true });
  t.teardown(c.close);
  const creds = await c.addAgent('Praxis Dr. Weber');
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello({ sentAt: Date.now() + 42_000, backlog: 17, lastSeq: 20 })));
  await nextMessage(socket);
  socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2), result(3)], backlog: 17 }));
  await nextMessage(socket);
  const { stdout } = await run(process.execPath, [COLLECTOR, 'status', '--json', ...c.settings], { env: { ...process.env, NINES_LOG_LEVEL: 'silent' } });
  const status = JSON.parse(stdout) as StatusResponse;
  const agent = status.agents.find((a) => a.id === creds.agentId)!;
  t.match(agent, { client: 'Praxis Dr. Weber', connected: true, lastSeq: 3, storedResults: 3, backlog: 17, silent: false, lostResults: 0, revoked: false });
  t.ok(Math.abs(agent.clockOffsetMs! - 42_000) < 2_000, `clock skew visible: ${agent.clockOffsetMs} ms`);
  const human = await run(process.execPath, [COLLECTOR, 'status', ...c.settings], { env: { ...process.env, NINES_LOG_LEVEL: 'silent' } });
  t.match(human.stdout, /Praxis Dr\. Weber\/.* connected, last seq 3, 3 stored, backlog 17/);
  socket.close();
  await closed(socket);
});

t.test('a spool gap counts UNKNOWN in the 24 h availability, never UP; stored results inside it are kept', async (t) => {
  const now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const creds = await c.addAgent();
  const MIN = 60_000;
  const start = now - 120 * MIN;
  // results every minute for the first and the last 30 minutes; the hour between was dropped by the spool
  const early = Array.from({ length: 30 }, (_, i) => ({ ...result(i + 1), startedAt: start + i * MIN, finishedAt: start + i * MIN + 5 }));
  const late = Array.from({ length: 30 }, (_, i) => ({ ...result(i + 91, { status: 'CRIT' }), startedAt: start + (90 + i) * MIN, finishedAt: start + (90 + i) * MIN + 5 }));
  // an hourly check: each result may cover up to 2 h, so without the gap the last early OK would cover the whole hole
  await c.store.assignChecks(creds.agentId, [{ kind: 'http', id: 'web', url: 'http://127.0.0.1/', interval: '1h' }]);
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello({ sentAt: now })));
  await nextMessage(socket);
  socket.send(JSON.stringify({ type: 'results', batch: early }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 30 });
  // the agent reports a gap that overlaps results the collector already stored (their ack was lost)
  socket.send(JSON.stringify({ type: 'gap', fromSeq: 21, toSeq: 90, from: start + 20 * MIN, to: start + 90 * MIN, reason: 'agent spool over its cap' }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 90 });
  socket.send(JSON.stringify({ type: 'results', batch: late }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 120 });
  const gap = await rawGet(c.store, 'SELECT from_seq, to_seq, from_at, to_at FROM gaps');
  t.same(gap, { from_seq: 31, to_seq: 90, from_at: start + 29 * MIN + 5, to_at: start + 90 * MIN }, 'trimmed to what is really missing');
  const agent = (await collectStatus(c.app.nines)).agents[0]!;
  t.match(agent, { lastSeq: 120, storedResults: 60, lostResults: 60 });
  t.equal(agent.lastSeq, agent.storedResults + agent.lostResults!, 'every seq is stored or accounted for as lost');
  // UP from the early results up to the gap, DOWN for the late half hour; the gap itself is neither.
  const up = 29 * MIN + 5;
  const down = 30 * MIN;
  t.equal(agent.checks[0]!.availability24h, up / (up + down), 'the gap is not counted UP (it would be 90 min UP without it)');
  socket.send(JSON.stringify({ type: 'gap', fromSeq: 200, toSeq: 100, from: now, to: now, reason: 'x' }));
  t.match(await nextMessage(socket), { type: 'error', code: 'NINES_ERR_FRAME_MALFORMED', message: /end before start/ });
});
