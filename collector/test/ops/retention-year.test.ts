import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { markResults, flushRollups } from '../../src/availability/rollups.ts';
import { applyRetention } from '../../src/availability/retention.ts';

const DAY = 86_400_000;
const INTERVAL = 10 * 60_000; // every 10 minutes: realistic, and half the work of 5 for a test on a shared machine
const CHECKS = ['web', 'mail'];
const RETENTION = { rawDays: 30, hourlyDays: 90 }; // short, so the plateau is reached early in the simulated year
const START = Date.UTC(2025, 0, 1);

/**
 * A year of one agent with two 10-minute checks (105,120 results), written day by day through the store
 * with rollups and retention run as the running collector runs them (injected clock: simulated days).
 * The file must stop growing once retention starts deleting: freed pages are reused, not appended.
 */
t.test('a simulated year: with retention the database size levels off instead of growing with the data', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-year-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteStore(join(dir, 'nines.db'));
  t.teardown(() => store.close());
  const agentId = newAgentId();
  await store.enrollAgent(hashSecret(await createEnrollToken(store, 'acme', START)), { id: agentId, name: 'srv', secretHash: hashSecret(newSecret()), platform: 'linux', agentVersion: 't' }, START);
  await store.assignChecks(agentId, CHECKS.map((id) => ({ kind: 'tcp' as const, id, host: '127.0.0.1', port: 25, interval: '10m' })));
  const size = () => (store.db.pragma('page_count', { simple: true }) as number) * (store.db.pragma('page_size', { simple: true }) as number);

  let seq = 0;
  const sizeAtDay: number[] = [];
  const started = Date.now();
  for (let day = 0; day < 365; day++) {
    const batch: Result[] = [];
    for (let at = START + day * DAY; at < START + (day + 1) * DAY; at += INTERVAL) {
      for (const checkId of CHECKS) {
        // an outage now and then, so rollups hold more than one state
        const down = day % 17 === 3 && at % DAY < 3_600_000;
        batch.push({ seq: ++seq, checkId, kind: 'tcp', status: down ? 'CRIT' : 'OK', message: down ? 'connection refused' : 'connected in 2 ms', metrics: { latency_ms: 2 }, startedAt: at, finishedAt: at + 2 });
      }
    }
    for (let i = 0; i < batch.length; i += 500) await store.insertResults(agentId, batch.slice(i, i + 500), START + (day + 1) * DAY);
    await markResults(store, agentId, batch);
    await flushRollups(store);
    if (day % 7 === 6) await applyRetention(store, START + (day + 1) * DAY, RETENTION);
    sizeAtDay.push(size());
  }
  const mib = (bytes: number) => (bytes / 1_048_576).toFixed(2);
  t.comment(`${seq} results in ${((Date.now() - started) / 1000).toFixed(1)} s; size after 30 d ${mib(sizeAtDay[29]!)} MiB, 120 d ${mib(sizeAtDay[119]!)} MiB, 365 d ${mib(sizeAtDay[364]!)} MiB`);

  const rawRows = store.db.prepare(`SELECT count(*) FROM results`).pluck().get() as number;
  t.ok(rawRows <= (RETENTION.rawDays + 7) * CHECKS.length * (DAY / INTERVAL), `raw results bounded by retention (${rawRows} rows)`);
  const hourRows = store.db.prepare(`SELECT count(*) FROM availability_hours`).pluck().get() as number;
  t.ok(hourRows <= (RETENTION.hourlyDays + 7) * 24 * (CHECKS.length + 1), `hourly rollups bounded by retention (${hourRows} rows)`);
  const dayRows = store.db.prepare(`SELECT count(*) FROM availability_days`).pluck().get() as number;
  t.ok(dayRows >= 365 * CHECKS.length && dayRows <= 366 * (CHECKS.length + 1), `daily rollups kept for the whole year (${dayRows} rows)`);

  // Growth between day 120 (raw and hourly retention both in force) and day 365 comes from daily rows only.
  t.ok(sizeAtDay[364]! <= sizeAtDay[119]! * 1.1, `size at day 365 (${mib(sizeAtDay[364]!)} MiB) within 10 % of day 120 (${mib(sizeAtDay[119]!)} MiB)`);
  // Without retention the raw rows alone would be 12x what is kept: the bound is retention's doing.
  t.ok(sizeAtDay[364]! < sizeAtDay[29]! * 4, 'a year costs less than four times the first month');
});
