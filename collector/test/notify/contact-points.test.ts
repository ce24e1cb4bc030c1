import t from 'tap';
import { alertingRig, apiToken, CONSULTANT } from './helpers/alerting.ts';
import { startService } from './channels/helpers/service.ts';

const BOT_TOKEN = '7000001:AAE-contact-points-test-token';
const CHAT_NOT_FOUND = { ok: false, error_code: 400, description: 'Bad Request: chat not found' }; // https://core.telegram.org/bots/api#making-requests
const KARIN_TELEGRAM = { name: CONSULTANT.name, channel: 'telegram', target: { chatId: 4711 }, audience: 'technical', language: 'en' } as const;
const KARIN_NTFY = { name: CONSULTANT.name, channel: 'ntfy', target: { topic: 'karin' }, audience: 'technical', language: 'en' } as const;

t.test('a target the service refuses for good (Telegram "chat not found"): one attempt, given up, the reason in Management; other contact points unaffected', async (t) => {
  const bot = await startService({ status: 400, body: CHAT_NOT_FOUND });
  t.teardown(bot.close);
  const rig = await alertingRig({
    alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '5m', maxAttempts: 100, recipients: [CONSULTANT, KARIN_TELEGRAM], budgetThresholds: [] },
    channels: { telegram: { botToken: BOT_TOKEN, apiUrl: bot.url } },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  for (let minute = 1; minute <= 30; minute++) await rig.step(60_000);
  t.equal(bot.requests.length, 1, 'asked once in half an hour: no retry storm against a permanent refusal');
  t.equal(rig.smtp.mails.length, 1, 'the mail went out regardless');
  const telegram = (await rig.service.engine.recipients.list()).find((r) => r.channel === 'telegram')!;
  const delivery = (await rig.c.store.outbox.deliveryByRecipient()).find((d) => d.recipientId === telegram.id);
  t.match(delivery, { givenUp: 1, pending: 0, lastSentAt: null, lastError: /chat not found/ });
  t.notMatch(delivery?.lastError ?? '', new RegExp(BOT_TOKEN.split(':')[1]!), 'the bot token is not in the stored error');

  const listed = await rig.c.app.inject({ url: '/api/v1/recipients', headers: { authorization: `Bearer ${await apiToken(rig.c, 'admin')}` } });
  const row = (listed.json() as { recipients: Array<{ id: number; delivery: { lastError: string | null; givenUp: number } }> }).recipients.find((r) => r.id === telegram.id);
  t.match(row?.delivery, { givenUp: 1, lastError: /HTTP 400.*chat not found/ }, 'Management shows why');
});

t.test('429 with Retry-After (ntfy rate limit): the next attempt is not before the service asked', async (t) => {
  const ntfy = await startService({ status: 200, body: {} });
  t.teardown(ntfy.close);
  const RETRY_AFTER_S = 600;
  ntfy.queue({ status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) }, body: { code: 42901, http: 429, error: 'limit reached: too many requests' } });
  const rig = await alertingRig({
    alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '1m', maxAttempts: 100, recipients: [KARIN_NTFY], budgetThresholds: [] },
    channels: { ntfy: { server: ntfy.url } },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(ntfy.requests.length, 1, 'the first attempt was refused with 429');
  const refusedAt = rig.now();
  while (rig.now() - refusedAt < RETRY_AFTER_S * 1000 - 60_000) await rig.step(60_000);
  t.equal(ntfy.requests.length, 1, `no attempt within the ${RETRY_AFTER_S} s asked for, though the backoff alone would allow one a minute`);
  await rig.step(60_000);
  await rig.step(60_000);
  t.equal(ntfy.requests.length, 2, 'tried again once the wait is over');
  t.equal((await rig.service.outbox.stats()).pendingDigests, 0, 'and delivered');
});

t.test('one channel keeps failing: the consultant is told ONCE over his other contact point, and once when it works again', async (t) => {
  const bot = await startService({ status: 502, body: 'Bad Gateway' });
  const ntfy = await startService({ status: 200, body: {} });
  t.teardown(() => Promise.all([bot.close(), ntfy.close()]));
  const rig = await alertingRig({
    alerting: {
      failuresToFire: 1, retryBase: '1m', retryMax: '1m', maxAttempts: 1000, fallbackAfter: 3, fallbackAfterTime: '10m', budgetThresholds: [],
      recipients: [KARIN_TELEGRAM, KARIN_NTFY],
    },
    channels: { telegram: { botToken: BOT_TOKEN, apiUrl: bot.url }, ntfy: { server: ntfy.url } },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(ntfy.requests.length, 1, 'the alert itself reached ntfy');
  for (let minute = 1; minute <= 8; minute++) await rig.step(60_000);
  t.equal(ntfy.requests.length, 1, 'failing for less than fallbackAfterTime: nothing yet');
  for (let minute = 1; minute <= 4; minute++) await rig.step(60_000);
  t.equal(ntfy.requests.length, 2, 'then one notice over ntfy');
  const notice = JSON.parse(ntfy.requests[1]!.text) as { title: string; message: string; priority: number };
  t.equal(notice.title, '[Nines] Delivery over Telegram is failing');
  t.match(notice.message, /^Since 15 Jan 2025, 10:0\d CET, Nines cannot deliver messages over Telegram \(\d+ attempts in a row\)\. Last error: telegram chat 4711: HTTP 502 Bad Gateway\. Alerts are still sent/);
  for (let minute = 1; minute <= 30; minute++) await rig.step(60_000);
  t.equal(ntfy.requests.length, 2, 'half an hour more of failures: no second notice');

  bot.queue({ status: 200, body: { ok: true, result: { message_id: 9 } } });
  await rig.step(60_000);
  t.ok(bot.requests.some((r, i) => i > 0 && r.url === `/bot${BOT_TOKEN}/sendMessage`), 'the backlog went out over Telegram');
  t.equal(ntfy.requests.length, 3, 'and the consultant hears it works again');
  t.equal((JSON.parse(ntfy.requests[2]!.text) as { title: string }).title, '[Nines] Delivery over Telegram works again');
  await rig.step(60_000);
  t.equal(ntfy.requests.length, 3, 'nothing more');
});

t.test('the API: channels with their target schemas, a bad target refused with its field, a test message sent at once or its refusal shown', async (t) => {
  const hook = await startService({ status: 204 });
  t.teardown(hook.close);
  const rig = await alertingRig({ alerting: { recipients: [CONSULTANT] } });
  t.teardown(rig.close);
  const admin = await apiToken(rig.c, 'admin');
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    rig.c.app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });

  const channels = (await call('GET', '/api/v1/channels')).json() as { channels: Array<{ kind: string; ready: boolean; problem: string | null; target: { properties: object } }> };
  t.same(channels.channels.map((c) => c.kind), ['email', 'webhook', 'ntfy', 'telegram', 'teams', 'slack', 'pushover', 'gotify', 'signal', 'apprise']);
  t.match(channels.channels.find((c) => c.kind === 'webhook'), { ready: true, problem: null, target: { properties: { url: {}, secret: {} } } });
  t.match(channels.channels.find((c) => c.kind === 'telegram'), { ready: false, problem: /telegram is not set up/ }, 'no bot token configured: said so');

  const bad = await call('POST', '/api/v1/recipients', { name: 'Ops', channel: 'webhook', target: { url: 'ftp://example.org/x' }, audience: 'technical' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json().message, /bad webhook target: \/url: /);
  const unknownKey = await call('POST', '/api/v1/recipients', { name: 'Ops', channel: 'webhook', target: { url: `${hook.url}/x`, secrte: 'typo' }, audience: 'technical' });
  t.match(unknownKey.json().message, /\/secrte: unknown key/);
  t.equal((await call('GET', '/api/v1/recipients')).json().recipients.length, 1, 'nothing stored for either');

  const secretPath = '/hooks/T0AB12/B0CD34/very-secret-path';
  const created = await call('POST', '/api/v1/recipients', { name: 'Ops', channel: 'webhook', target: { url: `${hook.url}${secretPath}`, secret: 'hmac-key-of-sixteen-plus' }, audience: 'technical' });
  t.equal(created.statusCode, 201);
  const contact = created.json().recipient as { id: number; channel: string; contact: string; ready: boolean };
  t.match(contact, { channel: 'webhook', ready: true });
  t.notMatch(JSON.stringify(created.json()), /very-secret-path|hmac-key-of/, 'neither the URL path nor the secret comes back');

  const sent = await call('POST', `/api/v1/recipients/${contact.id}/test`);
  t.equal(sent.statusCode, 200);
  t.match(sent.json(), { sent: true, at: rig.now(), contact: contact.contact });
  t.equal(hook.requests.length, 1, 'sent at once, past the outbox');
  t.equal(hook.requests[0]!.url, secretPath);
  t.match(JSON.parse(hook.requests[0]!.text), { test: true, title: 'Nines: Testnachricht', language: 'de', alerts: [] }, 'in the language of the contact point, German by default');
  t.equal((await rig.service.outbox.stats()).pendingDigests, 0);

  hook.queue({ status: 410, body: 'webhook deleted' });
  const refused = await call('POST', `/api/v1/recipients/${contact.id}/test`);
  t.equal(refused.statusCode, 502);
  t.match(refused.json(), { code: 'NINES_ERR_CHANNEL_FAILED', message: /HTTP 410 webhook deleted/ });
  t.notMatch(refused.json().message, /very-secret-path/, 'the refusal names the target masked');

  const telegram = await call('POST', '/api/v1/recipients', { name: 'Ops', channel: 'telegram', target: { chatId: 1 }, audience: 'technical' });
  t.equal(telegram.statusCode, 201, 'a contact point on a channel not set up is stored …');
  t.equal(telegram.json().recipient.ready, false, '… and shown as not ready');
  const notReady = await call('POST', `/api/v1/recipients/${telegram.json().recipient.id}/test`);
  t.match(notReady.json(), { code: 'NINES_ERR_CHANNEL_FAILED', message: /telegram is not set up: .*botToken/ });
  t.equal((await call('POST', '/api/v1/recipients/999/test')).statusCode, 404);
});

t.test('channel settings saved through the API replace the file\'s, take effect at once, survive a restart, and are refused when wrong', async (t) => {
  const bot = await startService({ status: 200, body: { ok: true, result: { message_id: 1 } } });
  t.teardown(bot.close);
  const rig = await alertingRig({ alerting: { recipients: [CONSULTANT, KARIN_TELEGRAM] } });
  t.teardown(rig.close);
  const admin = await apiToken(rig.c, 'admin');
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    rig.c.app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });
  const telegram = async () => ((await call('GET', '/api/v1/channels')).json() as { channels: Array<{ kind: string; ready: boolean; settings: Record<string, unknown> | null; settingsFrom: string | null }> }).channels.find((c) => c.kind === 'telegram')!;
  t.match(await telegram(), { ready: false, settings: null, settingsFrom: null });

  const typo = await call('PUT', '/api/v1/channels/telegram/settings', { botTokn: BOT_TOKEN });
  t.equal(typo.statusCode, 400);
  t.match(typo.json().message, /bad telegram settings: .*\/botTokn: unknown key/);
  const badToken = await call('PUT', '/api/v1/channels/telegram/settings', { botToken: 'not-a-token' });
  t.match(badToken.json().message, /\/botToken: /);
  t.equal((await call('PUT', '/api/v1/channels/email/settings', { host: 'x' })).statusCode, 400, 'e-mail stays in the file');
  t.match((await call('PUT', '/api/v1/channels/webhook/settings', {})).json().message, /has no settings/);
  t.equal((await call('PUT', '/api/v1/channels/pigeon/settings', {})).statusCode, 404);
  t.same(await rig.c.store.channelSettings.list(), [], 'nothing saved by the refusals');

  const saved = await call('PUT', '/api/v1/channels/telegram/settings', { botToken: BOT_TOKEN, apiUrl: bot.url });
  t.equal(saved.statusCode, 200);
  t.match(saved.json().channel, { ready: true, settingsFrom: 'management', settings: { botToken: '7000…', apiUrl: bot.url } }, 'the token shown by its start only');
  t.notMatch(JSON.stringify(saved.json()), new RegExp(BOT_TOKEN.split(':')[1]!));
  const contact = (await rig.service.engine.recipients.list()).find((r) => r.channel === 'telegram')!;
  t.equal((await call('POST', `/api/v1/recipients/${contact.id}/test`)).statusCode, 200, 'the contact point works at once');
  t.equal(bot.requests[0]?.url, `/bot${BOT_TOKEN}/sendMessage`);

  await rig.service.start({ alerting: { recipients: [CONSULTANT, KARIN_TELEGRAM] }, publicUrl: rig.c.url });
  t.equal((await telegram()).ready, true, 'a restart keeps the saved settings');
  t.equal((await call('DELETE', '/api/v1/channels/telegram/settings')).statusCode, 204);
  t.match(await telegram(), { ready: false, settingsFrom: null }, 'forgotten: back to the file (which has none)');
  t.equal((await call('DELETE', '/api/v1/channels/telegram/settings')).statusCode, 404);
});
