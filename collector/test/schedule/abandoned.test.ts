import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.ts';
import { ABANDONED_RUN_ERROR } from '../../src/store/job-runs.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { localTimeSchedule } from '../../src/schedule/rule.ts';
import { Scheduler, type Job } from '../../src/schedule/scheduler.ts';
import { buildApp } from '../../src/app.ts';

// A collector that dies in the middle of a scheduled run (kill -9 while the monthly report goes out) leaves its slot
// 'running'. The next leader — a restarted collector, or another one on the same PostgreSQL database — fails it as
// abandoned, and the scheduler retries it with backoff: the slot is not left claimed forever. Real stores (SQLite,
// or PostgreSQL under NINES_TEST_STORE); two stores opened on one directory are two collectors on one database.

const MIN = 60_000;
const SLOT = Date.parse('2026-11-30T06:00:00Z'); // Monday 07:00 in Berlin
const quiet = { info() {}, warn() {}, error() {} };
const noHandlers = { leading() {}, message() {} };

function dataDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nines-abandoned-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store as a running collector has it: its coordination started (on PostgreSQL its session is its liveness). */
async function collectorStore(dir: string): Promise<{ store: Store; close: () => Promise<void> }> {
  const { store, close } = await openTestStoreAt(dir, TEST_STORE);
  await store.coordination.start(noHandlers);
  return { store, close: () => close({ keep: true }) };
}

function weeklyJob(run: Job['run']): Job {
  return { name: 'weekly-overview', schedule: localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', weekday: 'monday' }), lookBackMs: 6 * 24 * 60 * MIN, run };
}

/** Starts a run that never ends and resolves once its slot is claimed. */
async function dieInTheMiddle(store: Store, now: number): Promise<void> {
  const scheduler = new Scheduler(store.jobRuns, () => now, quiet, [weeklyJob(() => new Promise<void>(() => {}))]);
  void scheduler.runDue(now);
  for (let i = 0; i < 200 && (await store.jobRuns.get('weekly-overview', SLOT))?.outcome !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
}

t.test('a run whose collector died is failed by the next one and retried once, after the backoff', async (t) => {
  const dir = dataDir(t);
  const dying = await collectorStore(dir);
  await dieInTheMiddle(dying.store, SLOT);
  t.match(await dying.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'running', attempts: 1 }, 'claimed and running');
  await dying.close(); // as at kill -9: no finish is recorded

  const next = await collectorStore(dir);
  t.teardown(() => next.close());
  t.equal(await next.store.jobRuns.failAbandoned(SLOT + MIN), 1, 'the abandoned run is failed');
  t.match(await next.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'failed', error: ABANDONED_RUN_ERROR, finishedAt: SLOT + MIN, attempts: 1 });
  t.equal(await next.store.jobRuns.failAbandoned(SLOT + MIN), 0, 'nothing twice');

  const ran: number[] = [];
  const scheduler = new Scheduler(next.store.jobRuns, () => SLOT, quiet, [weeklyJob(async (slot) => void ran.push(slot))], { retryBaseMs: MIN });
  await scheduler.runDue(SLOT + MIN + 30_000);
  t.same(ran, [], 'not within the backoff');
  await scheduler.runDue(SLOT + 2 * MIN);
  t.same(ran, [SLOT], 'retried once after it');
  t.match(await next.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'ok', error: null, attempts: 2 });
  await scheduler.runDue(SLOT + 3 * MIN);
  t.same(ran, [SLOT], 'and not again');
});

t.test('on PostgreSQL a run whose collector is alive is left alone; its late finish after a takeover is ignored', { skip: TEST_STORE === 'sqlite' && 'SQLite: one collector owns the file, so every claim of another run is of a stopped one' }, async (t) => {
  const dir = dataDir(t);
  const running = await collectorStore(dir);
  t.teardown(() => running.close());
  await dieInTheMiddle(running.store, SLOT);
  const other = await collectorStore(dir);
  t.teardown(() => other.close());
  t.equal(await other.store.jobRuns.failAbandoned(SLOT + MIN), 0, 'its collector is alive: not abandoned');
  t.match(await other.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'running' });

  // Taken for gone (its coordination session dropped), failed, and claimed again by the other collector.
  await running.store.coordination.stop();
  t.equal(await other.store.jobRuns.failAbandoned(SLOT + MIN), 1);
  t.equal(await other.store.jobRuns.reclaimFailed('weekly-overview', SLOT, 1, SLOT + 2 * MIN), true, 'the other collector claims the retry');
  await running.store.jobRuns.finish('weekly-overview', SLOT, 'failed', 'SMTP 451', SLOT + 3 * MIN);
  t.match(await other.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'running', attempts: 2, error: ABANDONED_RUN_ERROR }, 'the first run’s late finish does not overwrite the retry');
  await other.store.jobRuns.finish('weekly-overview', SLOT, 'ok', null, SLOT + 4 * MIN);
  t.match(await other.store.jobRuns.get('weekly-overview', SLOT), { outcome: 'ok', error: null, finishedAt: SLOT + 4 * MIN });
});

t.test('a collector started again after it died in a run: once buildApp resolved, the slot is failed for the retry', async (t) => {
  const dir = dataDir(t);
  const dying = await collectorStore(dir);
  await dieInTheMiddle(dying.store, SLOT);
  await dying.close();

  const { store, close } = await openTestStoreAt(dir, TEST_STORE);
  const app = await buildApp({ store });
  t.teardown(async () => {
    await app.close();
    await close({ keep: true });
  });
  t.match(await store.jobRuns.get('weekly-overview', SLOT), { outcome: 'failed', error: ABANDONED_RUN_ERROR, attempts: 1 });
});
