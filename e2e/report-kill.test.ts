/**
 * Issue 24: `nines-collector serve` killed with kill -9 while the monthly reports go out. The reports that had gone
 * are not sent again; the one on the wire when it died and those not begun go once, by the collector started again
 * (it fails the abandoned run at start, and its scheduler retries after the backoff). The consultant sees the
 * abandoned run in GET /api/v1/schedules, then the retry's success.
 *
 * The reports fall due at a day and hour of the month, so the collector processes run under libfaketime (Debian's
 * faketime): the clients are created on 20 November 2026, and the reports of November fall due on 1 December at 08:00
 * in Berlin. Each process's clock starts where the scenario needs it and runs at real speed; timers (monotonic) are
 * left alone. Nothing else is faked: real processes, a real SMTP server on loopback, the suite's store.
 */
import t from 'tap';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, waitUntil, sleep } from './helpers/processes.ts';
import { adminApi } from './helpers/api.ts';
import { table } from './helpers/expect.ts';
import { startSmtp, type ReceivedMail } from '../collector/test/notify/helpers/smtp.ts';
import { createTestDatabase, TEST_STORE } from '../collector/test/helpers/test-store.ts';

t.setTimeout(300_000);

const LIBFAKETIME = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/faketime/libfaketime.so.1`;
const CLIENTS_MADE_AT = Date.parse('2026-11-20T10:00:00Z');
/** 1 December, 07:59:30 in Berlin: the hourly report run of 07:00 UTC (08:00 there) comes half a minute later. */
const DUE_DAY_START = Date.parse('2026-12-01T06:59:30Z');
const CLIENTS = ['Bäckerei Schmidt', 'Kanzlei Weber', 'Praxis Dr. Roth'];
const REPORT_SUBJECT = /^Verfügbarkeitsbericht November 2026: (.+?)( \(Kopie [^)]*\))?$/;
const RETRY_BACKOFF_MS = 60_000; // the scheduler's first retry (schedule/scheduler.ts)

/** libfaketime's clock for one process: starts at `at` (UTC, whole seconds: FAKETIME has no finer) and runs at real speed. */
function clockAt(at: number): Record<string, string> {
  if (at % 1000 !== 0) throw new Error(`${at} is not a whole second`);
  const iso = new Date(at).toISOString();
  return { LD_PRELOAD: LIBFAKETIME, FAKETIME: `@${iso.slice(0, 10)} ${iso.slice(11, 19)}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}

t.test('kill -9 in the middle of the monthly reports: each report reaches each recipient once, the abandoned run is retried', async (t) => {
  if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} is missing: install Debian's faketime (.ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'nines-e2e-report-kill-'));
  const cleanups: Array<() => unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  t.teardown(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const smtp = await startSmtp();
  cleanups.push(() => smtp.close());
  const configFile = join(dir, 'collector.yml');
  writeFileSync(configFile, [
    'smtp:', '  host: 127.0.0.1', `  port: ${smtp.port}`, '  secure: false', '  from: "Nines E2E <nines@e2e.test>"',
    // Only the monthly reports are at stake here; the Monday overview would be due on 1 December too (30 November 07:00).
    'reports:', '  weekly:', '    enabled: false',
  ].join('\n') + '\n');
  let databaseUrl: string | undefined;
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    databaseUrl = database.url;
  }

  // The collector's clock for its next start: set before each start, then running with real time.
  let startAt = CLIENTS_MADE_AT;
  const collector = await startCollector({ dataDir: join(dir, 'collector'), configFile, databaseUrl, env: () => clockAt(startAt) });
  cleanups.push(() => collector.child.stop());
  cleanups.push(() => {
    if (!t.passing()) t.comment(`collector output (tail):\n${collector.child.output.slice(-6000)}\nmails: ${JSON.stringify(smtp.mails.map((m) => [m.to, m.subject]))}`);
  });

  // 20 November: three clients, each with its own report recipient, and the consultant, who gets a copy of each.
  const setup = await adminApi(collector);
  await setup.post('/api/v1/recipients', { name: 'Consultant', email: 'ops@e2e.test', audience: 'technical', language: 'de' });
  const addresses = new Map<string, string>();
  for (const [i, name] of CLIENTS.entries()) {
    await setup.post('/api/v1/clients', { name, timezone: 'Europe/Berlin' });
    addresses.set(name, `client${i}@e2e.test`);
    await setup.post('/api/v1/recipients', { name: `Contact ${i}`, email: `client${i}@e2e.test`, client: name, audience: 'plain', language: 'de' });
  }
  await collector.child.stop();

  // 1 December: the reports go; the first is accepted, the second is held on the wire, and the collector is killed.
  smtp.hold(1);
  startAt = DUE_DAY_START;
  const startedReal = Date.now(); // libfaketime's clock starts with the process
  await collector.restart();
  await waitUntil('one report accepted and the next one held', () => (smtp.mails.length === 1 && smtp.held().length === 1 ? true : undefined), 120_000);
  const first = smtp.mails[0]!;
  const heldMail = smtp.held()[0]!;
  collector.child.process.kill('SIGKILL');
  await collector.child.exited;
  // The killed sender's connection is gone: the server drops the mail it never acknowledged.
  await waitUntil('the held mail dropped', () => (smtp.held().length === 0 ? true : undefined), 10_000, 50);
  smtp.hold(null);

  // Started again, its clock where the killed one's is now (to the next second: never before it).
  startAt = Math.ceil((DUE_DAY_START + (Date.now() - startedReal)) / 1000) * 1000;
  await collector.restart();
  const api = await adminApi(collector);
  const reportJob = async () => (await api.get<{ schedules: Array<{ job: string; lastOutcome: string | null; lastError: string | null; nextAt: number }> }>('/api/v1/schedules')).schedules.find((s) => s.job === 'client-reports')!;
  // On SQLite the restarted collector fails the run as it starts; on PostgreSQL once the killed one's session is gone
  // from the server, which may take a moment after the kill.
  const afterRestart = await waitUntil('the report run no longer shown running', async () => {
    const job = await reportJob();
    return job.lastOutcome === 'running' ? undefined : job;
  }, 15_000);

  const expected = CLIENTS.length * 2; // each client's report to its contact, and its copy to the consultant
  const mails = await waitUntil(`${expected} report mails`, () => (smtp.mails.length >= expected ? smtp.mails : undefined), RETRY_BACKOFF_MS + 90_000, 250);
  await sleep(3_000); // long enough for a duplicate of the last one to come
  const retried = await reportJob();

  const key = (m: ReceivedMail) => `${REPORT_SUBJECT.exec(m.subject)?.[1] ?? `? ${m.subject}`} → ${m.to.replace(/^.*</, '').replace(/>.*$/, '')}`;
  const counts = new Map<string, number>();
  for (const m of smtp.mails) counts.set(key(m), (counts.get(key(m)) ?? 0) + 1);
  const rows = CLIENTS.flatMap((name) => [`${name} → ${addresses.get(name)}`, `${name} → ops@e2e.test`]).map((k) => [k, 1, counts.get(k) ?? 0] as [string, number, number]);
  t.comment(table('report mails accepted per client and recipient', [...rows, ['all', expected, smtp.mails.length]]));
  t.same(rows.filter(([, , seen]) => seen !== 1), [], 'every client\'s November report reached its contact and the consultant once each');
  t.equal(smtp.mails.length, expected, 'and nothing else was mailed');
  t.equal(mails[0], first, 'the report accepted before the kill is the first mail, and was not sent again');
  const resent = smtp.mails.filter((m) => m.to === heldMail.to && m.subject === heldMail.subject);
  t.same(resent.map((m) => m.messageId), [heldMail.messageId], 'the report on the wire at the kill went once, under the Message-ID the killed run gave it');

  t.match(afterRestart, { lastOutcome: 'failed', lastError: /stopped before it ended; retried/ }, 'after the restart the schedules show the abandoned run');
  t.ok(afterRestart.nextAt >= startAt + RETRY_BACKOFF_MS, `and its retry after the backoff (${afterRestart.nextAt - startAt} ms after the restart's start)`);
  t.match(retried, { lastOutcome: 'ok', lastError: null }, 'then the retry’s success');
});
