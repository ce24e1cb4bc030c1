/**
 * The monthly report on the calendar, wired as serve wires it (scheduledJobs from the YAML sections): the hourly
 * client-reports job through the real scheduler and its job_runs, a real SMTP server on loopback, an injected
 * clock crossing 1 December in Berlin. One mail per report recipient; a restart on the same database sends none;
 * a collector that was down on the 1st sends when it is back, within the catch-up days, and not after them.
 */
import t from 'tap';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { scheduledJobs } from '../../src/schedule/start.ts';
import { CATCH_UP_DAYS } from '../../src/reports/delivery.ts';
import type { Settings } from '../../src/settings.ts';
import { startCollector, type TestCollector } from '../helpers/collector.ts';
import { startSmtp, type TestSmtp } from '../notify/helpers/smtp.ts';
import { seedBakery } from './bakery.ts';
import { pdfAttachments } from './helpers/mail.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DUE = Date.parse('2026-12-01T07:00:00Z'); // 08:00 on 1 December in Berlin: the default day and time

async function start(c: TestCollector, smtp: TestSmtp) {
  const file = {
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'Berger IT <reports@consult.example>', timeout: '5s' },
    reports: { weekly: { enabled: false } },
  };
  await c.app.reports.start({ smtp: file.smtp, reports: file.reports, brand: 'Berger IT' });
  await c.app.schedules.start(scheduledJobs(c.app, { publicUrl: null } as Settings, file));
}

async function seed(c: TestCollector): Promise<void> {
  const { clientId } = await seedBakery(c.store as never);
  await upsertRecipient(c.store.recipients, { clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example', audience: 'plain', language: 'de' }, 0);
  await upsertRecipient(c.store.recipients, { clientId: null, name: 'Karin', email: 'karin@consult.example', audience: 'technical', language: 'de' }, 0);
}

t.test('across the month boundary in Berlin: the November report once per recipient, at 08:00 local, not again after a restart', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  let now = DUE - 9 * HOUR; // 23:00 on 30 November in Berlin
  const c = await startCollector({ clock: () => now, keepDir: true });
  await seed(c);
  await start(c, smtp);
  for (; now < DUE; now += HOUR) await c.app.schedules.runDue(now);
  t.equal(smtp.mails.length, 0, 'nothing before 08:00 on the 1st, local');
  await c.app.schedules.runDue(now);
  t.equal(now, DUE);
  const mails = await smtp.waitFor(2);
  t.same(mails.map((m) => m.to.replace(/^.*<|>$/g, '')).sort(), ['karin@consult.example', 'mueller@baeckerei.example'], 'the client and the consultant\'s copy');
  const pdf = pdfAttachments(mails[0]!.raw)[0];
  t.equal(pdf?.content.subarray(0, 5).toString(), '%PDF-', 'with the PDF attached');
  t.match(mails.find((m) => /mueller/.test(m.to))!.subject, /November 2026/);
  for (let hour = 1; hour <= 5; hour++) await c.app.schedules.runDue(now + hour * HOUR);
  t.equal(smtp.mails.length, 2, 'the hourly runs after it send nothing more');

  // Restart: a new collector process on the same database.
  const dir = c.dir;
  await c.close();
  const again = await startCollector({ clock: () => now + 6 * HOUR, dir });
  t.teardown(() => again.close());
  await start(again, smtp);
  await again.app.schedules.runDue(now + 7 * HOUR);
  t.equal(smtp.mails.length, 2, 'nor does a restarted collector');
  t.match(await again.app.schedules.states(), [{ job: 'client-reports', lastOutcome: 'ok' }]);
});

t.test('down on the 1st: the report goes out when the collector is back within the catch-up days, not after them', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const back = DUE + 2 * DAY + 3 * HOUR; // 3 December, 11:00 Berlin
  const c = await startCollector({ clock: () => back });
  t.teardown(() => c.close());
  await seed(c);
  await start(c, smtp); // start() catches up on the newest missed hour
  t.equal((await smtp.waitFor(2)).length, 2, 'sent at start, two days late');

  const late = await startSmtp();
  t.teardown(() => late.close());
  const tooLate = DUE + CATCH_UP_DAYS * DAY + HOUR;
  const d = await startCollector({ clock: () => tooLate });
  t.teardown(() => d.close());
  await seed(d);
  await start(d, late);
  await d.app.schedules.runDue(tooLate + HOUR);
  t.equal(late.mails.length, 0, `${CATCH_UP_DAYS} days after the due day the month is not sent unasked (a resend still can)`);
});
