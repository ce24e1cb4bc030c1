/**
 * Each result counts for at most 2 × the interval it was made at (its own `intervalMs`), not the collector's
 * idea of the check: checks from the agent's own YAML file were stored with the 60 s default, so a 10 s
 * check's agent stopped for 90 s counted as up. Changing a check's interval must not rewrite the past.
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { availabilityFor, flushRollups } from '../../src/availability/index.ts';
import { checkInfo } from '../../src/availability/source.ts';
import { availabilityFixture, res, MIN, HOUR, DAY } from './helpers.ts';

const SEC = 1_000;
const T0 = Date.UTC(2026, 5, 10, 8, 0); // a June morning; the figures below need no time zone

/** Results every `step` ms in [from, to), each carrying `intervalMs` (undefined: like an agent that sends none). */
function series(from: number, to: number, step: number, status: Status, seq: { next: number }, intervalMs: number | undefined): Result[] {
  const out: Result[] = [];
  for (let at = from; at < to; at += step) out.push(res(seq.next++, 'web', at, status, intervalMs === undefined ? {} : { intervalMs }));
  return out;
}

t.test('a 10 s check first seen in results: an agent stop of 100 s is 80 s UNKNOWN, not up', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const agent = await fx.agent(await fx.client('yaml'), 'srv');
  const seq = { next: 1 };
  const interval = 10 * SEC;
  const before = series(T0, T0 + 5 * MIN, interval, 'OK', seq, interval);
  const lastBeforeStop = before.at(-1)!.startedAt;
  const resumedAt = lastBeforeStop + 100 * SEC;
  const after = series(resumedAt, resumedAt + 2 * MIN, interval, 'OK', seq, interval);
  await fx.ingest(agent, [...before, ...after]); // no fx.check: the check row is made by ingest, as for a YAML check
  t.equal((await checkInfo(fx.store, agent, 'web'))?.intervalMs, interval, 'the check row holds the interval the results carry');

  const window = { from: T0, to: after.at(-1)!.startedAt + interval };
  const expectedUnknown = resumedAt - lastBeforeStop - 2 * interval;
  const raw = availabilityFor(fx.store, 'check', `${agent}/web`, window, window.to + DAY);
  await flushRollups(fx.store);
  const rolled = availabilityFor(fx.store, 'check', `${agent}/web`, window, window.to + DAY);
  for (const f of [raw, rolled]) {
    t.equal((await f).unknownMs, expectedUnknown, 'the stop is UNKNOWN beyond 2 × 10 s');
    t.equal((await f).upMs, window.to - window.from - expectedUnknown);
    t.equal((await f).downMs, 0);
  }
});

t.test('a down spell measured by a 3 min check ends at the first OK, and its last CRIT counts for at most 6 min', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const agent = await fx.agent(await fx.client('slow'), 'srv');
  await fx.check(agent, 'web', MIN); // the collector's stale belief: 1 min; the results say 3 min
  const interval = 3 * MIN;
  const seq = { next: 1 };
  const ok = series(T0, T0 + 30 * MIN, interval, 'OK', seq, interval);
  const critFrom = T0 + 30 * MIN;
  const crit = series(critFrom, critFrom + 12 * MIN, interval, 'CRIT', seq, interval); // 4 results, last at +9 min
  const silentFrom = crit.at(-1)!.startedAt; // then the agent is stopped for 20 min
  const back = series(silentFrom + 20 * MIN, silentFrom + 35 * MIN, interval, 'OK', seq, interval);
  await fx.ingest(agent, [...ok, ...crit, ...back]);
  const window = { from: T0, to: back.at(-1)!.startedAt + interval };
  const f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, window.to + DAY);
  t.equal(f.downMs, silentFrom - critFrom + 2 * interval, 'down from the first CRIT until 2 × 3 min after the last');
  t.equal(f.unknownMs, 20 * MIN - 2 * interval);
});

t.test('changing the interval does not rewrite the past, and a window finds the long result that covers its start', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const agent = await fx.agent(await fx.client('change'), 'srv');
  const seq = { next: 1 };
  const slow = series(T0, T0 + 30 * MIN, 3 * MIN, 'CRIT', seq, 3 * MIN); // last at T0 + 27 min, covers until + 33 min
  const fastFrom = T0 + 60 * MIN;
  const fast = series(fastFrom, fastFrom + 10 * MIN, 10 * SEC, 'OK', seq, 10 * SEC);
  await fx.ingest(agent, [...slow, ...fast]);
  t.equal((await checkInfo(fx.store, agent, 'web'))?.intervalMs, 10 * SEC, 'the check now runs every 10 s');
  const lastSlow = slow.at(-1)!.startedAt;

  // A window that starts 4 min after the last 3-min result: that result still covers its first 2 min.
  const window = { from: lastSlow + 4 * MIN, to: fastFrom };
  for (const flushed of [false, true]) {
    if (flushed) await flushRollups(fx.store);
    const f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, fastFrom + DAY);
    t.equal(f.downMs, 2 * MIN, `the 3 min result counts for 6 min after the change (${flushed ? 'rollups' : 'raw'})`);
    t.equal(f.unknownMs, window.to - window.from - 2 * MIN);
  }
});

t.test('results without an interval (older agents) count for 2 × the check\'s interval', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const agent = await fx.agent(await fx.client('old'), 'srv');
  await fx.check(agent, 'web', 2 * MIN);
  const seq = { next: 1 };
  const results = series(T0, T0 + 10 * MIN, 2 * MIN, 'OK', seq, undefined); // last at + 8 min
  await fx.ingest(agent, results);
  const window = { from: T0, to: T0 + 30 * MIN };
  const f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, window.to + DAY);
  t.equal(f.upMs, results.at(-1)!.startedAt + 2 * 2 * MIN - T0);
  t.equal((await checkInfo(fx.store, agent, 'web'))?.intervalMs, 2 * MIN, 'a result without an interval leaves the check\'s alone');
});

t.test('a late, older result with a longer interval still widens the look-back', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const agent = await fx.agent(await fx.client('late'), 'srv');
  await fx.ingest(agent, [res(2, 'web', T0 + 2 * HOUR, 'OK', { intervalMs: 10 * SEC })]);
  await fx.ingest(agent, [res(1, 'web', T0, 'CRIT', { intervalMs: HOUR })]); // replayed later: covers [T0, T0 + 2 h)
  t.equal((await checkInfo(fx.store, agent, 'web'))?.maxIntervalMs, HOUR);
  t.equal((await checkInfo(fx.store, agent, 'web'))?.intervalMs, 10 * SEC, 'the newest result sets the current interval');
  const f = await availabilityFor(fx.store, 'check', `${agent}/web`, { from: T0 + HOUR, to: T0 + 2 * HOUR }, T0 + DAY);
  t.equal(f.downMs, HOUR, 'the hour-long result is found from a window starting an hour after it');
});

