import t from 'tap';
import type { ClientAvailability, OverviewResponse, Result } from '@nines/shared';
import { startCollector } from '../helpers/collector.ts';
import { login, PASSWORD } from './helpers.ts';
import { hashPassword } from '../../src/auth/secrets.ts';
import { MONTH_FIGURE_TTL_MS } from '../../src/management/availability.ts';
import { rawRun } from '../helpers/raw-sql.ts';

// Mid-June in Berlin: the month began long before the first result, so only measured time counts.
const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const MIN = 60_000;

/** Two hours of a web check, one result a minute: OK, except 10 min DOWN an hour ago and the last 3 min DOWN (still open). */
function webHistory(now: number): Result[] {
  return Array.from({ length: 120 }, (_, i) => {
    const minutesAgo = 120 - i;
    const down = (minutesAgo <= 69 && minutesAgo >= 60) || minutesAgo <= 3;
    const at = now - minutesAgo * MIN;
    return { seq: i + 1, checkId: 'web', kind: 'http', name: 'Webshop', status: down ? 'CRIT' : 'OK', message: down ? 'connection refused' : 'HTTP 200', metrics: {}, startedAt: at, finishedAt: at + 5 };
  });
}

async function world() {
  let now = NOW;
  const c = await startCollector({ clock: () => now });
  const acmeAgent = await c.addAgent('acme');
  await c.addAgent('globex');
  const acme = (await c.store.findClient('acme'))!.id;
  const globex = (await c.store.findClient('globex'))!.id;
  const hash = await hashPassword(PASSWORD);
  await c.store.createUser({ username: 'admin', passwordHash: hash, role: 'admin' }, now);
  await c.store.createUser({ username: 'anna', passwordHash: hash, role: 'client', clientId: acme }, now);
  await c.store.insertResults(acmeAgent.agentId, [
    ...webHistory(now),
    // Not covered by the SLA (weight 0): a failing patch check is no incident.
    { seq: 121, checkId: 'patch', kind: 'patch', name: 'Updates', status: 'CRIT', message: '5 security updates', metrics: { security: 5 }, startedAt: now - 30_000, finishedAt: now - 29_000 },
  ], now);
  return {
    c, acme, globex, acmeAgent, admin: await login(c.url, 'admin'), anna: await login(c.url, 'anna'),
    advance: (ms: number) => (now += ms),
  };
}

// 120 min measured, 13 min DOWN: 107/120 = 89.1666… %, shown rounded down; 99.9 % allows 7.2 s of 2 h.
const MEASURED = 120 * MIN;
const DOWN = 13 * MIN;
const DAY = 86_400_000;
const JUNE_START = Date.UTC(2026, 4, 31, 22, 0); // midnight Berlin time (UTC+2)

t.test('the overview row carries this month vs target, the error budget left and the open incidents', async (t) => {
  const w = await world();
  t.teardown(w.c.close);
  const { body } = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  const acme = body.clients.find((c) => c.id === w.acme)!;
  t.equal(acme.availabilityMonth, (MEASURED - DOWN) / MEASURED);
  t.equal(acme.availabilityMonthPercent, '89.166', 'rounded down, never up');
  t.equal(acme.monthMet, false);
  // The month's budget is June's whole 30 days; the verdict (missed) compares with the 2 h measured.
  t.equal(acme.errorBudgetMonthMs, Math.floor(30 * DAY / 1000), '43.2 min for June, although only half of it has passed');
  t.equal(acme.errorBudgetSoFarMs, Math.floor((NOW - JUNE_START) / 1000), 'pro rata: the 14.5 days so far');
  t.equal(acme.errorBudgetLeftMs, Math.floor(30 * DAY / 1000) - DOWN, "left of the month's budget: 43.2 − 13 min");
  t.equal(acme.monthCoverage, MEASURED / (NOW - JUNE_START));
  t.equal(acme.monthPartialData, true, '2 h of 14.5 days measured');
  t.equal(acme.openIncidents, 1, 'the web check is down now; the failing patch check is not SLA-covered');

  const globex = body.clients.find((c) => c.id === w.globex)!;
  t.same([globex.availabilityMonth, globex.availabilityMonthPercent, globex.monthMet, globex.monthPartialData, globex.errorBudgetLeftMs, globex.openIncidents], [null, null, null, null, null, 0],
    'no data: no figure (never 100 %), no budget, nothing open');
});

t.test('month figures are reused for a few seconds, then follow the results', async (t) => {
  const w = await world();
  t.teardown(w.c.close);
  const first = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(first.body.clients.find((c) => c.id === w.acme)!.openIncidents, 1);
  await w.c.store.insertResults((await w.acmeAgent).agentId, [{ seq: 122, checkId: 'web', kind: 'http', name: 'Webshop', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: NOW + 1_000, finishedAt: NOW + 1_005 }], NOW);
  w.advance(2_000);
  const cached = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  const cachedRow = cached.body.clients.find((c) => c.id === w.acme)!;
  t.equal(cachedRow.openIncidents, 1, `within ${MONTH_FIGURE_TTL_MS} ms the month figure may lag`);
  t.equal(cachedRow.worst, 'CRIT', 'check states are current regardless (the patch check)');
  w.advance(MONTH_FIGURE_TTL_MS);
  const fresh = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(fresh.body.clients.find((c) => c.id === w.acme)!.openIncidents, 0, 'the web check recovered');
});

t.test('a client whose figures cannot be computed keeps "—" and the overview still answers', async (t) => {
  const w = await world();
  t.teardown(w.c.close);
  // Zones are validated on the way in; this simulates a zone the running Node no longer knows.
  await rawRun(w.c.store, `UPDATE clients SET timezone = 'Mars/Olympus_Mons' WHERE id = ?`, w.acme);
  const { status, body } = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(status, 200);
  const acme = body.clients.find((c) => c.id === w.acme)!;
  t.same([acme.availabilityMonth, acme.errorBudgetLeftMs, acme.openIncidents], [null, null, null]);
  t.equal(acme.worst, 'CRIT', 'the rest of the row is still there');
});

t.test('client availability: 24 h / 7 d / 30 d / month for the client, each host and each check', async (t) => {
  const w = await world();
  t.teardown(w.c.close);
  const { status, body } = await w.anna.json<ClientAvailability>('GET', `/api/v1/clients/${w.acme}/availability`);
  t.equal(status, 200);
  t.equal(body.month, '2026-06');
  t.same(Object.keys(body.client).sort(), ['24h', '30d', '7d', 'month']);
  for (const window of ['24h', '7d', '30d', 'month']) {
    t.equal(body.client[window]!.availabilityPercent, '89.166', `client ${window}`);
    t.equal(body.client[window]!.downMs, DOWN);
  }
  t.equal(body.client.month!.window, '2026-06');
  t.equal(body.client.month!.from, Date.UTC(2026, 4, 31, 22, 0), 'the month starts at midnight Berlin time (UTC+2)');
  t.equal(body.client['24h']!.budgetRemainingMs, 7_200 - DOWN);
  t.same([body.client['24h']!.budgetWindowMs, body.client['24h']!.budgetSoFarMs], [Math.floor(DAY / 1000), Math.floor(DAY / 1000)], 'a rolling window is all elapsed');
  t.equal(body.client.month!.budgetWindowMs, Math.floor(30 * DAY / 1000), "the month's: June's 30 days");
  t.equal(body.client.month!.budgetSoFarMs, Math.floor((NOW - JUNE_START) / 1000));
  t.equal(body.client.month!.budgetWindowLeftMs, Math.floor(30 * DAY / 1000) - DOWN);
  t.equal(body.client.month!.partialData, true);
  t.equal(body.client['24h']!.met, false);
  t.equal(body.hosts.length, 1);
  t.equal(body.hosts[0]!.figures['7d']!.availabilityPercent, '89.166', 'the host is down while its critical web check is');
  const web = body.checks.find((c) => c.checkId === 'web')!;
  const patch = body.checks.find((c) => c.checkId === 'patch')!;
  t.equal(web.weight, 1);
  t.equal(web.figures['30d']!.availabilityPercent, '89.166');
  t.equal(patch.weight, 0, 'patch checks are shown but not part of the SLA');
  t.equal(patch.figures['24h']!.availabilityPercent, '0.000', 'its own figure still tells the truth');
});

t.test('client availability is tenant-scoped like every client route', async (t) => {
  const w = await world();
  t.teardown(w.c.close);
  const other = await w.anna.json<{ code: string }>('GET', `/api/v1/clients/${w.globex}/availability`);
  t.equal(other.status, 404);
  t.equal(other.body.code, 'NINES_ERR_NOT_FOUND');
  t.equal((await w.anna.json('GET', '/api/v1/clients/9999/availability')).status, 404);
  t.equal((await w.admin.json('GET', `/api/v1/clients/${w.globex}/availability`)).status, 200);
  const empty = (await w.admin.json<ClientAvailability>('GET', `/api/v1/clients/${w.globex}/availability`)).body;
  t.equal(empty.client.month!.availability, null, 'no data: null, not 100 %');
  t.same([empty.client.month!.met, empty.client.month!.partialData, empty.client.month!.budgetWindowLeftMs], [null, null, null], 'no verdict of any kind');
  t.equal((await w.admin.json('GET', '/api/v1/clients/abc/availability')).status, 400);
  t.equal((await fetch(`${w.c.url}/api/v1/clients/${w.acme}/availability`)).status, 401, 'anonymous');
});
