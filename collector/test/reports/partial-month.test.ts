/**
 * Reports of a running month (a fresh install), an empty month and a finished but thinly measured month, read
 * as the visible text of each figure. The clock is injected; expected numbers are computed from each scenario.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { monthlyReport, renderMonthlyReport } from '../../src/reports/index.ts';
import { monthRange } from '../../src/availability/index.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const [FROM, TO] = monthRange('2026-07', 'Europe/Berlin'); // 31 days
/** 99.9 % allows a thousandth of the time, shown rounded down to whole seconds. */
const budgetSeconds = (ms: number) => Math.floor(Math.floor(ms / 1000) / 1000);

/** The test's own rendering of whole seconds, as a person reads the report ("44 Min. 38 Sek." / "44 min 38 s"). */
function spoken(seconds: number, lang: 'de' | 'en'): string {
  const [h, m, s] = lang === 'de' ? ['Std.', 'Min.', 'Sek.'] : ['h', 'min', 's'];
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  if (hours > 0) return `${hours} ${h} ${String(minutes).padStart(2, '0')} ${m} ${rest} ${s}`;
  return minutes > 0 ? `${minutes} ${m} ${rest} ${s}` : `${seconds % 60} ${s}`;
}

/** The visible text of the element marked data-figure="key" (tags stripped, spaces collapsed); undefined if absent. */
function figure(html: string, key: string): string | undefined {
  const match = new RegExp(`data-figure="${key}">(.*?)</div>`, 's').exec(html);
  return match?.[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

const dir = mkdtempSync(join(tmpdir(), 'nines-partial-month-'));
const opened = await openTestStoreAt(dir, TEST_STORE);
const store = opened.store;
t.teardown(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A client with one web check (1-minute interval) and its results every minute over [from, to), all OK. */
async function client(name: string, from: number, to: number): Promise<void> {
  const id = Number(await rawValue(store, `INSERT INTO clients (name, timezone, language, created_at) VALUES (?, 'Europe/Berlin', 'de', 0) RETURNING id`, name));
  const agent = `agent-${id}`;
  await rawRun(store, `INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, ?, 'srv', 'x', 0, 'srv')`, agent, id);
  await rawRun(store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'web', 'http', 'Web', ?)`, agent, MIN);
  const results: Result[] = [];
  for (let at = from; at < to; at += MIN) results.push({ seq: results.length + 1, checkId: 'web', kind: 'http', name: 'Web', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: at, finishedAt: at });
  for (let i = 0; i < results.length; i += 500) await store.insertResults(agent, results.slice(i, i + 500), 0);
}

const NOW = FROM + 14 * DAY + 12 * HOUR; // mid-July
await client('Neu GmbH', NOW - 2 * HOUR, NOW); // installed two hours ago
await client('Leer GmbH', 0, 0); // a check, never a result
await client('Spät GmbH', TO - 3 * DAY, TO); // July measured only in its last three days

const monthBudget = budgetSeconds(TO - FROM);

t.test('a fresh install mid-month: interim verdict, the month budget with all of it left, pro rata so far, partial data', async (t) => {
  const report = await monthlyReport(store, 'Neu GmbH', '2026-07', NOW);
  const coverage = (2 * HOUR) / (NOW - FROM);
  const coverageText = { de: `${(Math.floor(coverage * 1000) / 10).toFixed(1).replace('.', ',')} %`, en: `${(Math.floor(coverage * 1000) / 10).toFixed(1)}%` };
  t.ok(coverage < 0.9, 'the scenario is below the partial-data threshold');
  for (const lang of ['de', 'en'] as const) {
    const html = renderMonthlyReport(report, lang);
    t.equal(figure(html, 'achieved'), lang === 'de' ? '100,000 %' : '100.000%');
    t.equal(figure(html, 'verdict'), lang === 'de' ? 'Ziel bisher erreicht' : 'Target met so far');
    t.equal(figure(html, 'interim'), lang === 'de' ? 'Zwischenstand: der Monat läuft bis 31. Juli 2026' : 'Interim result: the month runs until 31 July 2026');
    t.equal(figure(html, 'verdict-coverage'), lang === 'de' ? `Messabdeckung ${coverageText.de}: das Ergebnis beruht auf Teildaten` : `Coverage ${coverageText.en}: the result rests on partial data`);
    t.equal(figure(html, 'budget'), spoken(monthBudget, lang), "the whole month's budget (44.64 min), not the 7 s of the two measured hours");
    t.equal(figure(html, 'budget-so-far'), `${lang === 'de' ? 'bis heute anteilig' : 'pro rata up to now'}: ${spoken(budgetSeconds(NOW - FROM), lang)}`);
    t.equal(figure(html, 'budget-measured'), `${lang === 'de' ? 'für die gemessene Zeit (Grundlage des Ergebnisses)' : 'for the time measured (basis of the result)'}: ${spoken(budgetSeconds(2 * HOUR), lang)}`);
    t.equal(figure(html, 'budget-left'), `${lang === 'de' ? 'Vom Monatsbudget übrig' : "Left of the month's budget"}: ${spoken(monthBudget, lang)}`, 'nothing spent: all of it');
  }
});

t.test('an empty month: "keine Messdaten", no verdict, nothing left or spent', async (t) => {
  const report = await monthlyReport(store, 'Leer GmbH', '2026-07', NOW);
  const de = renderMonthlyReport(report, 'de');
  t.equal(figure(de, 'achieved'), 'keine Messdaten');
  t.equal(figure(de, 'verdict'), 'Keine Messdaten: kein Wert und kein Ergebnis für diesen Monat');
  t.equal(figure(de, 'budget-left'), 'keine Messdaten');
  t.equal(figure(de, 'verdict-coverage'), undefined, 'no coverage verdict without a verdict');
  t.equal(figure(de, 'budget-measured'), undefined);
  t.notMatch(de, 'Ziel erreicht');
  t.notMatch(de, 'Ziel bisher');
  const en = renderMonthlyReport(report, 'en');
  t.equal(figure(en, 'achieved'), 'no data');
  t.equal(figure(en, 'verdict'), 'No data: no figure and no result for this month');
  t.notMatch(en, 'Target met');
});

t.test('a finished month measured only at its end: final verdict, whole-month budget, partial data said', async (t) => {
  const report = await monthlyReport(store, 'Spät GmbH', '2026-07', TO + DAY);
  const de = renderMonthlyReport(report, 'de');
  t.equal(figure(de, 'verdict'), 'Ziel erreicht');
  t.equal(figure(de, 'interim'), undefined, 'the month is over');
  t.equal(figure(de, 'budget-so-far'), undefined);
  t.equal(figure(de, 'budget'), spoken(monthBudget, 'de'));
  t.equal(figure(de, 'verdict-coverage'), `Messabdeckung ${(Math.floor((3 / 31) * 1000) / 10).toFixed(1).replace('.', ',')} %: das Ergebnis beruht auf Teildaten`);
  t.equal(figure(de, 'budget-measured'), `für die gemessene Zeit (Grundlage des Ergebnisses): ${spoken(budgetSeconds(3 * DAY), 'de')}`);
});
