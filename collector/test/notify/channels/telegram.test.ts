import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { TelegramSettingsSchema, TelegramTargetSchema, type TelegramTarget } from '@nines/shared';
import { telegram } from '../../../src/notify/channels/telegram.ts';
import type { ContactAddress } from '../../../src/notify/channels/channel.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { startService } from './helpers/service.ts';
import { sampleNotice, testDeps } from './helpers/notice.ts';
import { refusedUrl } from './helpers/refused.ts';
import { channelErrorOf } from './helpers/channel-error.ts';

const BOT_TOKEN = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const CHAT = -1001234567890;

function contact(target: TelegramTarget): ContactAddress<TelegramTarget> {
  return { id: 8, label: 'Bereitschaft', target };
}

/** A successful sendMessage answer: https://core.telegram.org/bots/api#making-requests */
const SENT = { ok: true, result: { message_id: 42, chat: { id: CHAT, type: 'supergroup' }, date: 1764753300, text: '…' } };

interface SentMessage {
  chat_id: number | string;
  text: string;
  parse_mode: string;
  link_preview_options: { is_disabled: boolean };
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; url: string }>> };
}

t.test('POSTs sendMessage as JSON to /bot<token>/: HTML text with the escaped title and text, URL buttons for acknowledge and dashboard', async (t) => {
  const service = await startService({ status: 200, body: SENT });
  t.teardown(service.close);
  const notice = sampleNotice({ title: '[CRIT] Müller & Söhne <GmbH> · Webshop', text: 'Antwort: <html> & "mehr"\nzweite Zeile' });
  await telegram.create({ botToken: BOT_TOKEN, apiUrl: service.url }, testDeps()).send(notice, contact({ chatId: CHAT }));

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, `/bot${BOT_TOKEN}/sendMessage`);
  t.equal(request.headers['content-type'], 'application/json');
  const sent = JSON.parse(request.text) as SentMessage;
  t.strictSame(Object.keys(sent).sort(), ['chat_id', 'link_preview_options', 'parse_mode', 'reply_markup', 'text']);
  t.equal(sent.chat_id, CHAT);
  t.equal(sent.parse_mode, 'HTML');
  t.strictSame(sent.link_preview_options, { is_disabled: true });
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  t.equal(sent.text, `<b>🚨 ${escape(notice.title)}</b>\n\n${escape(notice.text)}`);
  t.notMatch(sent.text, '<GmbH>', 'markup in the notice is escaped, not interpreted');
  const words = catalogs[notice.language].technical;
  t.strictSame(sent.reply_markup, { inline_keyboard: [[{ text: words.ack, url: notice.acknowledgeUrl }, { text: words.open, url: notice.dashboardUrl }]] });
});

t.test('a message longer than 4096 visible characters is cut with "…"; no links, no keyboard; @channel ids pass as they are', async (t) => {
  const service = await startService({ status: 200, body: SENT });
  t.teardown(service.close);
  const notice = sampleNotice({ severity: 'recovered', text: 'x'.repeat(5000), acknowledgeUrl: null, dashboardUrl: null });
  await telegram.create({ botToken: BOT_TOKEN, apiUrl: service.url }, testDeps()).send(notice, contact({ chatId: '@nines_alerts' }));
  const sent = JSON.parse(service.requests[0]!.text) as SentMessage;
  t.equal(sent.chat_id, '@nines_alerts');
  t.notOk('reply_markup' in sent);
  const visible = sent.text.replace(/<\/?b>/g, '');
  t.equal(visible.length, 4096);
  t.ok(visible.startsWith(`✅ ${notice.title}\n\nxxx`));
  t.ok(visible.endsWith('x…'));
});

t.test('Bot API errors: flood control waits retry_after, unknown chat / blocked / bad token / upgraded group are permanent, ok:false too', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = telegram.create({ botToken: BOT_TOKEN, apiUrl: service.url }, testDeps());
  const to = contact({ chatId: CHAT });

  service.queue({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } } });
  const flood = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(flood.kind, 'transient');
  t.equal(flood.retryAfterMs, 35_000, 'the wait from the body');

  service.queue({ status: 429, headers: { 'retry-after': '7' }, body: 'Too Many Requests' });
  const header = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(header.kind, 'transient');
  t.equal(header.retryAfterMs, 7_000, 'without a JSON body the Retry-After header');

  const permanent = [
    { status: 400, description: 'Bad Request: chat not found' },
    { status: 403, description: 'Forbidden: bot was blocked by the user' },
    { status: 401, description: 'Unauthorized' },
  ];
  for (const p of permanent) {
    service.queue({ status: p.status, body: { ok: false, error_code: p.status, description: p.description } });
    const error = await channelErrorOf(sender.send(sampleNotice(), to));
    t.equal(error.kind, 'permanent', p.description);
    t.match(error.message, p.description);
    t.notMatch(error.message, BOT_TOKEN, 'the token stays out of the message');
  }

  service.queue({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1009876543210 } } });
  const migrated = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(migrated.kind, 'permanent');
  t.match(migrated.message, /upgraded to a supergroup.*-1009876543210/, 'says which chat id to use now');

  service.queue({ status: 200, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } });
  const notOk = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(notOk.kind, 'permanent', '200 with ok:false did not send anything');
  t.match(notOk.message, 'message text is empty');

  service.queue({ status: 502, body: '<html>Bad Gateway</html>' });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  const refused = await channelErrorOf(telegram.create({ botToken: BOT_TOKEN, apiUrl: await refusedUrl() }, testDeps()).send(sampleNotice(), to));
  t.equal(refused.kind, 'transient');
  t.notMatch(refused.message, BOT_TOKEN);
});

t.test('settings are required; schemas, address and describe', async (t) => {
  t.throws(() => telegram.create(undefined, testDeps()), /botToken/);
  t.ok(Value.Check(TelegramSettingsSchema, { botToken: BOT_TOKEN }));
  t.notOk(Value.Check(TelegramSettingsSchema, { botToken: 'not-a-token' }));
  t.ok(Value.Check(TelegramTargetSchema, { chatId: CHAT }));
  t.ok(Value.Check(TelegramTargetSchema, { chatId: '-1001234567890' }));
  t.ok(Value.Check(TelegramTargetSchema, { chatId: '@nines_alerts' }));
  t.notOk(Value.Check(TelegramTargetSchema, { chatId: 'nines alerts' }));
  t.notOk(Value.Check(TelegramTargetSchema, { chatId: 1.5 }));
  t.notOk(Value.Check(TelegramTargetSchema, { chatId: CHAT, botToken: BOT_TOKEN }), 'the bot token belongs in the settings');
  t.equal(telegram.address({ chatId: CHAT }), String(CHAT));
  t.equal(telegram.describe({ chatId: CHAT }), `Telegram chat ${CHAT}`);
});
