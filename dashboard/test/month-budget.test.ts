/**
 * The month figures of a fresh install, in real Chromium against a real collector whose clock is fixed mid-July:
 * the figure beside the whole month's budget and what is left of it (never "100.000 %" beside "0 min"), a
 * partial-data mark, and "no data" for a client without measurements. Expected texts are computed from the scenario.
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import type { Result } from '@nines/shared';
import { monthRange } from '../../collector/src/availability/index.ts';
import { buildDashboard, launchChromium, startDashboardCollector, loginAs } from './helpers/world.ts';
import { rawRun } from '../../collector/test/helpers/raw-sql.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const [JULY, AUGUST] = monthRange('2026-07', 'Europe/Berlin'); // 31 days in the clients' zone
const NOW = JULY + 14 * DAY + 12 * HOUR;

const dist = buildDashboard();
const c = await startDashboardCollector(dist, () => NOW);
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  await c.close();
});
await c.addUser('admin', 'admin');

/** Two hours of a web check up to now, one result a minute, CRIT for the minutes listed. */
function twoHours(down: (minute: number) => boolean): Result[] {
  return Array.from({ length: 120 }, (_, i): Result => {
    const at = NOW - (120 - i) * MIN;
    const crit = down(i);
    return { seq: i + 1, checkId: 'web', kind: 'http', name: 'Web', status: crit ? 'CRIT' : 'OK', message: crit ? 'connection refused' : 'HTTP 200', metrics: {}, startedAt: at, finishedAt: at + 5 };
  });
}
const fresh = await c.addAgent('Frisch GmbH', 'srv');
await c.store.insertResults(fresh.agentId, twoHours(() => false), NOW);
const outage = await c.addAgent('Neu GmbH', 'srv');
const DOWN_MINUTES = 10;
await c.store.insertResults(outage.agentId, twoHours((i) => i >= 30 && i < 30 + DOWN_MINUTES), NOW);
const empty = await c.addAgent('Leer GmbH', 'srv');
await rawRun(c.store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'web', 'http', 'Web', ?)`, empty.agentId, MIN);
// Every client exists by now: their ids, read once, for the selectors below.
const clientIds = new Map((await c.store.listClients()).map((client) => [client.name, client.id]));
const id = (name: string): number => clientIds.get(name)!;

// 99.9 % allows a thousandth; the dashboard shows budgets in whole minutes (dom.ts duration rounds).
const monthBudgetMs = Math.floor((AUGUST - JULY) / 1000);
const soFarMs = Math.floor((NOW - JULY) / 1000);
const minutes = (ms: number, lang: 'de' | 'en') => `${Math.round(ms / MIN)} ${lang === 'de' ? 'Min.' : 'min'}`;
const coverage = (2 * HOUR) / (NOW - JULY);
const coverageText = (lang: 'de' | 'en') => `${(Math.floor(coverage * 1000) / 10).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: 1 })} %`;

async function login(page: Page): Promise<void> {
  await loginAs(page, c.url, 'admin');
}

for (const lang of ['en', 'de'] as const) {
  t.test(`${lang}: the overview shows the figure, what is left of the whole month's budget, and no data as such`, async (t) => {
    const context = await chromium.newContext(lang === 'de' ? 'de-DE' : 'en-GB');
    t.teardown(() => context.close());
    const page = await context.newPage();
    await login(page);
    const row = (name: string) => page.locator(`#overview tr[data-client="${id(name)}"]`);
    const cells = async (name: string) => ({
      month: (await row(name).locator('td[data-month]').textContent())!.replace(/\s+/g, ' '),
      budget: (await row(name).locator(`td[data-label="${lang === 'de' ? 'Fehlerbudget übrig' : 'Error budget left'}"]`).textContent())!,
    });
    const of = lang === 'de' ? 'von' : 'of';
    const partial = lang === 'de' ? 'Teildaten' : 'partial data';
    const percentText = (s: string) => (lang === 'de' ? s.replace('.', ',') : s);

    const freshCells = await cells('Frisch GmbH');
    t.match(freshCells.month, `✓ ${percentText('100.000')} % · ${partial}`, 'the figure, marked as resting on two hours of data');
    t.equal(freshCells.budget, `${minutes(monthBudgetMs, lang)} ${of} ${minutes(monthBudgetMs, lang)}`, 'nothing spent: all of the month budget left, not 0');
    t.equal(await row('Frisch GmbH').locator('td[data-budget-left]').getAttribute('title'), `${lang === 'de' ? 'bis heute anteilig' : 'pro rata so far'}: ${minutes(soFarMs, lang)}`);

    const outageCells = await cells('Neu GmbH');
    const percent = Math.floor(((120 - DOWN_MINUTES) / 120) * 100_000) / 1000;
    t.match(outageCells.month, `✕ ${percentText(percent.toFixed(3))} %`, 'missed over the time measured');
    t.equal(outageCells.budget, `${minutes(monthBudgetMs - DOWN_MINUTES * MIN, lang)} ${of} ${minutes(monthBudgetMs, lang)}`, 'left = month budget − downtime');

    const emptyCells = await cells('Leer GmbH');
    t.match(emptyCells.month, lang === 'de' ? /^keine Messdaten/ : /^no data/, 'no figure and no ✓/✕ verdict');
    t.notMatch(emptyCells.month, /[✓✕]/);
    t.equal(emptyCells.budget, '—');
  });

  t.test(`${lang}: the client view states the month's budget, the part so far and partial data`, async (t) => {
    const context = await chromium.newContext(lang === 'de' ? 'de-DE' : 'en-GB');
    t.teardown(() => context.close());
    const page = await context.newPage();
    await login(page);
    await page.goto(`${c.url}/#/client/${id('Neu GmbH')}`);
    const summary = page.locator('#month-summary');
    await summary.waitFor();
    const left = minutes(monthBudgetMs - DOWN_MINUTES * MIN, lang);
    const expected = lang === 'de'
      ? `Ziel bisher verfehlt; ${left} von ${minutes(monthBudgetMs, lang)} Fehlerbudget des Monats übrig (bis heute anteilig: ${minutes(soFarMs, lang)}). Nur ${coverageText(lang)} der Zeit gemessen: das Ergebnis beruht auf Teildaten.`
      : `target missed so far; ${left} of the month's ${minutes(monthBudgetMs, lang)} error budget left (pro rata so far: ${minutes(soFarMs, lang)}). Only ${coverageText(lang)} of the time measured: the verdict rests on partial data.`;
    t.match(await summary.textContent(), expected);

    const other = await context.newPage(); // a fresh page: no figures of the previous client on screen while this one loads
    await other.goto(`${c.url}/#/client/${id('Leer GmbH')}`);
    await other.locator('#availability-table').waitFor();
    t.equal(await other.locator('#month-summary').textContent(), lang === 'de' ? 'Diesen Monat noch keine Messdaten: kein Wert, kein Ergebnis.' : 'No data this month yet: no figure, no verdict.');
  });
}
