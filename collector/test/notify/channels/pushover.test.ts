import t, { type Test } from 'tap';
import { Value } from '@sinclair/typebox/value';
import { pushover } from '../../../src/notify/channels/pushover.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { sampleAlert, sampleNotice, testDeps } from './helpers/notice.ts';
import { channelErrorOf } from './helpers/channel-error.ts';
import { startService } from './helpers/service.ts';

const APP_TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER_KEY = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const to = { id: 3, label: 'Bereitschaft', target: { userKey: USER_KEY } };

async function pushoverService(t: Test) {
  const service = await startService({ status: 200, body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' } });
  t.teardown(service.close);
  const sender = pushover.create({ appToken: APP_TOKEN, apiUrl: service.url }, testDeps());
  return { service, sender };
}

t.test('posts the notice form-encoded to /1/messages.json as the API documents it', async (t) => {
  const { service, sender } = await pushoverService(t);
  const notice = sampleNotice();
  await sender.send(notice, to);

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/1/messages.json');
  t.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  const form = Object.fromEntries(new URLSearchParams(request.text));
  t.same(Object.keys(form).sort(), ['message', 'priority', 'timestamp', 'title', 'token', 'url', 'url_title', 'user']);
  t.equal(form.token, APP_TOKEN);
  t.equal(form.user, USER_KEY);
  t.equal(form.title, notice.title);
  t.equal(form.message, notice.text);
  t.equal(form.priority, '1', 'critical: high priority, through quiet hours');
  t.equal(form.url, notice.acknowledgeUrl);
  t.equal(form.url_title, catalogs.de.technical.ack);
  t.equal(form.timestamp, String(Math.floor(notice.alerts[0]!.at / 1000)), 'seconds, when the alert happened');
});

t.test('recovered is quiet, links the dashboard when nothing is left to acknowledge, and names the device', async (t) => {
  const { service, sender } = await pushoverService(t);
  const notice = sampleNotice({ severity: 'recovered', acknowledgeUrl: null, language: 'en', alerts: [sampleAlert({ event: 'resolved', acknowledgeUrl: null })] });
  await sender.send(notice, { ...to, target: { userKey: USER_KEY, device: 'iphone,pixel-8' } });
  const form = new URLSearchParams(service.requests[0]!.text);
  t.equal(form.get('priority'), '-1');
  t.equal(form.get('url'), notice.dashboardUrl);
  t.equal(form.get('url_title'), catalogs.en.technical.open);
  t.equal(form.get('device'), 'iphone,pixel-8');
});

t.test('cuts the title at 250 and the message at 1024 characters, ending in …', async (t) => {
  const { service, sender } = await pushoverService(t);
  await sender.send(sampleNotice({ title: 'Ü'.repeat(300), text: '€'.repeat(2000) }), to);
  const form = new URLSearchParams(service.requests[0]!.text);
  t.equal(Array.from(form.get('title')!).length, 250);
  t.ok(form.get('title')!.endsWith('…'));
  t.equal(Array.from(form.get('message')!).length, 1024);
  t.ok(form.get('message')!.endsWith('…'));
});

t.test("Pushover's 400 with status 0 is permanent and names its reasons", async (t) => {
  const { service, sender } = await pushoverService(t);
  service.queue({ status: 400, body: { user: 'invalid', errors: ['user identifier is not a valid user, group, or subscribed user key'], status: 0, request: '5042853c-402d-4a18-abcb-168734a801de' } });
  const error = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(error.kind, 'permanent');
  t.match(error.message, 'user identifier is not a valid user, group, or subscribed user key');
  t.notMatch(error.message, USER_KEY, 'the user key is masked in the reason');
});

t.test('a 200 without status 1 is not a success', async (t) => {
  const { service, sender } = await pushoverService(t);
  service.queue({ status: 200, body: { status: 0, errors: ['application token is invalid'], request: 'x' } });
  const error = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(error.kind, 'permanent');
  t.match(error.message, 'application token is invalid');
});

t.test('429 (over the monthly limit) is transient and keeps Retry-After', async (t) => {
  const { service, sender } = await pushoverService(t);
  service.queue({ status: 429, headers: { 'retry-after': '120' }, body: { status: 0, errors: ['application has exceeded its monthly message limit'] } });
  const error = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(error.kind, 'transient');
  t.equal(error.retryAfterMs, 120_000);
});

t.test('500 and a closed port are transient', async (t) => {
  const { service, sender } = await pushoverService(t);
  service.queue({ status: 500, body: 'Internal Server Error' });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  await service.close();
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient', 'connection refused');
});

t.test('the target schema rejects a malformed user key or extra keys; describe() hides the key', async (t) => {
  t.ok(Value.Check(pushover.targetSchema, { userKey: USER_KEY, device: 'iphone' }));
  t.notOk(Value.Check(pushover.targetSchema, { userKey: 'short' }));
  t.notOk(Value.Check(pushover.targetSchema, { userKey: USER_KEY, token: APP_TOKEN }));
  t.notOk(Value.Check(pushover.settingsSchema, { appToken: APP_TOKEN, apiUrl: 'ftp://example.com' }));
  t.notMatch(pushover.describe({ userKey: USER_KEY }), USER_KEY);
  t.equal(pushover.address({ userKey: USER_KEY }), USER_KEY);
});

t.test('create() without settings says what is missing', async (t) => {
  t.throws(() => pushover.create(undefined, testDeps()), /channels\.pushover\.appToken/);
});
