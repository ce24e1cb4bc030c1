/**
 * How long the overview reuses a row and a month figure nothing marked: the floor for a quick one, ten times its
 * cost for one that took long to compute (a client of thousands of hosts), so recomputing on the clock alone takes
 * at most a tenth of the collector. The cost is read from a timer the test moves (a store read that "takes" 3 s);
 * the rows come from a real store.
 */
import t from 'tap';
import type { Result } from '@nines/shared';
import { startWorld } from '../api/helpers.ts';
import { OverviewModel, OVERVIEW_MAX_AGE_MS } from '../../src/live/overview-model.ts';
import { MonthFigureCache, MONTH_FIGURE_TTL_MS, type MonthFigure } from '../../src/management/availability.ts';
import { COST_SHARE } from '../../src/management/reuse.ts';
import type { Store } from '../../src/store/store.ts';

const log = { error: () => undefined };
const result = (seq: number, status: Result['status'], at: number): Result => ({ seq, checkId: 'web', kind: 'http', name: 'Web', status, message: status, metrics: {}, startedAt: at, finishedAt: at + 5, intervalMs: 60_000 });

t.test('a row that took long to compute is reused for ten times that, a quick one for the floor', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const T = Date.now();
  await w.c.store.insertResults(w.acmeAgent.agentId, [result(1, 'OK', T - 1_000)], T);

  // The same store for both models; for the slow one, reading the client's checks "takes" READ_MS on its timer.
  const READ_MS = 3_000;
  let spent = 0;
  const slowStore = new Proxy(w.c.store, {
    get(target, prop, receiver) {
      if (prop === 'listClientChecks') return async (clientId: number) => { spent += READ_MS; return target.listClientChecks(clientId); };
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Store;
  let now = T;
  const quick = new OverviewModel(w.c.store, () => now, log, () => 0);
  const slow = new OverviewModel(slowStore, () => now, log, () => spent);
  const worst = async (model: OverviewModel) => (await model.read(new Set([w.acme])))[0]!.worst;
  t.equal(await worst(quick), 'OK');
  t.equal(await worst(slow), 'OK');

  // A change no event tells the model of (as an API edit): only age brings it in.
  await w.c.store.insertResults(w.acmeAgent.agentId, [result(2, 'CRIT', T + 500)], T + 500);
  const slowReuse = COST_SHARE * READ_MS;
  t.ok(slowReuse > OVERVIEW_MAX_AGE_MS, `the slow row's reuse (${slowReuse} ms) is past the floor (${OVERVIEW_MAX_AGE_MS} ms)`);
  now = T + OVERVIEW_MAX_AGE_MS;
  t.equal(await worst(quick), 'CRIT', 'the quick row: recomputed at the floor');
  t.equal(await worst(slow), 'OK', `the slow row: still reused ${OVERVIEW_MAX_AGE_MS} ms on`);
  now = T + slowReuse - 1;
  t.equal(await worst(slow), 'OK', 'and 1 ms before ten times its cost');
  now = T + slowReuse;
  t.equal(await worst(slow), 'CRIT', `recomputed at ${COST_SHARE} × its cost`);
});

t.test('a month figure: reused for the TTL, or ten times what it cost when longer', async (t) => {
  let spent = 0;
  const cache = new MonthFigureCache(MONTH_FIGURE_TTL_MS, () => spent);
  const figure = (openIncidents: number): MonthFigure => ({
    availability: 1, availabilityPercent: '100.000', met: true, coverage: 1, partialData: false, errorBudgetMonthMs: 0, errorBudgetSoFarMs: 0, errorBudgetLeftMs: 0, openIncidents,
  });
  const T = 1_800_000_000_000;
  const COST = 2_000;
  t.equal((await cache.get(1, T, async () => (spent += COST, figure(1)))).openIncidents, 1, 'computed: it took COST ms');
  t.equal((await cache.get(2, T, async () => figure(1))).openIncidents, 1, 'another client, computed at no cost');
  const at = (ms: number, clientId: number) => cache.get(clientId, T + ms, async () => figure(2));
  t.equal((await at(MONTH_FIGURE_TTL_MS, 2)).openIncidents, 2, 'the quick one: computed again at the TTL');
  t.equal((await at(COST_SHARE * COST - 1, 1)).openIncidents, 1, `the costly one: reused until ${COST_SHARE} × its cost`);
  t.equal((await at(COST_SHARE * COST, 1)).openIncidents, 2, 'then computed again');
});
