import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Spool } from '../../src/spool.ts';
import { CollectorConnection } from '../../src/connection.ts';
import { startCollector, until } from '../../../collector/test/delivery/helpers.ts';

/*
 * "Live results are not starved behind a long replay": replay is strictly oldest first (acks are cumulative,
 * so a newer result cannot overtake older unacknowledged ones without losing the exactly-once guarantee),
 * hence a live result waits for the backlog before it. This measures how long that is: a day offline for a
 * busy machine (35 checks a minute ≈ 50,000 results) must replay within seconds, not minutes.
 */
t.setTimeout(180_000);

t.test('a day of backlog replays quickly; a live result appended at the start arrives when the replay ends', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const dir = mkdtempSync(join(tmpdir(), 'nines-replay-'));
  const spool = new Spool({ dir, sync: false });
  t.teardown(() => (spool.close(), rmSync(dir, { recursive: true, force: true })));
  const DAY = 86_400_000;
  const start = Date.now() - DAY;
  const backlog = 50_400;
  const checks = 35;
  for (let i = 0; i < backlog; i++) {
    const at = start + Math.floor(i / checks) * 60_000 + (i % checks);
    spool.append({ checkId: `check-${i % checks}`, kind: 'http', status: 'OK', message: 'HTTP 200 in 48 ms', metrics: { latency_ms: 48, size_bytes: 5120 }, startedAt: at, finishedAt: at + 48 }, at);
  }
  const conn = new CollectorConnection({
    url: c.url, ...creds, spool, clock: Date.now, log: pino({ level: 'silent' }),
    hello: { agentVersion: 'test', hostname: 'pc', platform: 'linux', bootId: 'b' }, configVersion: () => 0, onConfig: () => undefined,
  });
  t.teardown(() => conn.stop());

  const began = Date.now();
  conn.start();
  await until('streaming', () => conn.state === 'streaming');
  const live = spool.append({ checkId: 'check-0', kind: 'http', status: 'CRIT', message: 'HTTP 503', metrics: {}, startedAt: Date.now(), finishedAt: Date.now() }, Date.now());
  conn.pump();
  let liveStoredAt = 0;
  c.app.nines.events.on('resultsStored', ({ inserted }) => {
    if (!liveStoredAt && inserted.some((r) => r.seq === live.seq)) liveStoredAt = Date.now();
  });
  await until('replay complete', () => spool.backlog === 0, 150_000);
  const ms = Date.now() - began;
  const rate = Math.round((backlog / ms) * 1000);
  t.comment(`replayed ${backlog} results in ${ms} ms (${rate} results/s, batches of 500, 4 in flight, loopback, node ${process.version}); live result waited ${liveStoredAt - began} ms`);
  t.equal(await c.store.countResults(creds.agentId), backlog + 1);
  t.ok(liveStoredAt > 0, 'the live result arrived');
  t.ok(ms < 60_000, `a day of backlog in under a minute (${ms} ms)`);
});
