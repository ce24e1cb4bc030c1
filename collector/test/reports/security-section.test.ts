import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coded, type Result, type Status } from '@nines/shared';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { loadBranding, monthlyReport, renderMonthlyPdf, renderMonthlyReport } from '../../src/reports/index.ts';
import { pdfText } from './helpers/poppler.ts';
import { findingsOf, MAX_FINDINGS_PER_CHECK } from '../../src/reports/security.ts';
import { monthRange } from '../../src/availability/index.ts';

// The monthly report's "Sicherheit / Security" section from results in a real store (the suite's kind): what was checked,
// what was found, what was fixed, in plain words for the client.
const MONTH = '2026-06';
const [FROM, TO] = monthRange(MONTH, 'Europe/Berlin');
const H = 3_600_000;
const FIREWALL_OFF = Date.parse('2026-06-03T08:00:00Z'); // 10:00 Berlin
const THREAT_AT = Date.parse('2026-06-20T12:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'nines-security-report-'));
const opened = await openTestStoreAt(dir, TEST_STORE);
const store = opened.store;
t.teardown(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});
const newClient = async (name: string) =>
  Number(await rawValue(store, `INSERT INTO clients (name, timezone, language, created_at) VALUES (?, 'Europe/Berlin', 'de', 0) RETURNING id`, name));
const clientId = await newClient('Praxis Dr. Weber');
const otherId = await newClient('Kanzlei ohne Sicherheit');
for (const [id, client, name] of [['pc-1', clientId, 'pc-empfang'], ['srv-9', otherId, 'server']] as const) {
  await rawRun(store, `INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, ?, ?, 'x', 0, ?)`, id, client, name, name);
}
const check = (agentId: string, id: string, kind: string, name: string) =>
  rawRun(store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, ?, ?, ?, ?)`, agentId, id, kind, name, H);
await check('pc-1', 'fw', 'firewall', 'Firewall');
await check('pc-1', 'av', 'antivirus', 'antivirus'); // unnamed: the report names it in its language
await check('pc-1', 'root', 'disk', 'Datenträger C:');
await check('srv-9', 'web', 'http', 'Webseite');

const batch: Result[] = [];
const add = (checkId: string, kind: string, at: number, status: Status, c: { code: string; params: Record<string, string | number>; message: string }) =>
  batch.push({ seq: 0, checkId, kind, status, ...c, metrics: {}, startedAt: at, finishedAt: at + 100 });
for (let at = FROM; at < TO; at += H) {
  // the firewall is off for 5 hours on 3 June, then on again
  const off = at >= FIREWALL_OFF && at < FIREWALL_OFF + 5 * H;
  add('fw', 'firewall', at, off ? 'CRIT' : 'OK', off ? coded('firewall.inactive', { backend: 'windows', profiles: 'Public' }) : coded('firewall.active', { backend: 'windows' }));
  // the scanner finds a threat on 20 June and keeps reporting it to the month's end
  const threat = at >= THREAT_AT;
  add('av', 'antivirus', at, threat ? 'CRIT' : 'OK', coded('antivirus.state', { product: 'Microsoft Defender', signatureAgeMs: H, ...(threat ? { threats: 1, threatNames: 'Trojan:Win32/Wacatac', threatWindowMs: 7 * 24 * H } : {}) }));
  add('root', 'disk', at, 'CRIT', { code: 'disk.usage', params: { path: 'C:', usedPercent: 99, freeBytes: 1, totalBytes: 100 }, message: 'C: 99 % used' });
}
batch.sort((a, b) => a.startedAt - b.startedAt).forEach((r, i) => (r.seq = i + 1));
for (let i = 0; i < batch.length; i += 500) await store.insertResults('pc-1', batch.slice(i, i + 500), 0);
await store.insertResults('srv-9', [{ seq: 1, checkId: 'web', kind: 'http', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: FROM + H, finishedAt: FROM + H + 5 }], 0);
const now = TO + 86_400_000;

t.test('the report lists each security check and each finding of the month with when it was noticed and fixed', async (t) => {
  const report = await monthlyReport(store, clientId, MONTH, now);
  t.same(report.security.map((s) => [s.host, s.kind]), [['pc-empfang', 'antivirus'], ['pc-empfang', 'firewall']], 'the disk check is not a security check');
  const fw = report.security.find((s) => s.kind === 'firewall')!;
  t.match(fw, { counts: { CRIT: 5 }, last: { status: 'OK', code: 'firewall.active' }, earlierFindings: 0 });
  t.same(fw.findings.map((f) => [f.status, f.from, f.fixedAt]), [['CRIT', FIREWALL_OFF, FIREWALL_OFF + 5 * H]]);
  const av = report.security.find((s) => s.kind === 'antivirus')!;
  t.same(av.findings.map((f) => [f.from, f.fixedAt]), [[THREAT_AT, null]], 'still there at the month\'s end: not fixed');
  t.same((await monthlyReport(store, otherId, MONTH, now)).security, [], 'a client without security checks');
});

t.test('German: plain words, the times in the client\'s zone, nothing of the probes\' own messages', async (t) => {
  const html = renderMonthlyReport(await monthlyReport(store, clientId, MONTH, now), 'de');
  const section = html.slice(html.indexOf('<section data-section="security">'));
  t.match(section, '<h2>Sicherheit</h2>');
  t.match(section, '<td>pc-empfang</td><td>Firewall</td><td>Die Firewall ist ausgeschaltet.</td><td>03.06.2026, 10:00</td><td>03.06.2026, 15:00</td>');
  t.match(section, '<td>pc-empfang</td><td>Virenschutz</td><td>Der Virenschutz hat 1 Schädling gefunden.</td><td>20.06.2026, 14:00</td><td>noch nicht</td>');
  t.match(section, '<td>Firewall</td><td>Die Firewall ist eingeschaltet.</td><td class="num">715 / 0 / 5</td>', 'the latest state and the results of the month');
  t.match(section, '<span data-figure="security-findings">2</span>');
  t.notMatch(section, /Wacatac|Defender|Public|Öffentlich|Datenträger/, 'no threat names, products, profiles, and no disk check');
});

t.test('English, and a client without security checks says so', async (t) => {
  const html = renderMonthlyReport(await monthlyReport(store, clientId, MONTH, now), 'en');
  t.match(html, '<h2>Security</h2>');
  t.match(html, '<td>Antivirus</td><td>Antivirus protection has found 1 threat.</td><td>20 Jun 2026, 14:00</td><td>not yet</td>');
  t.notMatch(html, 'Sicherheit');
  const empty = renderMonthlyReport(await monthlyReport(store, otherId, MONTH, now), 'de');
  t.match(empty, '<h2>Sicherheit</h2>\n  <p>Keine Sicherheitsprüfungen in diesem Monat.</p>');
});

t.test('the German PDF has the section too, as pdftotext reads it', async (t) => {
  const { pdf } = await renderMonthlyPdf(await monthlyReport(store, clientId, MONTH, now), 'de', loadBranding({ name: 'Kühn IT-Service' }, 'Nines'));
  const squeeze = (s: string) => s.replace(/\s+/g, ''); // pdftotext wraps table cells and may drop narrow spaces
  const text = squeeze((await pdfText(pdf)).flat);
  for (const phrase of ['Sicherheit', 'Letzter Stand im Monat', 'Befunde in diesem Monat (2)', 'Die Firewall ist ausgeschaltet.', '03.06.2026, 10:00', 'Der Virenschutz hat 1 Schädling gefunden.', 'noch nicht']) {
    t.ok(text.includes(squeeze(phrase)), phrase);
  }
  // the incidents section above names the threat (the consultant's cause); the security section does not
  const section = text.slice(text.indexOf(squeeze('Was auf jedem Computer geprüft wurde')));
  t.ok(section.length > 0 && section.includes(squeeze('Die Firewall ist eingeschaltet.')), 'the section is found');
  t.notOk(section.includes('Wacatac'), 'no threat name in the security section');
});

t.test('findings: a run of WARN/CRIT ended by OK, its worst state kept; UNKNOWN neither starts nor ends one; the newest few are listed', async (t) => {
  const row = (startedAt: number, status: Status, code = 'logins.summary') => ({ agentId: 'a', agentName: 'a', checkId: 'c', checkName: 'c', status, message: '', metrics: {}, startedAt, code, params: { failures: startedAt } });
  t.same(findingsOf([row(1, 'OK'), row(2, 'WARN'), row(3, 'UNKNOWN'), row(4, 'CRIT'), row(5, 'WARN'), row(6, 'OK'), row(7, 'UNKNOWN'), row(8, 'OK')]).map((f) => [f.from, f.status, f.at, f.fixedAt]),
    [[2, 'CRIT', 4, 6]], 'one finding from 2 to 6, shown by its worst result (4)');
  t.same(findingsOf([row(1, 'UNKNOWN'), row(2, 'OK')]), [], 'a probe that could not look is no finding');

  // Nightly bursts of failed logins on a fresh check: only the newest are listed, the rest counted.
  const nights = 3 + MAX_FINDINGS_PER_CHECK;
  await check('pc-1', 'logins', 'logins', 'Anmeldungen');
  const logins: Result[] = [];
  for (let n = 0; n < nights; n++) {
    const at = FROM + n * 24 * H + 2 * H;
    logins.push({ seq: 0, checkId: 'logins', kind: 'logins', status: 'WARN', ...coded('logins.summary', { failures: 40, windowMs: H, failureLimit: 20 }), metrics: {}, startedAt: at, finishedAt: at + 5 });
    logins.push({ seq: 0, checkId: 'logins', kind: 'logins', status: 'OK', ...coded('logins.summary', { failures: 0, windowMs: H }), metrics: {}, startedAt: at + H, finishedAt: at + H + 5 });
  }
  const last = (await store.getAgent('pc-1'))!.lastSeq;
  logins.forEach((r, i) => (r.seq = last + i + 1));
  await store.insertResults('pc-1', logins, 0);
  const report = await monthlyReport(store, clientId, MONTH, now);
  const summary = report.security.find((s) => s.kind === 'logins')!;
  t.equal(summary.findings.length, MAX_FINDINGS_PER_CHECK);
  t.equal(summary.earlierFindings, 3);
  t.equal(summary.findings[0]!.from, FROM + 3 * 24 * H + 2 * H, 'the oldest listed is the fourth night');
  const html = renderMonthlyReport(await report, 'de');
  t.match(html, 'Es gab 40 fehlgeschlagene Anmeldeversuche in der letzten Stunde.');
  t.match(html, 'pc-empfang · Anmeldungen: 3 frühere Befunde dieser Prüfung sind nicht aufgeführt.');
});
