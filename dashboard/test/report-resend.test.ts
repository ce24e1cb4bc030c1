import t from 'tap';
import { loginAs, startBrowserWorld } from './helpers/world.ts';
import { upsertRecipient } from '../../collector/src/alerting/recipients.ts';
import { startSmtp } from '../../collector/test/notify/helpers/smtp.ts';
import { pdfAttachments } from '../../collector/test/reports/helpers/mail.ts';
import { pdfText } from '../../collector/test/reports/helpers/poppler.ts';

// Real Chromium, a real collector and a real SMTP server on loopback: the consultant sends a client's October report
// again from the client page, as a person does: "Erneut senden…", sees who gets it, confirms. Without a mail server
// it says so and sends nothing; a refusing server is shown per recipient with its reason; a resend is a new mail.
// The clock is injected: Tuesday 3 November 2026, 11:00 in Berlin.
const NOW = Date.parse('2026-11-03T10:00:00Z');
const { c, chromium } = await startBrowserWorld(t, () => NOW);
const smtp = await startSmtp();
t.teardown(() => smtp.close());
await c.addUser('admin', 'admin');
const client = await c.store.ensureClient('Bäckerei Müller', Date.parse('2026-09-01T00:00:00Z'));
await c.addUser('mueller', 'client', 'Bäckerei Müller');
await upsertRecipient(c.store.recipients, { audience: 'plain', clientId: client.id, name: 'Frau Müller', email: 'mueller@baeckerei.example', language: 'de' }, 0);
await upsertRecipient(c.store.recipients, { audience: 'technical', clientId: null, name: 'Jan Berger', email: 'jan@berger-it.example', language: 'en' }, 0);
const PERIOD = '2026-10';
// What the mails must say, from the scenario: October in German and English, as the client's zone names it.
const monthDe = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' }).format(Date.parse('2026-10-15T12:00:00Z'));
const ADDRESSES = ['mueller@baeckerei.example', 'jan@berger-it.example'];

t.test('German: no mail server → said, nothing sent; cancel sends nothing; a refusal shown with its reason; then sent, and again', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/client/${client.id}`);
  await page.locator('#report-send-button').waitFor();
  await page.selectOption('#report-month', PERIOD);
  const outcome = page.locator('#report-outcome');
  const lines = page.locator('#report-preview li');

  // serve without smtp: in its config: the dashboard says so instead of pretending.
  await page.click('#report-send-button');
  await page.locator('#report-outcome.error').waitFor();
  t.match(await outcome.textContent(), /^Kein Mailserver eingerichtet/);
  t.equal(await page.locator('#report-send-confirm').count(), 0, 'no confirmation to press');
  t.equal((await c.store.reportSends.forPeriod(client.id, PERIOD)).length, 0, 'nothing recorded');

  await c.app.reports.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@berger-it.example', timeout: '5s' } });
  await page.click('#report-send-button');
  await page.locator('#report-send-confirm').waitFor();
  t.equal(await page.locator('#report-confirm > span').textContent(), `Den Bericht für ${PERIOD} erneut an diese Empfänger senden?`);
  t.equal(await page.locator('#report-send-confirm').textContent(), `Jetzt an ${ADDRESSES.length} senden`);
  t.same(await lines.evaluateAll((li) => li.map((l) => l.getAttribute('data-address'))), ADDRESSES, 'the recipients, the consultant as the copy');
  t.match(await lines.nth(1).textContent(), /\(Kopie\)/);
  await page.click('#report-send-cancel');
  t.equal(await page.locator('#report-confirm').isHidden(), true);
  t.equal(smtp.mails.length, 0, 'cancel sends nothing');

  smtp.refuse(true);
  await page.click('#report-send-button');
  await page.click('#report-send-confirm');
  await page.locator('#report-outcome.error').waitFor();
  t.equal(await outcome.textContent(), `${ADDRESSES.length} von ${ADDRESSES.length} Mails abgelehnt (Grund unten); zum Wiederholen erneut senden.`);
  t.equal(await page.locator('#report-preview li[data-send="failed"]').count(), ADDRESSES.length);
  t.match(await lines.first().textContent(), /abgelehnt: .*mailbox temporarily unavailable/, "the server's reason, per recipient");
  t.equal(smtp.mails.length, 0);

  smtp.refuse(false);
  await page.click('#report-send-button');
  await page.click('#report-send-confirm');
  await page.locator('#report-outcome.ok').waitFor();
  t.equal(await outcome.textContent(), `Gesendete Mails: ${ADDRESSES.length}.`);
  const mails = await smtp.waitFor(ADDRESSES.length);
  t.same(ADDRESSES.map((a) => mails.filter((m) => m.to.includes(`<${a}>`)).length), ADDRESSES.map(() => 1), 'one mail to each recipient');
  const toClient = mails.find((m) => m.to.includes('mueller@'))!;
  t.equal(toClient.subject, `Verfügbarkeitsbericht ${monthDe}: Bäckerei Müller`);
  const [pdf] = pdfAttachments(toClient.raw);
  t.match((await pdfText(pdf!.content)).flat, new RegExp(`Bäckerei Müller.*${monthDe}|${monthDe}.*Bäckerei Müller`), 'the PDF is that month\'s, in German');
  t.equal(await page.locator('#report-preview li[data-send="sent"]').count(), ADDRESSES.length);
  t.match(await lines.first().textContent(), /gesendet \d/, 'the preview says when');
  t.equal(await page.locator('#report-confirm').isHidden(), true);

  await page.click('#report-send-button');
  // The send is recorded after the server accepted the mail: wait for the answer, not for the mails alone.
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/reports/${client.id}/${PERIOD}/send`));
  await page.click('#report-send-confirm');
  t.equal((await answered).status(), 200);
  const again = await smtp.waitFor(2 * ADDRESSES.length);
  const ids = new Set(again.map((m) => m.messageId));
  t.equal(ids.size, 2 * ADDRESSES.length, 'each resend is a new message with its own Message-ID');
  t.equal((await c.store.reportSends.forPeriod(client.id, PERIOD)).filter((s) => s.sentAt !== null).length, 2 * ADDRESSES.length, 'recorded');
});

t.test('English labels; the confirmation is a dialog for the keyboard; the month changed clears what was shown', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/client/${client.id}`);
  await page.selectOption('#report-month', PERIOD);
  t.equal(await page.locator('#report-send-button').textContent(), 'Send again…');
  const active = () => page.evaluate(() => document.activeElement?.id ?? '');
  const open = () => page.evaluate(() => (document.getElementById('report-confirm') as HTMLDialogElement).open);
  const mailsBefore = smtp.mails.length;
  await page.focus('#report-send-button');
  await page.keyboard.press('Enter');
  await page.locator('#report-send-confirm').waitFor();
  t.equal(await page.locator('#report-send-confirm').textContent(), `Send to ${ADDRESSES.length} now`);
  t.equal(await active(), 'report-send-cancel', 'the dialog opens on the harmless choice');
  await page.keyboard.press('Tab');
  t.equal(await active(), 'report-send-confirm', 'Tab past the last button goes round to the first');
  await page.keyboard.press('Shift+Tab');
  t.equal(await active(), 'report-send-cancel', 'and Shift+Tab back: focus stays in the dialog');
  await page.keyboard.press('Escape');
  t.equal(await open(), false, 'Escape closes it');
  t.equal(await active(), 'report-send-button', 'focus is back on the button that opened it');
  await page.keyboard.press('Space');
  await page.locator('#report-send-confirm').waitFor();
  await page.keyboard.press('Enter');
  t.equal(await open(), false, 'Enter on the focused "cancel" closes it too');
  t.equal(await active(), 'report-send-button');
  t.equal(smtp.mails.length, mailsBefore, 'nothing sent');
  await page.keyboard.press('Enter');
  await page.locator('#report-send-confirm').waitFor();
  // The page behind a modal dialog is inert for people; the month changed by script still drops the confirmation.
  await page.selectOption('#report-month', '2026-09');
  t.equal(await page.locator('#report-confirm').isHidden(), true, 'no confirmation for a month not shown');
  t.equal(await page.locator('#report-preview li').count(), 0);
});

t.test("a client's own login downloads reports but cannot send them", async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'mueller');
  await page.goto(`${c.url}/#/client/${client.id}`);
  await page.locator('#reports a[data-pdf-lang="de"]').waitFor();
  t.equal(await page.locator('#report-send-button').count(), 0);
  t.equal(await page.locator('#report-preview-button').count(), 0);
  // The yearly summary of this year so far, through the link a person clicks, with the login's cookie.
  t.same(await page.locator('#report-year option').evaluateAll((o) => o.map((x) => x.getAttribute('value'))), ['2026', '2025'], 'this year and the one before, from the clock');
  const href = await page.locator('#report-yearly a[data-year-lang="de"]').getAttribute('href');
  const response = await context.request.get(`${c.url}${href}`);
  t.equal(response.headers()['content-type'], 'application/pdf');
  t.match((await pdfText(await response.body())).flat, /Bäckerei Müller/, 'the client\'s yearly summary');
});
