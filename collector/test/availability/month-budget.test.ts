/**
 * The month's error budget for a finished, a running (fresh install) and an empty month, with an injected
 * clock: the budget is the whole month's, the pro-rata part is the elapsed days', and no measured time
 * means no verdict. Expected numbers are computed from each scenario.
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { availabilityFor, flushRollups, monthRange, PARTIAL_COVERAGE_BELOW } from '../../src/availability/index.ts';
import { availabilityFixture, res, MIN, HOUR, DAY } from './helpers.ts';

const JULY = monthRange('2026-07', 'Europe/Berlin'); // 31 days, no DST change
const MONTH_MS = JULY[1] - JULY[0];
/** 99.9 % allows a thousandth, rounded down to whole ms. */
const thousandth = (ms: number) => Math.floor(ms / 1000);

/** One result a minute over [from, to), CRIT for the minutes in [downFrom, downTo). */
function minutes(from: number, to: number, down: [number, number] | null, checkId = 'web'): Result[] {
  const out: Result[] = [];
  for (let at = from; at < to; at += MIN) {
    const status: Status = down && at >= down[0] && at < down[1] ? 'CRIT' : 'OK';
    out.push(res(out.length + 1, checkId, at, status));
  }
  return out;
}

t.test('a finished 31-day month: the budget is 44.64 min, all of it counted, and the verdict uses it', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('full');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const outage: [number, number] = [JULY[0] + 10 * DAY, JULY[0] + 10 * DAY + 20 * MIN];
  await fx.ingest(agent, minutes(JULY[0], JULY[1], outage));
  await flushRollups(fx.store);
  const f = await availabilityFor(fx.store, 'check', `${agent}/web`, '2026-07', JULY[1] + DAY);
  t.equal(MONTH_MS, 31 * DAY);
  t.equal(f.running, false);
  t.equal(f.budget.windowBudgetMs, thousandth(MONTH_MS), '44.64 min');
  t.equal(f.budget.elapsedBudgetMs, f.budget.windowBudgetMs, 'the month is over: pro rata is the whole month');
  t.equal(f.budget.allowedMs, f.budget.windowBudgetMs, 'fully measured: the verdict allows the month budget');
  t.equal(f.budget.windowRemainingMs, thousandth(MONTH_MS) - 20 * MIN);
  t.equal(f.met, true);
  t.equal(f.partialData, false);
});

t.test('a fresh install mid-month: the figure, the full month budget and what is left of it (not 0)', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('fresh');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const now = JULY[0] + 14 * DAY + 12 * HOUR;
  await fx.ingest(agent, minutes(now - 2 * HOUR, now, null));
  const f = await availabilityFor(fx.store, 'client', String(client), 'month', now);
  t.equal(f.window.label, '2026-07');
  t.equal(f.running, true);
  t.equal(f.measuredMs, 2 * HOUR);
  t.equal(f.availabilityPercent, '100.000');
  t.equal(f.met, true);
  t.equal(f.budget.windowBudgetMs, thousandth(MONTH_MS), 'the whole month, although only part of it has passed');
  t.equal(f.budget.windowRemainingMs, thousandth(MONTH_MS), 'nothing spent: all of it is left');
  t.equal(f.budget.elapsedBudgetMs, thousandth(now - JULY[0]), 'pro rata: the budget of the 14.5 days so far');
  t.equal(f.budget.allowedMs, thousandth(2 * HOUR), 'the verdict compares with the measured 2 h');
  t.equal(f.coverage, (2 * HOUR) / (now - JULY[0]));
  t.ok(f.coverage! < PARTIAL_COVERAGE_BELOW);
  t.equal(f.partialData, true, 'the verdict rests on partial data');
});

t.test('a running month with downtime: left = month budget − downtime so far; the verdict still uses measured time', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('running');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const now = JULY[0] + 20 * DAY;
  const outage: [number, number] = [JULY[0] + 5 * DAY, JULY[0] + 5 * DAY + 30 * MIN];
  await fx.ingest(agent, minutes(JULY[0], now, outage));
  const f = await availabilityFor(fx.store, 'check', `${agent}/web`, 'month', now);
  t.equal(f.downMs, 30 * MIN);
  t.equal(f.budget.windowRemainingMs, thousandth(MONTH_MS) - 30 * MIN, 'left of the month');
  t.equal(f.budget.elapsedBudgetMs, thousandth(20 * DAY), '20 days so far');
  t.equal(f.met, 30 * MIN <= thousandth(20 * DAY), 'over the 20 days measured');
  t.equal(f.met, false, '30 min is more than 20 days allow (28.8 min)');
  t.equal(f.partialData, false, 'fully measured so far');
});

t.test('an empty month (checks, no results): no figure, no verdict, no partial-data verdict; the budget is still the month\'s', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('empty');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const now = JULY[0] + 3 * DAY;
  const f = await availabilityFor(fx.store, 'client', String(client), 'month', now);
  t.same([f.availability, f.availabilityPercent, f.met, f.partialData, f.coverage], [null, null, null, null, 0]);
  t.equal(f.budget.windowBudgetMs, thousandth(MONTH_MS));
  t.equal(f.budget.allowedMs, 0);
});

t.test('a client\'s budget is check-weighted, like its downtime: two checks, twice the month budget', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('two');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await fx.check(agent, 'mail', MIN);
  const outage: [number, number] = [JULY[0] + DAY, JULY[0] + DAY + 10 * MIN];
  await fx.ingest(agent, [...minutes(JULY[0], JULY[1], outage, 'web'), ...minutes(JULY[0], JULY[1], null, 'mail')].sort((a, b) => a.startedAt - b.startedAt).map((r, i) => ({ ...r, seq: i + 1 })));
  const f = await availabilityFor(fx.store, 'client', String(client), '2026-07', JULY[1]);
  t.equal(f.measuredMs, 2 * MONTH_MS, 'two checks, weight 1 each');
  t.equal(f.budget.windowBudgetMs, 2 * thousandth(MONTH_MS));
  t.equal(f.budget.windowBudgetMs, f.budget.allowedMs, 'fully measured: the month budget is what the verdict allows');
  t.equal(f.budget.windowRemainingMs, 2 * thousandth(MONTH_MS) - 10 * MIN);
});
