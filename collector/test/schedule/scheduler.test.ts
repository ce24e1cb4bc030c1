import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { localTimeSchedule } from '../../src/schedule/rule.ts';
import { Scheduler, type Job } from '../../src/schedule/scheduler.ts';

// The scheduler on a real store (SQLite, or PostgreSQL under NINES_TEST_STORE) with a fixed clock: tests call
// runDue(now) instead of waiting. Two stores opened on one directory are two collectors on one database.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const quiet = { info() {}, warn() {}, error() {} };

/** A data directory: every store opened on it is on the same database. */
function dbFile(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nines-schedule-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(t: Test, dir: string): Promise<Store> {
  const { store, close } = await openTestStoreAt(dir, TEST_STORE);
  t.teardown(() => close({ keep: true }));
  return store;
}

/** A job that records the slots it ran; `fail` makes the next runs throw. */
function recordingJob(name: string, rule: Parameters<typeof localTimeSchedule>[0], lookBackMs: number) {
  const ran: string[] = [];
  const job: Job & { ran: string[]; failures: number } = {
    name, schedule: localTimeSchedule(rule), lookBackMs, ran, failures: 0,
    async run(slot) {
      ran.push(new Date(slot).toISOString());
      if (job.failures > 0) {
        job.failures--;
        throw new Error('SMTP 451 try again later');
      }
    },
  };
  return job;
}

// Looks back six days, so last Monday's slot is not caught up on the Monday morning before 07:00.
const weekly = () => recordingJob('weekly-overview', { at: '07:00', timezone: 'Europe/Berlin', weekday: 'monday' }, 6 * DAY);

t.test('a slot runs once at its time, not before, not again — also not by a restarted scheduler on the same database', async (t) => {
  const file = dbFile(t);
  const job = weekly();
  let now = at('2026-11-30T05:59:00Z');
  const scheduler = new Scheduler((await openStore(t, file)).jobRuns, () => now, quiet, [job]);
  await scheduler.runDue(now);
  t.same(job.ran, [], 'not at 06:59 Berlin');
  now = at('2026-11-30T06:00:00Z');
  await scheduler.runDue(now);
  t.same(job.ran, ['2026-11-30T06:00:00.000Z'], 'Monday 07:00 Berlin = 06:00Z');
  now += MIN;
  await scheduler.runDue(now);
  t.same(job.ran, ['2026-11-30T06:00:00.000Z'], 'the next tick does not run it again');

  const restarted = weekly();
  const second = new Scheduler((await openStore(t, file)).jobRuns, () => now, quiet, [restarted]);
  await second.start();
  t.teardown(() => second.stop());
  t.same(restarted.ran, [], 'a second scheduler on the same database does not run the slot again');
  t.equal((await second.states(now))[0]?.nextAt, at('2026-12-07T06:00:00Z'), 'its next slot is the next Monday');
});

t.test('two schedulers due at the same instant: the slot runs once', async (t) => {
  const file = dbFile(t);
  const now = at('2026-11-30T06:00:00Z');
  const a = weekly();
  const b = weekly();
  await Promise.all([
    new Scheduler((await openStore(t, file)).jobRuns, () => now, quiet, [a]).runDue(now),
    new Scheduler((await openStore(t, file)).jobRuns, () => now, quiet, [b]).runDue(now),
  ]);
  t.equal(a.ran.length + b.ran.length, 1);
});

t.test('catch up on start: a collector down at 07:00 runs the slot once when it starts, only the newest of several', async (t) => {
  const file = dbFile(t);
  const now = at('2026-11-30T09:30:00Z');
  const job = weekly();
  const scheduler = new Scheduler((await openStore(t, file)).jobRuns, () => now, quiet, [job]);
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  t.same(job.ran, ['2026-11-30T06:00:00.000Z'], 'the missed 07:00 slot, at start');

  const longDown = weekly();
  const later = at('2026-12-23T12:00:00Z');
  const other = new Scheduler((await openStore(t, dbFile(t))).jobRuns, () => later, quiet, [longDown]);
  await other.runDue(later);
  t.same(longDown.ran, ['2026-12-21T06:00:00.000Z'], 'down for three Mondays: one overview, of the newest slot');
});

t.test('a slot past its look-back is not caught up', async (t) => {
  const monthly = recordingJob('monthly-report', { at: '08:00', timezone: 'Europe/Berlin', dayOfMonth: 1 }, 27 * DAY);
  const store = await openStore(t, dbFile(t));
  await new Scheduler(store.jobRuns, () => 0, quiet, [monthly]).runDue(at('2026-12-29T12:00:00Z'));
  t.same(monthly.ran, [], 'on the 29th the report of the 1st is no longer sent');
  await new Scheduler(store.jobRuns, () => 0, quiet, [monthly]).runDue(at('2026-12-27T12:00:00Z'));
  t.same(monthly.ran, ['2026-12-01T07:00:00.000Z'], 'on the 27th it still is');
});

t.test('a failed run is recorded with its error and retried with backoff until the look-back ends', async (t) => {
  const store = await openStore(t, dbFile(t));
  const job = weekly();
  job.failures = 2;
  let now = at('2026-11-30T06:00:00Z');
  const scheduler = new Scheduler(store.jobRuns, () => now, quiet, [job], { retryBaseMs: MIN, retryMaxMs: HOUR });
  await scheduler.runDue(now);
  const slot = at('2026-11-30T06:00:00Z');
  t.match(await store.jobRuns.get('weekly-overview', slot), { outcome: 'failed', error: 'SMTP 451 try again later', attempts: 1, finishedAt: now });
  t.match((await scheduler.states(now))[0], { job: 'weekly-overview', nextAt: now + MIN, lastRunAt: now, lastOutcome: 'failed', lastError: 'SMTP 451 try again later' });

  now += 30_000;
  await scheduler.runDue(now);
  t.equal(job.ran.length, 1, 'not retried before the backoff');
  now = slot + MIN;
  await scheduler.runDue(now);
  t.equal(job.ran.length, 2, 'retried after a minute');
  t.match(await store.jobRuns.get('weekly-overview', slot), { outcome: 'failed', attempts: 2 });
  now += MIN;
  await scheduler.runDue(now);
  t.equal(job.ran.length, 2, 'the second retry waits twice as long');
  now += MIN;
  await scheduler.runDue(now);
  t.same(job.ran, Array(3).fill('2026-11-30T06:00:00.000Z'), 'third attempt, same slot');
  t.match(await store.jobRuns.get('weekly-overview', slot), { outcome: 'ok', error: null, attempts: 3 });
  now += HOUR;
  await scheduler.runDue(now);
  t.equal(job.ran.length, 3, 'done: not run again');
});

t.test('a slot that keeps failing is given up when its look-back ends', async (t) => {
  const store = await openStore(t, dbFile(t));
  const job = recordingJob('daily', { at: '08:00', timezone: 'Europe/Berlin' }, 2 * HOUR);
  job.failures = 1000;
  const slot = at('2026-12-01T07:00:00Z');
  let now = slot;
  const scheduler = new Scheduler(store.jobRuns, () => now, quiet, [job], { retryBaseMs: MIN, retryMaxMs: 30 * MIN });
  for (let i = 0; i <= 24 * 12; i++, now += 5 * MIN) await scheduler.runDue(now);
  const slotRuns = job.ran.filter((s) => s === '2026-12-01T07:00:00.000Z').length;
  t.ok(slotRuns >= 4 && slotRuns <= 8, `retried within the two hours: ${slotRuns} attempts (1, 2, 4, 8, 16, 30, 30 … min apart)`);
  t.same(job.ran.filter((s) => s !== '2026-12-01T07:00:00.000Z'), ['2026-12-02T07:00:00.000Z'], "the next day's slot is its own");
});

t.test('DST: a job at 02:30 Berlin ticked every 5 minutes runs once on each transition night', async (t) => {
  const store = await openStore(t, dbFile(t));
  for (const [night, expected] of [
    ['2026-03-28T22:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['2026-10-24T22:00:00Z', '2026-10-25T00:30:00.000Z'],
  ] as const) {
    const job = recordingJob(`nightly-${night}`, { at: '02:30', timezone: 'Europe/Berlin' }, 6 * HOUR);
    const scheduler = new Scheduler(store.jobRuns, () => 0, quiet, [job]);
    for (let now = at(night), i = 0; i < 12 * 8; i++, now += 5 * MIN) await scheduler.runDue(now);
    t.same(job.ran, [expected], `once, at ${expected}`);
  }
});

t.test('bad setup is refused', async (t) => {
  const store = await openStore(t, dbFile(t));
  t.throws(() => new Scheduler(store.jobRuns, () => 0, quiet, [weekly(), weekly()]), /two scheduled jobs share a name/);
});

t.test('the timer: started, it wakes by itself and notices a jump of the clock to the slot', async (t) => {
  const store = await openStore(t, dbFile(t));
  const job = weekly();
  let now = at('2026-11-30T05:00:00Z');
  const scheduler = new Scheduler(store.jobRuns, () => now, quiet, [job], { rearmMs: 20 });
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  t.same(job.ran, [], 'an hour early');
  now = at('2026-11-30T06:00:30Z'); // the clock jumps; the timer, re-armed every 20 ms here (60 s in service), notices
  for (let i = 0; i < 100 && job.ran.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(job.ran, ['2026-11-30T06:00:00.000Z'], 'ran by the timer, without a runDue call');
  await scheduler.stop();
  now = at('2026-12-07T06:00:00Z');
  await new Promise((resolve) => setTimeout(resolve, 200)); // ten re-arm periods
  t.equal(job.ran.length, 1, 'stopped: no more runs');
});
