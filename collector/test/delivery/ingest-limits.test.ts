import t from 'tap';
import type WebSocket from 'ws';
import { CloseCode, DETAILS_LIMITS, type Result } from '@nines/shared';
import { startCollector, nextMessage, closed, hello, result } from '../helpers/collector.ts';
import { collectStatus } from '../../src/status.ts';
import { resolveSettings } from '../../src/settings.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawAll, rawValue } from '../helpers/raw-sql.ts';

/** Every message until the socket closes, and how it closed. */
function untilClosed(socket: WebSocket): Promise<{ code: number; reason: string; messages: Record<string, unknown>[] }> {
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  return closed(socket).then((c) => ({ ...c, messages }));
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

async function streaming(c: Awaited<ReturnType<typeof startCollector>>, creds: { agentId: string; secret: string }): Promise<WebSocket> {
  const socket = await c.agentSocket(creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  return socket;
}

t.test('details nested 5,000 deep get a permanent refusal naming the result, not "retry later"; bounded depth passes', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const socket = await streaming(c, await creds);
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { details: nested(DETAILS_LIMITS.maxDepth) })] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 1 }, `${DETAILS_LIMITS.maxDepth} levels are fine`);
  const end = untilClosed(socket);
  // Built as text: JSON.stringify itself overflows the stack at this depth (which is what broke the insert).
  const deep = '{"inner":'.repeat(5_000) + '"leaf"' + '}'.repeat(5_000);
  const poison = JSON.stringify(result(3, { details: 'DEEP' })).replace('"DEEP"', deep);
  socket.send(`{"type":"results","batch":[${JSON.stringify(result(2))},${poison}]}`);
  const { code, messages } = await end;
  t.equal(code, CloseCode.REFUSED);
  t.match(messages.at(-1), { type: 'error', code: 'NINES_ERR_RESULT_REFUSED', seq: 3 }, 'the poison result is named, so the agent can make it a gap');
  t.equal(await c.store.countResults(creds.agentId), 1, 'nothing of the refused frame is stored');
});

for (const [name, times] of [
  ['startedAt 0', { startedAt: 0, finishedAt: 5 }],
  ['finishedAt before startedAt', { startedAt: Date.now() - 1_000, finishedAt: Date.now() - 2_000 }],
] as const) {
  t.test(`a result with implausible times is refused: ${name}`, async (t) => {
    const c = await startCollector();
    t.teardown(c.close);
    const creds = await c.addAgent();
    const socket = await streaming(c, await creds);
    const end = untilClosed(socket);
    socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2, times)] }));
    const { code, reason, messages } = await end;
    t.equal(code, CloseCode.REFUSED);
    t.match(reason, /seq 2 has implausible times/);
    t.match(messages.at(-1), { type: 'error', seq: 2 });
    t.equal(await c.store.countResults(creds.agentId), 0);
  });
}

t.test('an agent over its quota of distinct checks is cut off whole-frame, logged, and alerted once', async (t) => {
  let now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const creds = await c.addAgent();
  const { quotas } = c.app.delivery;
  t.equal(quotas.limits.maxChecksPerAgent, 200, 'default');
  const batch = (from: number, count: number, check: (i: number) => string): Result[] =>
    Array.from({ length: count }, (_, i) => result(from + i, { checkId: check(from + i) }));
  let socket = await streaming(c, await creds);
  socket.send(JSON.stringify({ type: 'results', batch: batch(1, 150, (i) => `c${i}`) }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 150 });
  let end = untilClosed(socket);
  socket.send(JSON.stringify({ type: 'results', batch: batch(151, 100, (i) => `c${i}`) }));
  const first = await end;
  t.equal(first.code, CloseCode.QUOTA);
  t.match(first.reason, /quota/);
  t.match(first.messages.at(-1), { type: 'error', code: 'NINES_ERR_AGENT_OVER_QUOTA' });
  t.equal(await c.store.countResults(creds.agentId), 150, 'nothing of the frame over the quota is stored');
  t.equal((await c.store.listChecks(creds.agentId)).length, 150);

  // known checks are still fine after the reconnect; new ones beyond the limit are refused again, alerted once
  socket = await streaming(c, await creds);
  socket.send(JSON.stringify({ type: 'results', batch: batch(151, 10, (i) => `c${i - 150}`) }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 160 });
  end = untilClosed(socket);
  now += 1_000;
  socket.send(JSON.stringify({ type: 'results', batch: batch(161, 60, (i) => `new${i}`) }));
  t.equal((await end).code, CloseCode.QUOTA);
  const alerts = await rawAll<{ state: string; message: string }>(c.store, `SELECT kind, state, message FROM alerts WHERE agent_id = ? AND kind = 'agentQuota'`, creds.agentId);
  t.equal(alerts.length, 1, 'one alert for the agent');
  t.match(alerts[0], { state: 'FIRING', message: /agent exceeds its quota \(maxChecksPerAgent\)/ });
  const firings = await rawValue(c.store, `SELECT count(*) FROM alert_transitions t JOIN alerts a ON a.id = t.alert_id WHERE a.kind = 'agentQuota' AND t.event = 'firing'`);
  t.equal(firings, 1, 'told once, not on every refused frame');
});

t.test('results and bytes a minute are limited per agent (as configured) and the window starts over after a minute', async (t) => {
  let now = Date.now();
  const c = await startCollector({ clock: () => now, ingestQuota: { maxResultsPerMinute: 1_000, maxBytesPerMinute: 200_000 } });
  t.teardown(c.close);
  const creds = await c.addAgent();
  const other = await c.addAgent('other');
  t.same(c.app.delivery.quotas.limits, { maxChecksPerAgent: 200, maxResultsPerMinute: 1_000, maxBytesPerMinute: 200_000 }, 'unset limits keep their defaults');
  const frame = (from: number, count = 250, message = '') => Array.from({ length: count }, (_, i) => result(from + i, { message }));
  let socket = await streaming(c, await creds);
  for (let seq = 1; seq <= 1_000; seq += 250) {
    socket.send(JSON.stringify({ type: 'results', batch: frame(seq) }));
    t.same(await nextMessage(socket), { type: 'ack', upTo: seq + 249 });
  }
  let end = untilClosed(socket);
  socket.send(JSON.stringify({ type: 'results', batch: frame(1_001, 1) }));
  const refused = await end;
  t.equal(refused.code, CloseCode.QUOTA, 'the 1,001st result within a minute is refused');
  t.match(refused.reason, /more than 1000 results a minute/);
  t.equal(await c.store.countResults(creds.agentId), 1_000);
  const otherSocket = await streaming(c, await other);
  otherSocket.send(JSON.stringify({ type: 'results', batch: frame(1) }));
  t.same(await nextMessage(otherSocket), { type: 'ack', upTo: 250 }, "another agent's quota is its own");
  end = untilClosed(otherSocket);
  otherSocket.send(JSON.stringify({ type: 'results', batch: frame(251, 150, 'x'.repeat(1_500)) }));
  const tooManyBytes = await end;
  t.equal(tooManyBytes.code, CloseCode.QUOTA, '150 results with 1,500-char messages are over 200,000 bytes');
  t.match(tooManyBytes.reason, /bytes of results a minute/);
  t.equal(await c.store.countResults(other.agentId), 250, 'nothing of that frame is stored');
  now += 60_000;
  socket = await streaming(c, await creds);
  socket.send(JSON.stringify({ type: 'results', batch: frame(1_001) }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 1_250 }, 'a minute later it goes on');
  socket.close();
  await closed(socket);
});

t.test('the quota comes from the collector config file (ingest:)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-quota-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'collector.yaml'), 'ingest:\n  maxChecksPerAgent: 50\n');
  t.same(resolveSettings({ config: join(dir, 'collector.yaml') }, {}).ingestQuota, { maxChecksPerAgent: 50 });
  writeFileSync(join(dir, 'bad.yaml'), 'ingest:\n  maxChecksPerAgnet: 50\n');
  t.throws(() => resolveSettings({ config: join(dir, 'bad.yaml') }, {}), /not a valid collector config/, 'a misspelt key is an error, not a silent default');
});

t.test('lostResults counts seq holes (never received, not in a gap), not only reported gaps', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const socket = await streaming(c, await creds);
  socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2), result(5)] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 5 });
  const agent = (await collectStatus(c.app.nines)).agents.find((a) => a.id === creds.agentId)!;
  t.match(agent, { lastSeq: 5, storedResults: 3, lostResults: 2 }, 'seqs 3 and 4 never arrived: lost, not 0');
  const at = Date.now() - 30_000;
  socket.send(JSON.stringify({ type: 'gap', fromSeq: 6, toSeq: 8, from: at, to: at + 1000, reason: 'test' }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 8 });
  t.match((await collectStatus(c.app.nines)).agents.find((a) => a.id === creds.agentId)!, { lastSeq: 8, storedResults: 3, lostResults: 5 });
  socket.close();
  await closed(socket);
});
