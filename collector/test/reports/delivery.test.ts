/**
 * Monthly reports by mail through a real SMTP server on loopback: due in the client's zone (the night of
 * 31 October UTC is 1 November in Berlin: October's report), once per recipient, never twice, a failed send
 * retried under its Message-ID, a resend on request as a new message.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { ReportService } from '../../src/reports/service.ts';
import { startSmtp } from '../notify/helpers/smtp.ts';
import { seedBakery } from './bakery.ts';
import { pdfAttachments } from './helpers/mail.ts';
import { pdfText } from './helpers/poppler.ts';

const silent = { info() {}, warn() {}, error() {} };

t.test('the report for October at 00:30 local on 1 November: one mail per report recipient, a copy to the consultant, never twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-report-mail-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const smtp = await startSmtp();
  let now = Date.parse('2026-10-31T22:30:00Z'); // 23:30 on 31 October in Berlin
  const service = new ReportService(store, () => now, silent as never);
  t.teardown(async () => {
    service.stop();
    await smtp.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { clientId } = await seedBakery(store);
  const base = { audience: 'plain' as const, language: 'de' as const, timezone: 'Europe/Berlin' };
  const owner = await upsertRecipient(store.recipients, { ...base, clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await upsertRecipient(store.recipients, { ...base, clientId, name: 'Buchhaltung', email: 'buha@baeckerei.example', reports: false }, 0);
  await upsertRecipient(store.recipients, { ...base, clientId, name: 'Handy', channel: 'ntfy', target: { topic: 'baeckerei' } }, 0);
  const consultant = await upsertRecipient(store.recipients, { ...base, clientId: null, name: 'Karin', email: 'karin@consult.example', language: 'en', audience: 'technical' }, 0);
  t.equal((await store.recipients.get(owner))!.reports, true, "a client's e-mail contact point gets reports by default");
  t.equal((await store.recipients.list()).find((r) => r.channel === 'ntfy')!.reports, false, 'other channels do not');
  t.equal((await store.recipients.get(consultant))!.reports, false, 'nor the consultant (he gets copies)');
  await service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'Berger IT <reports@consult.example>', timeout: '5s' }, reports: { monthly: { at: '00:15' } }, brand: 'Berger IT' });
  const delivery = service.delivery;

  t.same(await delivery.runMonthlyReports(now), [], 'still 31 October in Berlin: nothing due');
  now = Date.parse('2026-10-31T23:30:00Z'); // 00:30 on 1 November in Berlin
  const first = await delivery.runMonthlyReports(now);
  t.same(first.map((o) => [o.period, o.address, o.status]), [['2026-10', 'mueller@baeckerei.example', 'sent'], ['2026-10', 'karin@consult.example', 'sent']]);
  const mails = await smtp.waitFor(2);
  t.equal(mails.length, 2);
  const toClient = mails.find((m) => m.to.includes('mueller@baeckerei.example'))!;
  t.equal(toClient.subject, 'Verfügbarkeitsbericht Oktober 2026: Bäckerei Müller');
  const [attachment] = pdfAttachments(toClient.raw);
  t.equal(attachment!.filename, 'report-backerei-muller-2026-10.pdf');
  t.equal(attachment!.content.subarray(0, 5).toString(), '%PDF-');
  const { flat } = await pdfText(attachment!.content);
  t.match(flat, 'Verfügbarkeitsbericht: Bäckerei Müller');
  t.match(flat, 'Oktober 2026');
  t.match(flat, 'Berger IT');
  const copy = mails.find((m) => m.to.includes('karin@consult.example'))!;
  t.match(copy.subject, /^Availability report October 2026: Bäckerei Müller \(Copy for the consultant/, 'the copy in the consultant\'s language');
  t.equal(pdfAttachments(copy.raw).length, 1);
  t.same(new Set(mails.map((m) => m.messageId)), new Set(first.map((o) => o.messageId)), 'the Message-IDs recorded are the ones sent');

  const again = await delivery.runMonthlyReports(now + 60_000);
  t.same(again.map((o) => o.status), ['already', 'already']);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(smtp.mails.length, 2, 'a second run sends nothing');
  t.match((await delivery.preview(clientId, '2026-10')).recipients, [{ address: 'mueller@baeckerei.example', sentAt: now, copy: false }, { address: 'karin@consult.example', copy: true }]);

  // a resend on request: a new message each time, recorded as resend 1
  const resent = await delivery.resend('Bäckerei Müller', '2026-10');
  t.same(resent.map((o) => o.status), ['sent', 'sent']);
  await smtp.waitFor(4);
  t.notOk(first.some((o) => resent.some((r) => r.messageId === o.messageId)), 'new Message-IDs');
  t.same((await store.reportSends.forPeriod(clientId, '2026-10')).map((s) => s.resend), [0, 0, 1, 1]);
});

t.test('SMTP refusing: the send fails, is recorded, and the next run sends it once under the same Message-ID', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-report-mail-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const smtp = await startSmtp();
  const now = Date.parse('2026-12-01T07:00:00Z'); // 08:00 on 1 December in Berlin: the default time
  const service = new ReportService(store, () => now, silent as never);
  t.teardown(async () => {
    service.stop();
    await smtp.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { clientId } = await seedBakery(store);
  await upsertRecipient(store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@consult.example', timeout: '5s' } });
  smtp.refuse(true);
  const failed = await service.delivery.runMonthlyReports(now);
  t.match(failed, [{ period: '2026-11', status: 'failed', error: /451/ }]);
  t.match(await store.reportSends.forPeriod(clientId, '2026-11'), [{ sentAt: null, attempts: 1, lastError: /451/ }]);
  smtp.refuse(false);
  const retried = await service.delivery.runMonthlyReports(now + 60_000);
  t.match(retried, [{ status: 'sent', messageId: failed[0]!.messageId }]);
  const [mail] = await smtp.waitFor(1);
  t.equal(mail!.messageId, failed[0]!.messageId);
  t.match(await store.reportSends.forPeriod(clientId, '2026-11'), [{ sentAt: now, attempts: 2, lastError: null }]);
});

t.test('yearly: on 1 January last year\'s summary, a one-page PDF with each month', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-report-mail-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const smtp = await startSmtp();
  const now = Date.parse('2027-01-01T07:30:00Z'); // 08:30 local
  const service = new ReportService(store, () => now, silent as never);
  t.teardown(async () => {
    service.stop();
    await smtp.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { clientId } = await seedBakery(store);
  await upsertRecipient(store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@consult.example', timeout: '5s' } });
  t.same(await service.delivery.runYearlyReports(Date.parse('2026-12-31T22:59:00Z')), [], 'not before 1 January 08:00 in Berlin');
  t.same(await service.delivery.runYearlyReports(Date.parse('2027-01-08T07:30:00Z')), [], 'nor after the catch-up week');
  const sent = await service.delivery.runYearlyReports(now);
  t.match(sent, [{ period: '2026', status: 'sent' }]);
  const [mail] = await smtp.waitFor(1);
  t.equal(mail!.subject, 'Jahresübersicht Verfügbarkeit 2026: Bäckerei Müller');
  const pdf = pdfAttachments(mail!.raw)[0]!.content;
  const { flat } = await pdfText(pdf);
  t.match(flat, 'Juni 2026 99,953 %', 'June, the fixture month, with its figure');
  t.match(flat, 'Januar 2026 k. A.', 'months without data say so');
  t.match(flat, 'Seite 1 von 1');
  t.same((await service.delivery.runYearlyReports(now + 1000)).map((o) => o.status), ['already']);
});

t.test('two runs at once (a slow scheduler tick overlapping the next): still one mail per recipient', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-report-mail-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const smtp = await startSmtp();
  const now = Date.parse('2026-12-01T07:00:00Z');
  const service = new ReportService(store, () => now, silent as never);
  t.teardown(async () => {
    service.stop();
    await smtp.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { clientId } = await seedBakery(store);
  await upsertRecipient(store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@consult.example', timeout: '5s' } });
  const [a, b] = await Promise.all([service.delivery.runMonthlyReports(now), service.delivery.runMonthlyReports(now + 1)]);
  t.same([...a, ...b].map((o) => o.status).sort(), ['already', 'sent']);
  await smtp.waitFor(1);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(smtp.mails.length, 1);
});
