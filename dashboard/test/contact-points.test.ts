import t from 'tap';
import { startService } from '../../collector/test/notify/channels/helpers/service.ts';
import { startSmtp } from '../../collector/test/notify/helpers/smtp.ts';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium against a real collector with delivery running: the consultant adds contact points in Management
// (an e-mail address, an ntfy topic, a webhook) as a person does, presses "send test message" on each, and sees what
// the service answered. Each service is a real server on loopback; what arrived there is checked too.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const smtp = await startSmtp();
const ntfy = await startService({ status: 200, body: {} });
const hook = await startService({ status: 204 });
const bot = await startService({ status: 200, body: { ok: true, result: { message_id: 1 } } }); // the Bot API's answer
t.teardown(() => Promise.all([smtp.close(), ntfy.close(), hook.close(), bot.close()]));
const BOT_TOKEN = '7000001:AAE-dashboard-test-token-x';
await c.app.alerting.start({
  smtp: { host: '127.0.0.1', port: smtp.port, from: 'Nines <alerts@consult.example>' },
  channels: { ntfy: { server: ntfy.url } },
  alerting: { brand: 'Berger IT' },
});

t.test('contact points in Management: one per channel, each with a working "send test message"; a refusal is shown in place', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#rcp-form').waitFor();
  const save = async (name: string, channel: string, fields: Record<string, string>) => {
    await page.locator('#rcp-name').fill(name);
    await page.locator('#rcp-channel').selectOption(channel);
    for (const [key, value] of Object.entries(fields)) await page.locator(`#rcp-target-${key}`).fill(value);
    await page.locator('#rcp-form button[type=submit]').click();
    await page.locator(`#recipients tr[data-channel="${channel}"]`).waitFor();
  };
  const testButton = (channel: string) => page.locator(`#recipients tr[data-channel="${channel}"] button.test`);
  const outcome = page.locator('#admin-recipients .outcome');

  t.same(
    await page.locator('#rcp-channel option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ['email', 'webhook', 'ntfy', 'telegram', 'teams', 'slack', 'pushover', 'gotify', 'signal', 'apprise'],
    'every channel is offered',
  );
  t.match(await page.locator('#rcp-channel option[value=telegram]').textContent(), /nicht eingerichtet/, 'one without settings says so');

  await page.locator('#rcp-reports').selectOption('false');
  await save('Karin Berger', 'email', { address: 'karin@consult.example' });
  t.equal((await c.app.alerting.engine.recipients.list()).find((r) => r.channel === 'email')?.reports, false, 'the report-mail choice is stored as made');
  await testButton('email').click();
  await page.locator('#admin-recipients .outcome.ok').waitFor();
  t.match(await outcome.textContent(), /Testnachricht an karin@consult\.example angenommen/);
  t.equal(smtp.mails.length, 1, 'the test mail arrived');
  t.equal(smtp.mails[0]!.subject, 'Nines: Testnachricht');
  t.match(smtp.mails[0]!.text, /Testnachricht von Berger IT für „Karin Berger“ über E-Mail/);
  t.match(await page.locator('#recipients tr[data-channel="email"]').textContent(), /Berichte —/, "the consultant's contact point gets no reports of its own (copies only)");

  await page.locator('#rcp-channel').selectOption('ntfy');
  t.ok(await page.locator('#rcp-target-topic').isVisible(), 'the form asks for what the channel needs: an ntfy topic');
  t.equal(await page.locator('#rcp-target-address').count(), 0, 'and no longer for an e-mail address');
  await save('Karin Berger', 'ntfy', { topic: 'karin-handy' });
  await testButton('ntfy').click();
  await page.locator('#admin-recipients .outcome.ok').waitFor();
  t.equal(ntfy.requests.length, 1, 'the push arrived at ntfy');
  t.match(JSON.parse(ntfy.requests[0]!.text), { topic: 'karin-handy', title: 'Nines: Testnachricht' });

  await save('Leitstand', 'webhook', { url: `${hook.url}/hooks/leitstand/s3cr3t-path` });
  const webhookRow = page.locator('#recipients tr[data-channel="webhook"]');
  t.notMatch(await webhookRow.textContent() ?? '', /s3cr3t-path/, 'the credential part of the URL is masked in the list');
  hook.queue({ status: 410, body: 'this webhook was deleted' });
  await testButton('webhook').click();
  await page.locator('#admin-recipients .outcome.error').waitFor();
  t.match(await outcome.textContent(), /HTTP 410 this webhook was deleted/, "the service's refusal is shown where the button was pressed");
  await testButton('webhook').click();
  await page.locator('#admin-recipients .outcome.ok').waitFor();
  t.equal(hook.requests.length, 2, 'pressed twice, two requests');
  t.same((await c.app.alerting.outbox.stats()).pendingDigests, 0, 'test messages do not go through the outbox');
});

t.test('Telegram set up in Management (bot token, Bot API server), then a Telegram contact point whose test message arrives', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#ch-form').waitFor();
  t.match(await page.locator('#channels tr[data-channel="telegram"]').textContent(), /telegram is not set up/);
  await page.locator('#ch-kind').selectOption('telegram');
  await page.locator('#ch-set-botToken').fill('not-a-token');
  await page.locator('#ch-form button[type=submit]').click();
  await page.locator('#admin-channels .outcome.error').waitFor();
  t.match(await page.locator('#admin-channels .outcome').textContent(), /bad telegram settings: .*\/botToken/, 'a wrong token is refused in place');
  await page.locator('#ch-set-botToken').fill(BOT_TOKEN);
  await page.locator('#ch-set-apiUrl').fill(bot.url);
  await page.locator('#ch-form button[type=submit]').click();
  const row = page.locator('#channels tr[data-channel="telegram"]');
  await page.locator('#channels tr[data-channel="telegram"] td.ok').waitFor();
  t.match(await row.textContent(), /ready.*botToken: 7000….*saved here/s);
  t.notMatch(await row.textContent() ?? '', /dashboard-test-token/, 'the token is not shown whole');

  await page.locator('#rcp-name').fill('Karin Berger');
  await page.locator('#rcp-channel').selectOption('telegram');
  await page.locator('#rcp-target-chatId').fill('4711');
  await page.locator('#rcp-form button[type=submit]').click();
  await page.locator('#recipients tr[data-channel="telegram"] button.test').click();
  await page.locator('#admin-recipients .outcome.ok').waitFor();
  t.equal(bot.requests.length, 1);
  t.equal(bot.requests[0]!.url, `/bot${BOT_TOKEN}/sendMessage`);
  t.match(JSON.parse(bot.requests[0]!.text), { chat_id: 4711 }, 'the chat id from the form, as a number');
});
