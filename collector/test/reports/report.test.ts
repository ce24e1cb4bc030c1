import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { rawAll, rawRun, rawValue } from '../helpers/raw-sql.ts';
import { monthlyReport, renderMonthlyReport } from '../../src/reports/index.ts';
import { flushRollups } from '../../src/availability/index.ts';
import { markResults } from '../../src/availability/rollups.ts';
import { seedBakery, MONTH, TO, EXPECTED, OUTAGE_FROM } from './bakery.ts';

const dir = mkdtempSync(join(tmpdir(), 'nines-report-'));
const opened = await openTestStoreAt(dir, TEST_STORE);
const store = opened.store;
t.teardown(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});
const { clientId } = await seedBakery(store);
const now = TO + 86_400_000;

t.test('the report figures of the fixture month, as computed by hand', async (t) => {
  const report = await monthlyReport(store, 'Bäckerei Müller', MONTH, now);
  t.match(report.figure, { downMs: EXPECTED.downMs, availabilityPercent: EXPECTED.percent, met: true, coverage: 1, budget: { allowedMs: EXPECTED.allowedMs } });
  t.equal(report.hosts.length, 2);
  t.match(report.hosts.find((h) => h.name === 'srv-01')!.figure, { downMs: EXPECTED.downMs });
  t.match(report.hosts.find((h) => h.name === 'kasse-01')!.figure, { downMs: 0, availabilityPercent: '100.000' });
  t.same(report.checks.map((c) => c.check).sort(), ['Kassensystem', 'Mail (SMTP)', 'Webshop'], 'backup and update checks are not in the SLA');
  t.equal(report.incidents.length, 1);
  t.match(report.incidents[0], { from: OUTAGE_FROM, durationMs: EXPECTED.downMs, cause: 'HTTP 502 Bad Gateway' });
  t.match(report.backups, [{ check: 'Nachtsicherung', counts: { OK: 29, CRIT: 1 }, sizeBytes: 52_400_000_000, ageS: 10_800 }]);
  t.match(report.patches, [{ check: 'Updates', pending: 3, security: 1, rebootRequired: true, maxSecurity: 1 }]);

  // the same figures once rollups exist (every result marked as ingest would)
  for (const agentId of ['srv-01', 'pos-01']) {
    await markResults(store, agentId, await rawAll(store, `SELECT check_id AS "checkId", started_at AS "startedAt" FROM results WHERE agent_id = ?`, agentId) as never);
  }
  await flushRollups(store);
  t.same((await monthlyReport(store, clientId, MONTH, now)).figure, report.figure);
});

const expectations = {
  de: { achieved: '99,953 %', target: '99,9 %', verdict: 'Ziel erreicht', downtime: '1 Std. 00 Min. 00 Sek.', budget: '2 Std. 09 Min. 36 Sek.', month: 'Juni 2026', start: '10.06.2026, 12:00', reboot: 'ja', size: '52,4 GB' },
  en: { achieved: '99.953%', target: '99.9%', verdict: 'Target met', downtime: '1 h 00 min 00 s', budget: '2 h 09 min 36 s', month: 'June 2026', start: '10 Jun 2026, 12:00', reboot: 'yes', size: '52.4 GB' },
} as const;

const files: Record<string, string> = {};
for (const lang of ['de', 'en'] as const) {
  t.test(`the ${lang} report shows the key numbers in its language`, async (t) => {
    const html = renderMonthlyReport(await monthlyReport(store, clientId, MONTH, now), lang);
    const e = expectations[lang];
    t.match(html, `<html lang="${lang}">`);
    for (const [key, text] of Object.entries(e)) t.ok(html.includes(text), `${key}: ${text}`);
    t.match(html, 'HTTP 502 Bad Gateway');
    t.match(html, 'Bäckerei Müller');
    t.notMatch(html, lang === 'de' ? 'Target met' : 'Ziel erreicht', 'no text of the other language');
    files[lang] = join(dir, `report-${lang}.html`);
    writeFileSync(files[lang]!, html);
  });
}

t.test('the report opens in Chromium and shows the right figures in both languages', async (t) => {
  const profile = mkdtempSync(join(tmpdir(), 'nines-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  for (const lang of ['de', 'en'] as const) {
    await page.goto(`file://${files[lang]}`);
    const figure = (key: string) => page.locator(`[data-figure="${key}"]`).innerText();
    const e = expectations[lang];
    t.equal(await figure('achieved'), e.achieved, `${lang}: achieved`);
    t.equal(await figure('target'), e.target, `${lang}: target`);
    t.equal(await figure('verdict'), e.verdict, `${lang}: verdict`);
    t.equal(await figure('downtime'), e.downtime, `${lang}: downtime`);
    t.equal(await figure('budget'), e.budget, `${lang}: budget`);
    t.equal(await figure('month'), e.month, `${lang}: month`);
    t.equal(await figure('incident-count'), '1', `${lang}: incidents`);
    t.equal(await page.locator('tr[data-host]').count(), 2, `${lang}: a row per host`);
    const pdf = await page.pdf({ format: 'A4' });
    t.ok(pdf.length > 10_000 && pdf.subarray(0, 4).toString() === '%PDF', `${lang}: prints to PDF (${pdf.length} bytes)`);
  }
});
