import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { NtfySettingsSchema, NtfyTargetSchema, type NtfyTarget } from '@nines/shared';
import { ntfy } from '../../../src/notify/channels/ntfy.ts';
import type { ContactAddress } from '../../../src/notify/channels/channel.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { startService } from './helpers/service.ts';
import { sampleNotice, testDeps } from './helpers/notice.ts';
import { refusedUrl } from './helpers/refused.ts';
import { channelErrorOf } from './helpers/channel-error.ts';

const TOPIC = 'nines-mueller-7f3k2q9x';
const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';

function contact(target: NtfyTarget): ContactAddress<NtfyTarget> {
  return { id: 5, label: 'Bereitschaftshandy', target };
}

/** ntfy's answer when publishing to a topic the token may not write (server/errors.go errHTTPForbidden). */
const FORBIDDEN = { code: 40301, http: 403, error: 'forbidden', link: 'https://ntfy.sh/docs/publish/#authentication' };

t.test('publishes JSON to the server root: topic, title, summary, priority 5 and tag for critical, click and view actions, bearer token', async (t) => {
  const service = await startService({ status: 200, body: { id: 'hwQ2YpKdmg', event: 'message', topic: TOPIC } });
  t.teardown(service.close);
  const notice = sampleNotice();
  await ntfy.create({ server: service.url, token: TOKEN }, testDeps()).send(notice, contact({ topic: TOPIC }));

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/', 'JSON publishing goes to the root, the topic is in the body');
  t.equal(request.headers['content-type'], 'application/json');
  t.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  const words = catalogs[notice.language].technical;
  t.strictSame(JSON.parse(request.text), {
    topic: TOPIC,
    title: notice.title,
    message: notice.summary,
    priority: 5,
    tags: ['rotating_light'],
    click: notice.dashboardUrl,
    actions: [
      { action: 'view', label: words.ack, url: notice.acknowledgeUrl, clear: true },
      { action: 'view', label: words.open, url: notice.dashboardUrl, clear: true },
    ],
  });
});

t.test('severity decides priority and tag; no links, no actions; no token, no Authorization', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = ntfy.create({ server: `${service.url}/` }, testDeps());
  const cases = [
    { severity: 'warning', priority: 4, tag: 'warning' },
    { severity: 'recovered', priority: 3, tag: 'white_check_mark' },
    { severity: 'info', priority: 3, tag: 'information_source' },
  ] as const;
  for (const c of cases) {
    await sender.send(sampleNotice({ severity: c.severity, acknowledgeUrl: null, dashboardUrl: null }), contact({ topic: TOPIC }));
    const request = service.requests.at(-1)!;
    t.equal(request.url, '/', 'a trailing slash on the server is not doubled');
    t.equal(request.headers.authorization, undefined);
    const body = JSON.parse(request.text) as Record<string, unknown>;
    t.match(body, { priority: c.priority, tags: [c.tag], actions: [] }, c.severity);
    t.notOk('click' in body, 'no click target without a dashboard URL');
  }
});

t.test('a long summary is cut to ntfy\'s 4096-byte message limit', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const summary = 'Prüfung fehlgeschlagen ü '.repeat(400);
  await ntfy.create({ server: service.url }, testDeps()).send(sampleNotice({ summary }), contact({ topic: TOPIC }));
  const message = (JSON.parse(service.requests[0]!.text) as { message: string }).message;
  t.ok(Buffer.byteLength(message) <= 4096, `${Buffer.byteLength(message)} bytes`);
  t.ok(message.endsWith('…'));
  t.ok(summary.startsWith(message.slice(0, -1)));
});

t.test('a target on its own server gets the message there, without the collector-wide token', async (t) => {
  const main = await startService();
  t.teardown(main.close);
  const own = await startService();
  t.teardown(own.close);
  await ntfy.create({ server: main.url, token: TOKEN }, testDeps()).send(sampleNotice(), contact({ topic: TOPIC, server: own.url }));
  t.equal(main.requests.length, 0);
  t.equal(own.requests.length, 1);
  t.equal(own.requests[0]!.headers.authorization, undefined, 'the token of one server is not handed to another');
});

t.test('the server refuses: 429 waits, 403 forbidden is permanent, 500 and a refused connection are retried', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = ntfy.create({ server: service.url, token: TOKEN }, testDeps());
  const to = contact({ topic: TOPIC });

  service.queue({ status: 429, headers: { 'retry-after': '12' }, body: { code: 42901, http: 429, error: 'limit reached: too many requests', link: 'https://ntfy.sh/docs/publish/#limitations' } });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 12_000);

  service.queue({ status: 403, body: FORBIDDEN });
  const forbidden = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(forbidden.kind, 'permanent');
  t.match(forbidden.message, /HTTP 403 .*forbidden/);
  t.notMatch(forbidden.message, TOPIC, 'the topic (a password for public topics) stays out of the message');
  t.notMatch(forbidden.message, TOKEN);

  service.queue({ status: 500, body: { code: 50001, http: 500, error: 'internal server error' } });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  const refused = await channelErrorOf(ntfy.create({ server: await refusedUrl() }, testDeps()).send(sampleNotice(), to));
  t.equal(refused.kind, 'transient');
});

t.test('schemas, address and describe', async (t) => {
  t.ok(Value.Check(NtfyTargetSchema, { topic: TOPIC }));
  t.ok(Value.Check(NtfyTargetSchema, { topic: TOPIC, server: 'https://ntfy.example.org' }));
  t.notOk(Value.Check(NtfyTargetSchema, { topic: 'mit leerzeichen' }), 'ntfy topic names are [-_A-Za-z0-9]');
  t.notOk(Value.Check(NtfyTargetSchema, { topic: TOPIC, token: TOKEN }), 'the token is collector-wide, not per target');
  t.notOk(Value.Check(NtfyTargetSchema, { topic: TOPIC, server: 'ntfy.example.org' }), 'a server is a URL');
  t.notOk(Value.Check(NtfyTargetSchema, { topic: TOPIC, server: 'https://ntfy.example.org/?topic=x' }), 'a server URL has no query');
  t.ok(Value.Check(NtfySettingsSchema, {}));
  t.notOk(Value.Check(NtfySettingsSchema, { server: 'https://ntfy.sh', user: 'phil' }));

  t.equal(ntfy.address({ topic: TOPIC }), `https://ntfy.sh/${TOPIC}`);
  t.equal(ntfy.address({ topic: TOPIC, server: 'https://ntfy.example.org/' }), `https://ntfy.example.org/${TOPIC}`);
  const shown = ntfy.describe({ topic: TOPIC });
  t.match(shown, 'https://ntfy.sh/');
  t.notMatch(shown, TOPIC);
});
