/**
 * The first reports of a client and of a database (issue 21), with an injected clock and a real SMTP server on
 * loopback. A client created on 20 November gets November's report on 1 December, flagged as resting on partial
 * data; a client created on 3 December is not sent November's in the catch-up days, and its first report is
 * December's; a client created on 1 January gets neither December's report nor last year's summary. A fresh
 * database catches up on no slot from before it existed; an older one does.
 */
import t, { type Test } from 'tap';
import type { Result } from '@nines/shared';
import { openTestStore } from '../helpers/test-store.ts';
import type { Store } from '../../src/store/store.ts';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { ReportService } from '../../src/reports/service.ts';
import { monthlyReport } from '../../src/reports/monthly.ts';
import { ScheduleService } from '../../src/schedule/service.ts';
import { localTimeSchedule } from '../../src/schedule/rule.ts';
import type { Job } from '../../src/schedule/scheduler.ts';
import { startSmtp } from '../notify/helpers/smtp.ts';
import { pdfAttachments } from './helpers/mail.ts';
import { pdfText } from './helpers/poppler.ts';

const silent = { info() {}, warn() {}, error() {} };
const MIN = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** The suite's store, fresh, as from its first start at time 0 (what databaseInfo.since counts from). */
async function openStore(t: Test): Promise<Store> {
  const store = await openTestStore(t);
  if (!store) throw new Error('no test store');
  return store;
}

/** A client created at `createdAt`, with one web check measured every 5 minutes from then to `until`, and a report recipient. */
async function client(store: Store, name: string, createdAt: number, until: number): Promise<number> {
  const id = Number(await rawValue(store, `INSERT INTO clients (name, timezone, language, created_at) VALUES (?, 'Europe/Berlin', 'de', ?) RETURNING id`, name, createdAt));
  const agentId = `srv-${id}`;
  await rawRun(store, `INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, ?, ?, 'x', ?, ?)`, agentId, id, agentId, createdAt, agentId);
  await rawRun(store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'web', 'http', 'Webseite', ?)`, agentId, 5 * MIN);
  const results: Result[] = [];
  for (let t = createdAt, seq = 1; t < until; t += 5 * MIN, seq++) {
    results.push({ seq, checkId: 'web', kind: 'http', name: 'Webseite', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: t, finishedAt: t + 100 });
  }
  for (let i = 0; i < results.length; i += 500) await store.insertResults(agentId, results.slice(i, i + 500), 0);
  await upsertRecipient(store.recipients, { clientId: id, name: `Chef ${name}`, email: `chef@${id}.example`, audience: 'plain', language: 'de' }, 0);
  return id;
}

t.test('a client created mid-month: its first report is that month, flagged partial; months before it are never sent', async (t) => {
  const store = await openStore(t);
  const smtp = await startSmtp();
  let now = at('2026-12-01T07:00:00Z'); // 08:00 on 1 December in Berlin
  const service = new ReportService(store, () => now, silent as never);
  t.teardown(async () => {
    service.stop();
    await smtp.close();
  });
  await service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@consult.example', timeout: '5s' }, brand: 'Berger IT' });
  const neu = await client(store, 'Neu GmbH', at('2026-11-20T09:00:00Z'), at('2026-12-01T07:00:00Z'));

  let sent = await service.delivery.runMonthlyReports(now);
  t.same(sent.map((s) => [s.clientId, s.period, s.status]), [[neu, '2026-11', 'sent']], "November's report of the client created on 20 November");
  const [mail] = await smtp.waitFor(1);
  t.match(mail!.subject, /November 2026: Neu GmbH/);
  const report = await monthlyReport(store, neu, '2026-11', now);
  t.equal(report.figure.partialData, true, 'flagged: measured only since the 20th');
  const text = (await pdfText(pdfAttachments(mail!.raw)[0]!.content)).flat;
  t.match(text, /das Ergebnis beruht auf Teildaten/, 'and the PDF says so');

  // Created on 3 December, inside November's catch-up days: November is not its month.
  now = at('2026-12-03T10:00:00Z');
  const spaet = await client(store, 'Später KG', at('2026-12-03T09:00:00Z'), at('2027-01-01T07:00:00Z'));
  sent = await service.delivery.runMonthlyReports(now);
  t.same(sent.map((s) => [s.clientId, s.period, s.status]), [[neu, '2026-11', 'already']], 'no November report for the client created on 3 December');
  t.same(await store.reportSends.forPeriod(spaet, '2026-11'), [], 'nothing recorded for it either');

  // 1 January: December's reports for both; a client created that morning gets neither December's nor 2026's summary.
  now = at('2027-01-01T07:00:00Z');
  const januar = await client(store, 'Januar AG', at('2027-01-01T06:00:00Z'), now);
  sent = await service.delivery.runMonthlyReports(now);
  t.same(sent.map((s) => [s.clientId, s.period]).sort(), [[neu, '2026-12'], [spaet, '2026-12']].sort(), "December's report, the first of the client created on 3 December");
  const yearly = await service.delivery.runYearlyReports(now);
  t.same(yearly.map((s) => [s.clientId, s.period]).sort(), [[neu, '2026'], [spaet, '2026']].sort(), 'the yearly summary for those that existed in 2026');
  t.same([...(await store.reportSends.forPeriod(januar, '2026-12')), ...(await store.reportSends.forPeriod(januar, '2026'))], [], 'nothing for the client created on 1 January');
  await smtp.waitFor(5);
  t.equal(smtp.mails.length, 5);
});

/** A weekly job (Monday 07:00 Berlin, six days' look-back, as the overview) recording its slots. */
function weekly(): Job & { ran: string[] } {
  const ran: string[] = [];
  return { name: 'weekly-overview', schedule: localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', weekday: 'monday' }), lookBackMs: 6 * DAY, ran, async run(slot) { ran.push(new Date(slot).toISOString()); } };
}

t.test('a fresh database catches up on no slot from before it existed; a database with older rows does', async (t) => {
  const tuesday = at('2026-12-01T09:00:00Z');
  const fresh = await openStore(t);
  let now = tuesday;
  const schedules = new ScheduleService(fresh.jobRuns, () => now, silent, (n) => fresh.databaseInfo.since(n));
  t.teardown(() => schedules.stop());
  const job = weekly();
  await schedules.start([job]);
  t.same(job.ran, [], "first start on a Tuesday: Monday's overview is not sent");
  t.equal(await fresh.databaseInfo.since(tuesday + DAY), tuesday, 'the database exists since that first start, and stays so');
  now = at('2026-12-07T06:00:00Z');
  await schedules.runDue(now);
  t.same(job.ran, ['2026-12-07T06:00:00.000Z'], 'the next Monday runs');

  const old = await openStore(t);
  await old.ensureClient('Bäckerei Müller', at('2026-11-02T10:00:00Z'));
  now = tuesday;
  const oldSchedules = new ScheduleService(old.jobRuns, () => now, silent, (n) => old.databaseInfo.since(n));
  t.teardown(() => oldSchedules.stop());
  const oldJob = weekly();
  await oldSchedules.start([oldJob]);
  t.same(oldJob.ran, ['2026-11-30T06:00:00.000Z'], 'a database in use since November catches up on Monday at start');
  t.equal(await old.databaseInfo.since(now), at('2026-11-02T10:00:00Z'), 'since its oldest row');
});
