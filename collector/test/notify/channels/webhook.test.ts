import { createHmac } from 'node:crypto';
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { WebhookPayloadSchema, WebhookTargetSchema, type WebhookTarget } from '@nines/shared';
import { webhook } from '../../../src/notify/channels/webhook.ts';
import type { ContactAddress } from '../../../src/notify/channels/channel.ts';
import { startService } from './helpers/service.ts';
import { sampleNotice, testDeps } from './helpers/notice.ts';
import { refusedUrl } from './helpers/refused.ts';
import { channelErrorOf } from './helpers/channel-error.ts';

const SECRET = 'a-shared-secret-of-the-receiver';

function contact(target: WebhookTarget): ContactAddress<WebhookTarget> {
  return { id: 3, label: 'Ticket system', target };
}

t.test('POSTs the payload as JSON, signed with the secret, with timestamp and idempotency key', async (t) => {
  const service = await startService({ status: 204 });
  t.teardown(service.close);
  const deps = testDeps();
  const notice = sampleNotice();
  await webhook.create(undefined, deps).send(notice, contact({ url: `${service.url}/hooks/nines?src=monitor`, secret: SECRET }));

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/hooks/nines?src=monitor', 'the target URL as given, query included');
  t.equal(request.headers['content-type'], 'application/json');
  t.equal(request.headers['x-nines-timestamp'], String(deps.clock()));
  t.equal(request.headers['idempotency-key'], notice.idempotencyKey);
  const expected = createHmac('sha256', SECRET).update(request.body).digest('hex');
  t.equal(request.headers['x-nines-signature'], `sha256=${expected}`, 'HMAC-SHA256 of the exact body bytes');

  const payload: unknown = JSON.parse(request.text);
  t.ok(Value.Check(WebhookPayloadSchema, payload), [...Value.Errors(WebhookPayloadSchema, payload)].map((e) => `${e.path}: ${e.message}`).join('; ') || 'payload matches the schema');
  t.strictSame(Object.keys(payload as object).sort(), Object.keys(WebhookPayloadSchema.properties).sort(), 'every field, nothing else (no html, no messageId)');
  t.match(payload, {
    version: 1, id: notice.idempotencyKey, thread: notice.threadKey, test: notice.test, severity: notice.severity,
    audience: notice.audience, language: notice.language, title: notice.title, summary: notice.summary, text: notice.text,
    dashboardUrl: notice.dashboardUrl, acknowledgeUrl: notice.acknowledgeUrl, sentAt: deps.clock(),
  });
  t.strictSame((payload as { alerts: unknown }).alerts, notice.alerts, 'the alerts with all their fields');
});

t.test('without a secret: no signature header, the rest unchanged', async (t) => {
  const service = await startService({ status: 200, body: 'ok' });
  t.teardown(service.close);
  await webhook.create(undefined, testDeps()).send(sampleNotice({ test: true, alerts: [] }), contact({ url: service.url }));
  const request = service.requests[0]!;
  t.equal(request.headers['x-nines-signature'], undefined);
  t.equal(request.url, '/');
  t.match(JSON.parse(request.text), { test: true, alerts: [] });
});

t.test('the receiver refuses: 429 waits for Retry-After, 410 is permanent with its reason, 500 and a refused connection are retried', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = webhook.create(undefined, testDeps());
  const to = contact({ url: `${service.url}/hook`, secret: SECRET });

  service.queue({ status: 429, headers: { 'retry-after': '30' }, body: 'slow down' });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 30_000);

  service.queue({ status: 410, body: 'hook deleted' });
  const gone = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(gone.kind, 'permanent');
  t.match(gone.message, /HTTP 410 hook deleted/);
  t.notMatch(gone.message, /\/hook/, 'the URL path (often a credential) stays out of the message');

  service.queue({ status: 500, body: 'oops' });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  const refused = await channelErrorOf(sender.send(sampleNotice(), contact({ url: await refusedUrl() })));
  t.equal(refused.kind, 'transient');
});

t.test('target schema and describe', async (t) => {
  t.ok(Value.Check(WebhookTargetSchema, { url: 'https://tickets.example/api/hook', secret: SECRET }));
  t.notOk(Value.Check(WebhookTargetSchema, { url: 'ftp://tickets.example/hook' }), 'only http(s)');
  t.notOk(Value.Check(WebhookTargetSchema, { url: 'https://user:pass@tickets.example/hook' }), 'no credentials in the authority: fetch refuses those URLs');
  t.ok(Value.Check(WebhookTargetSchema, { url: 'https://tickets.example/hook/user@example' }), 'an @ in the path is fine');
  t.notOk(Value.Check(WebhookTargetSchema, { url: 'https://tickets.example/hook', secret: 'short' }), 'a guessable secret is refused');
  t.notOk(Value.Check(WebhookTargetSchema, { url: 'https://tickets.example/hook', token: 'x' }), 'unknown keys are refused');

  const target = { url: 'https://tickets.example/api/hooks/8f2c9a71d0', secret: SECRET };
  t.equal(webhook.address(target), target.url);
  const shown = webhook.describe(target);
  t.match(shown, 'https://tickets.example/');
  t.notMatch(shown, '8f2c9a71d0');
  t.notMatch(shown, SECRET);
});
