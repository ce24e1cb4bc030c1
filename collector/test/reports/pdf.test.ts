/** The monthly report as PDF: real pdfkit output read back with the real poppler tools, and the CLI as a child process. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { monthlyReport, renderMonthlyPdf, loadBranding, BrandingError, type MonthlyReport } from '../../src/reports/index.ts';
import { Formatter } from '../../src/reports/format.ts';
import { MESSAGES, type Lang } from '../../src/reports/messages.ts';
import { targetPercentOf } from '../../src/reports/pdf/monthly-pdf.ts';
import { incidentCause } from '../../src/availability/incidents.ts';
import { seedBakery, MONTH, TO, OUTAGE_FROM } from './bakery.ts';
import { inkShare, pdfInfo, pdfPagePng, pdfPagesGrey, pdfText } from './helpers/poppler.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/nines-collector.mjs');
const dir = mkdtempSync(join(tmpdir(), 'nines-pdf-report-'));
const dbDir = join(dir, 'data');
const opened = await openTestStoreAt(dir, TEST_STORE);
const store = opened.store;
t.teardown(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});
await seedBakery(store);
const now = TO + 86_400_000; // fixed clock: the day after the fixture month
const report = await monthlyReport(store, 'Bäckerei Müller', MONTH, now);
const branding = loadBranding({ name: 'Kühn IT-Service', contact: 'Hauptstraße 5\n50667 Köln', footer: 'Vertraulich · Preise in € zzgl. MwSt.' }, 'Nines');

/** Without white space: pdftotext sometimes drops a narrow space ("0 s" → "0s"); the order of words still counts. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** The figures a reader must find, formatted from the report itself. */
function expectedTexts(r: MonthlyReport, lang: Lang): string[] {
  const f = new Formatter(lang, r.client.timeZone);
  const m = MESSAGES[lang];
  return [
    `${m.title}: ${r.client.name}`,
    `${m.achieved} ${f.percent(r.figure.availabilityPercent)}`,
    `${m.target} ${targetPercentOf(f, r.client.targetPpm)}`,
    `${m.downtime} ${f.duration(r.figure.downMs, 'up')}`,
    `${m.budget} ${f.duration(r.figure.budget.windowBudgetMs, 'down')}`,
    `${m.budgetLeft}: ${f.duration(r.figure.budget.windowRemainingMs, 'down')}`,
    r.figure.met ? m.met : m.notMet,
    f.monthTitle(r.figure.window.from),
    ...r.hosts.map((h) => `${h.name} ${f.percent(h.figure.availabilityPercent)} ${f.duration(h.figure.downMs, 'up')}`),
    ...r.checks.map((c) => `${c.host} ${c.check} ${f.percent(c.figure.availabilityPercent)}`),
    ...r.incidents.flatMap((i) => [`${i.name} ${f.dateTime(i.from)} ${f.dateTime(i.to)} ${f.duration(i.durationMs, 'up')}`, incidentCause(i, lang)]),
    ...r.backups.map((b) => `${b.host} ${b.check}`),
    ...r.patches.map((p) => `${p.host} ${p.check}`),
    m.dailyChart,
  ];
}

t.test('the daily series: one entry per local day, from the engine, adding up to the month', async (t) => {
  t.equal(report.days.length, 30);
  t.equal(report.days[0]!.from, report.figure.window.from);
  t.equal(report.days.at(-1)!.to, report.figure.window.to);
  const sum = async (k: 'upMs' | 'downMs' | 'unknownMs' | 'maintenanceMs') => report.days.reduce((s, d) => s + d[k], 0);
  t.same({ upMs: await sum('upMs'), downMs: await sum('downMs'), unknownMs: await sum('unknownMs'), maintenanceMs: await sum('maintenanceMs') },
    { upMs: report.figure.upMs, downMs: report.figure.downMs, unknownMs: report.figure.unknownMs, maintenanceMs: report.figure.maintenanceMs });
  const outageDay = report.days.find((d) => d.from <= OUTAGE_FROM && OUTAGE_FROM < d.to)!;
  t.equal(outageDay.downMs, report.figure.downMs, 'the outage falls on its local day');
  t.equal(outageDay.met, false);
  t.equal(report.days.filter((d) => d.met === true).length, 29);
  // a running month: days after the clock have no data, never 100 %
  const running = await monthlyReport(store, 'Bäckerei Müller', MONTH, OUTAGE_FROM);
  const after = running.days.filter((d) => d.from > OUTAGE_FROM);
  t.ok(after.length > 0);
  t.ok(after.every((d) => d.availabilityPercent === null && d.met === null));
});

t.test('German PDF: every figure, host, check and incident as pdftotext reads it; umlauts, € and the page numbers', async (t) => {
  const { pdf } = await renderMonthlyPdf(await report, 'de', branding);
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const { flat } = await pdfText(pdf);
  for (const text of expectedTexts(await report, 'de')) t.ok(squeeze(flat).includes(squeeze(text)), `shows "${text}"`);
  t.match(flat, 'Kühn IT-Service');
  t.match(flat, 'Hauptstraße 5');
  t.match(flat, 'Vertraulich · Preise in € zzgl. MwSt.');
  const pages = (await pdfInfo(pdf)).Pages;
  t.ok(Number(pages) >= 2);
  for (let p = 1; p <= Number(pages); p++) t.match(flat, `Seite ${p} von ${pages}`);
  t.equal((await pdfInfo(pdf)).Pages, pages);
  t.equal((await pdfInfo(pdf))['Page size'], '595.28 x 841.89 pts (A4)');
});

t.test('English PDF says the same in English', async (t) => {
  const { pdf } = await renderMonthlyPdf(await report, 'en', branding);
  const { flat } = await pdfText(pdf);
  for (const text of expectedTexts(await report, 'en')) t.ok(squeeze(flat).includes(squeeze(text)), `shows "${text}"`);
  t.match(flat, /Page 1 of \d/);
  t.notMatch(flat, 'Seite');
});

t.test('deterministic for a fixed clock: same bytes twice, creation date from the clock', async (t) => {
  const a = await renderMonthlyPdf(await report, 'de', branding);
  const b = await renderMonthlyPdf(await report, 'de', branding);
  t.ok(a.pdf.equals(b.pdf));
  t.equal((await pdfInfo(a.pdf)).CreationDate, new Date(now).toISOString().replace('.000Z', 'Z'));
  const later = await renderMonthlyPdf({ ...report, generatedAt: now + 1000 }, 'de', branding);
  t.notOk(later.pdf.equals(a.pdf), 'another clock, another file');
});

t.test('every page renders; the chart area has bars, and a month without data has none', async (t) => {
  const dpi = 50;
  const { pdf, chart } = await renderMonthlyPdf(await report, 'de', branding);
  const pages = await pdfPagesGrey(pdf, dpi);
  t.equal(pages.length, Number((await pdfInfo(pdf)).Pages));
  for (const p of pages) t.ok(inkShare(p, { x: 0, y: 0, width: 595, height: 841 }, dpi) > 0.005, 'no page is blank');
  const full = inkShare(pages[chart.page - 1]!, chart, dpi);
  t.ok(full > 0.4, `bars cover the plot (${full.toFixed(2)})`);

  const empty = await monthlyReport(store, 'Bäckerei Müller', '2026-05', now);
  t.ok(empty.days.every((d) => d.availabilityPercent === null));
  const rendered = await renderMonthlyPdf(await empty, 'de', branding);
  const blank = inkShare((await pdfPagesGrey(rendered.pdf, dpi))[rendered.chart.page - 1]!, rendered.chart, dpi);
  t.ok(blank < 0.15, `no bars without data, only the no-data marks (${blank.toFixed(2)})`);
  t.match((await pdfText(rendered.pdf)).flat, 'keine Messdaten');

  if (process.env.UPDATE_SAMPLES === '1') {
    const out = join(import.meta.dirname, '../../../docs/samples/report-de-page1.png');
    await pdfPagePng(pdf, 1, 60, out);
    t.ok(existsSync(out));
  }
});

t.test('logo: a PNG is printed on each page; a missing or non-image file is a clear error up front', async (t) => {
  const logoFile = join(dir, 'logo.png');
  await pdfPagePng((await renderMonthlyPdf(await report, 'de', branding)).pdf, 1, 10, logoFile); // any real PNG will do
  const withLogo = await renderMonthlyPdf(await report, 'de', loadBranding({ logoFile }, 'Nines'));
  const file = join(dir, 'logo-report.pdf');
  writeFileSync(file, withLogo.pdf);
  const images = (await run('/usr/bin/pdfimages', ['-list', file])).stdout.trim().split('\n').slice(2);
  t.equal(images.length, Number((await pdfInfo(withLogo.pdf)).Pages), 'one logo a page');
  t.match((await pdfText(withLogo.pdf)).flat, 'Nines', 'the name falls back to alerting.brand');

  t.throws(() => loadBranding({ logoFile: join(dir, 'missing.png') }, 'Nines'), new BrandingError(`reports.branding.logoFile ${join(dir, 'missing.png')} cannot be read: ENOENT`));
  const notImage = join(dir, 'logo.txt');
  writeFileSync(notImage, 'hello');
  t.throws(() => loadBranding({ logoFile: notImage }, 'Nines'), /is neither a PNG nor a JPEG file/);
});

t.test('CLI: --out x.pdf writes a PDF, --format pdf to a pipe; bad input: clear error and no file', async (t) => {
  mkdirSync(dbDir, { recursive: true });
  const c = await openTestStoreAt(dbDir, TEST_STORE);
  await seedBakery(c.store);
  await c.close({ keep: true });
  // The CLI reaches the same store: the data dir, and on PostgreSQL the database's URL.
  const storeFlags = ['--data-dir', dbDir, ...(c.databaseUrl === null ? [] : ['--database-url', c.databaseUrl])];
  const out = join(dir, 'bericht.pdf');
  const { stderr } = await run(process.execPath, [bin, 'report', ...storeFlags, '--client', 'Bäckerei Müller', '--month', MONTH, '--out', out]);
  t.match(stderr, 'written to');
  const pdf = readFileSync(out);
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'the format follows the extension');
  t.match((await pdfText(pdf)).flat, `Erreichte Verfügbarkeit ${new Formatter('de', 'Europe/Berlin').percent(report.figure.availabilityPercent)}`);
  const piped = await run(process.execPath, [bin, 'report', ...storeFlags, '--client', 'Bäckerei Müller', '--month', MONTH, '--format', 'pdf', '--lang', 'en'], { encoding: 'buffer' });
  t.equal(piped.stdout.subarray(0, 5).toString(), '%PDF-');
  t.match((await pdfText(piped.stdout)).flat, 'Target met');

  const badLogoConfig = join(dir, 'bad-logo.yaml');
  writeFileSync(badLogoConfig, `reports:\n  branding:\n    logoFile: ${join(dir, 'no-such-logo.png')}\n`);
  const failing = join(dir, 'failed.pdf');
  for (const [args, code, reason] of [
    [['--client', 'Niemand', '--month', MONTH], 1, /no such resource: client Niemand/],
    [['--client', 'Bäckerei Müller', '--month', '2026-13'], 2, /--month YYYY-MM/],
    [['--client', 'Bäckerei Müller', '--month', MONTH, '--format', 'docx'], 2, /--format must be html or pdf/],
    [['--client', 'Bäckerei Müller', '--month', MONTH, '--config', badLogoConfig], 1, /logoFile .*no-such-logo\.png cannot be read: ENOENT/],
  ] as const) {
    const failed = await run(process.execPath, [bin, 'report', ...storeFlags, ...args, '--out', failing]).catch((e: { code: number; stderr: string }) => e);
    t.match(failed, { code, stderr: reason });
    t.notOk(existsSync(failing), `no file written for ${args.join(' ')}`);
  }
});
