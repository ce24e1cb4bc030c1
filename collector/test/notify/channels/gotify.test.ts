import t, { type Test } from 'tap';
import { Value } from '@sinclair/typebox/value';
import { gotify } from '../../../src/notify/channels/gotify.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { sampleAlert, sampleNotice, testDeps } from './helpers/notice.ts';
import { channelErrorOf } from './helpers/channel-error.ts';
import { startService } from './helpers/service.ts';

const APP_TOKEN = 'AzyoeNS.D4iJLVa';
const to = { id: 4, label: 'Werkstatt-Handy', target: { appToken: APP_TOKEN } };

/** Gotify's answer to a wrong application token: its model.Error, as the API docs show it for 401. */
const UNAUTHORIZED = { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token or user credentials to access this api' };

async function gotifyService(t: Test) {
  const service = await startService({ status: 200, body: { id: 25, appid: 5, message: '…', title: '…', priority: 8, date: '2026-11-03T09:15:00Z' } });
  t.teardown(service.close);
  const sender = gotify.create({ server: `${service.url}/gotify/` }, testDeps());
  return { service, sender };
}

interface GotifyMessage {
  title: string;
  message: string;
  priority: number;
  extras: Record<string, unknown>;
}

t.test('posts JSON to {server}/message with the token in X-Gotify-Key, markdown text and a click URL', async (t) => {
  const { service, sender } = await gotifyService(t);
  const notice = sampleNotice();
  await sender.send(notice, to);

  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/gotify/message', 'under the server base path, and no token in the query');
  t.equal(request.headers['x-gotify-key'], APP_TOKEN);
  t.equal(request.headers['content-type'], 'application/json');
  const body = JSON.parse(request.text) as GotifyMessage;
  t.same(Object.keys(body).sort(), ['extras', 'message', 'priority', 'title']);
  t.equal(body.title, notice.title);
  t.equal(body.priority, 8, 'critical');
  t.same(body.extras, {
    'client::display': { contentType: 'text/markdown' },
    'client::notification': { click: { url: notice.acknowledgeUrl } },
  });
  t.match(body.message, `[${catalogs.de.technical.ack}](<${notice.acknowledgeUrl}>)`);
  t.match(body.message, `(<${notice.dashboardUrl}>)`);
});

t.test('the text is escaped for markdown and keeps its lines; the links follow it', async (t) => {
  const { service, sender } = await gotifyService(t);
  const notice = sampleNotice({ text: 'Sicherung C:\\backup\\*.bak fehlt\n[alt] _nicht_ gefunden' });
  await sender.send(notice, to);
  const body = JSON.parse(service.requests[0]!.text) as GotifyMessage;
  t.equal(
    body.message,
    'Sicherung C:\\\\backup\\\\\\*\\.bak fehlt  \n\\[alt\\] \\_nicht\\_ gefunden\n\n'
      + `[${catalogs.de.technical.ack}](<${notice.acknowledgeUrl}>) · [${catalogs.de.technical.open}](<${notice.dashboardUrl}>)`,
  );
});

t.test('a recovery is low priority and opens the dashboard', async (t) => {
  const { service, sender } = await gotifyService(t);
  const notice = sampleNotice({ severity: 'recovered', acknowledgeUrl: null, alerts: [sampleAlert({ event: 'resolved', acknowledgeUrl: null })] });
  await sender.send(notice, to);
  const body = JSON.parse(service.requests[0]!.text) as GotifyMessage;
  t.equal(body.priority, 2);
  t.same(body.extras['client::notification'], { click: { url: notice.dashboardUrl } });
  t.notMatch(body.message, catalogs.de.technical.ack);
});

t.test("the contact point's own server wins over channels.gotify.server; without either it is permanent", async (t) => {
  const { service } = await gotifyService(t);
  const own = await startService({ status: 200, body: { id: 1 } });
  t.teardown(own.close);
  await gotify.create({ server: service.url }, testDeps()).send(sampleNotice(), { ...to, target: { appToken: APP_TOKEN, server: own.url } });
  t.equal(own.requests.length, 1);
  t.equal(service.requests.length, 0);

  const error = await channelErrorOf(gotify.create(undefined, testDeps()).send(sampleNotice(), to));
  t.equal(error.kind, 'permanent');
  t.match(error.message, 'channels.gotify.server');
});

t.test("Gotify's 401 for an unknown token and its 403 are permanent with Gotify's reason", async (t) => {
  const { service, sender } = await gotifyService(t);
  service.queue({ status: 401, body: UNAUTHORIZED }, { status: 403, body: { error: 'Forbidden', errorCode: 403, errorDescription: 'you are not allowed to access this api' } });
  const unauthorized = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(unauthorized.kind, 'permanent');
  t.match(unauthorized.message, UNAUTHORIZED.errorDescription);
  t.notMatch(unauthorized.message, APP_TOKEN, 'the token is masked in the reason');
  const forbidden = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(forbidden.kind, 'permanent');
  t.match(forbidden.message, 'you are not allowed to access this api');
});

t.test('429 keeps Retry-After; 500 and a closed port are transient', async (t) => {
  const { service, sender } = await gotifyService(t);
  service.queue({ status: 429, headers: { 'retry-after': '30' }, body: 'slow down' }, { status: 500, body: { error: 'Internal Server Error', errorCode: 500, errorDescription: 'database is locked' } });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 30_000);
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');
  await service.close();
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient', 'connection refused');
});

t.test('the target schema rejects a bad target; describe() hides the token', async (t) => {
  t.ok(Value.Check(gotify.targetSchema, { appToken: APP_TOKEN, server: 'https://push.example.com' }));
  t.notOk(Value.Check(gotify.targetSchema, { appToken: 'has spaces in it' }));
  t.notOk(Value.Check(gotify.targetSchema, { appToken: APP_TOKEN, server: 'push.example.com' }), 'a server needs its scheme');
  t.notOk(Value.Check(gotify.targetSchema, { token: APP_TOKEN }));
  t.notMatch(gotify.describe({ appToken: APP_TOKEN, server: 'https://push.example.com' }), APP_TOKEN);
  t.match(gotify.describe({ appToken: APP_TOKEN, server: 'https://push.example.com' }), 'https://push.example.com');
  t.equal(gotify.address({ appToken: APP_TOKEN }), APP_TOKEN);
});
