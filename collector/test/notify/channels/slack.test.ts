import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { SlackTargetSchema } from '@nines/shared';
import { slack } from '../../../src/notify/channels/slack.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { startService } from './helpers/service.ts';
import { sampleNotice, testDeps } from './helpers/notice.ts';
import { refusedUrl } from './helpers/refused.ts';
import { channelErrorOf } from './helpers/channel-error.ts';

const HOOK_PATH = '/services/T0123ABCD/B0456EFGH/k3yS3cr3tW3bh00kT0k3n';
const HOOK_SECRET = 'k3yS3cr3tW3bh00kT0k3n';

interface SlackMessage {
  text: string;
  blocks: Array<{
    type: string;
    text?: { type: string; text: string; emoji?: boolean };
    elements?: Array<{ type: string; action_id: string; text: { type: string; text: string }; url: string; style?: string }>;
  }>;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

t.test('POSTs text plus header, mrkdwn section and link buttons to the webhook URL', async (t) => {
  const service = await startService({ status: 200, body: 'ok' });
  t.teardown(service.close);
  const notice = sampleNotice({ text: 'Antwort <500> & Fehler\n<!channel> soll nicht pingen' });
  await slack.create(undefined, testDeps()).send(notice, { id: 4, label: '#betrieb', target: { url: `${service.url}${HOOK_PATH}` } });

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, HOOK_PATH);
  t.equal(request.headers['content-type'], 'application/json');
  const message = JSON.parse(request.text) as SlackMessage;
  t.strictSame(Object.keys(message).sort(), ['blocks', 'text']);
  t.equal(message.text, escape(`${notice.title}\n${notice.summary}`), 'the fallback for notifications');
  t.strictSame(message.blocks.map((b) => b.type), ['header', 'section', 'actions']);
  t.strictSame(message.blocks[0]!.text, { type: 'plain_text', text: `🚨 ${notice.title}`, emoji: true });
  t.strictSame(message.blocks[1]!.text, { type: 'mrkdwn', text: escape(notice.text) });
  t.notMatch(message.blocks[1]!.text!.text, '<!channel>', 'no mention or link markup gets through');
  const words = catalogs[notice.language].technical;
  t.match(message.blocks[2]!.elements, [
    { type: 'button', text: { type: 'plain_text', text: words.ack }, url: notice.acknowledgeUrl, style: 'primary' },
    { type: 'button', text: { type: 'plain_text', text: words.open }, url: notice.dashboardUrl },
  ]);
  t.equal(message.blocks[2]!.elements![1]!.style, undefined, 'only acknowledge is highlighted');
  t.not(message.blocks[2]!.elements![0]!.action_id, message.blocks[2]!.elements![1]!.action_id, 'action ids unique within the block');
});

t.test('limits: header 150, section 3000 after escaping, cut with "…"; without links no actions block', async (t) => {
  const service = await startService({ status: 200, body: 'ok' });
  t.teardown(service.close);
  const notice = sampleNotice({ severity: 'recovered', title: 'T'.repeat(200), text: 'a&b '.repeat(1000), acknowledgeUrl: null, dashboardUrl: null });
  await slack.create(undefined, testDeps()).send(notice, { id: 4, label: '#betrieb', target: { url: service.url } });
  const message = JSON.parse(service.requests[0]!.text) as SlackMessage;
  t.strictSame(message.blocks.map((b) => b.type), ['header', 'section']);
  const header = message.blocks[0]!.text!.text;
  t.equal(header.length, 150);
  t.ok(header.startsWith('✅ TTT') && header.endsWith('…'));
  const section = message.blocks[1]!.text!.text;
  t.ok(section.length <= 3000, `${section.length} characters`);
  t.ok(section.endsWith('…'));
  t.ok(escape(notice.text).startsWith(section.slice(0, -1)), 'cut between characters: no broken &amp;');
});

t.test('Slack refuses: 429 waits, its documented plain-text reasons are permanent, 500 rollup_error and a refused connection are retried', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = slack.create(undefined, testDeps());
  const to = { id: 4, label: '#betrieb', target: { url: `${service.url}${HOOK_PATH}` } };

  service.queue({ status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 1_000);

  for (const refusal of [
    { status: 400, reason: 'invalid_payload' },
    { status: 403, reason: 'invalid_token' },
    { status: 404, reason: 'no_service' },
    { status: 410, reason: 'channel_is_archived' },
  ]) {
    service.queue({ status: refusal.status, body: refusal.reason });
    const error = await channelErrorOf(sender.send(sampleNotice(), to));
    t.equal(error.kind, 'permanent', refusal.reason);
    t.match(error.message, `HTTP ${refusal.status} ${refusal.reason}`);
    t.notMatch(error.message, HOOK_SECRET, 'the webhook token stays out of the message');
  }

  service.queue({ status: 500, body: 'rollup_error' });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  const refused = await channelErrorOf(sender.send(sampleNotice(), { ...to, target: { url: `${await refusedUrl()}${HOOK_PATH}` } }));
  t.equal(refused.kind, 'transient');
});

t.test('target schema, address and describe', async (t) => {
  const url = `https://hooks.slack.com${HOOK_PATH}`;
  t.ok(Value.Check(SlackTargetSchema, { url }));
  t.notOk(Value.Check(SlackTargetSchema, { url: 'hooks.slack.com/services/x' }));
  t.notOk(Value.Check(SlackTargetSchema, { url, channel: '#betrieb' }), 'the channel is fixed by the webhook, no override key');
  t.equal(slack.address({ url }), url);
  t.equal(slack.describe({ url }), 'https://hooks.slack.com/services/T…/***');
});
