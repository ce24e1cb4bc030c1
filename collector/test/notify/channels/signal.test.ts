import t, { type Test } from 'tap';
import { Value } from '@sinclair/typebox/value';
import { signal } from '../../../src/notify/channels/signal.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { sampleAlert, sampleNotice, testDeps } from './helpers/notice.ts';
import { channelErrorOf } from './helpers/channel-error.ts';
import { startService } from './helpers/service.ts';

const ACCOUNT = '+4915112345678';
const RECIPIENT = '+4917098765432';
const GROUP = 'group.ZkVqc2JrNjVzSDdyM2JmU1VkcVdxQkpWSm1uVGo0d0ZzaWsxaWU9';
const to = { id: 5, label: 'Bereitschaft', target: { recipient: RECIPIENT } };

async function signalService(t: Test) {
  const service = await startService({ status: 201, body: { timestamp: '1764753300123' } });
  t.teardown(service.close);
  const sender = signal.create({ url: `${service.url}/`, number: ACCOUNT }, testDeps());
  return { service, sender };
}

t.test('posts {message, number, recipients} to /v2/send: title, text and the links with their words', async (t) => {
  const { service, sender } = await signalService(t);
  const notice = sampleNotice();
  await sender.send(notice, to);

  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/v2/send');
  t.equal(request.headers['content-type'], 'application/json');
  const body = JSON.parse(request.text) as { message: string; number: string; recipients: string[] };
  t.same(Object.keys(body).sort(), ['message', 'number', 'recipients']);
  t.equal(body.number, ACCOUNT);
  t.same(body.recipients, [RECIPIENT]);
  t.equal(body.message, [
    notice.title,
    notice.text,
    `${catalogs.de.technical.ack}: ${notice.acknowledgeUrl}\n${catalogs.de.technical.open}: ${notice.dashboardUrl}`,
  ].join('\n\n'));
});

t.test('a recovery without anything to acknowledge carries only the dashboard link; a group is a recipient like a number', async (t) => {
  const { service, sender } = await signalService(t);
  const notice = sampleNotice({ severity: 'recovered', language: 'en', acknowledgeUrl: null, alerts: [sampleAlert({ event: 'resolved', acknowledgeUrl: null })] });
  await sender.send(notice, { ...to, target: { recipient: GROUP } });
  const body = JSON.parse(service.requests[0]!.text) as { message: string; recipients: string[] };
  t.same(body.recipients, [GROUP]);
  t.ok(body.message.endsWith(`${catalogs.en.technical.open}: ${notice.dashboardUrl}`));
  t.notMatch(body.message, catalogs.en.technical.ack);
});

t.test("signal-cli's 400 {error} is permanent with its reason", async (t) => {
  const { service, sender } = await signalService(t);
  service.queue({ status: 400, body: { error: `User ${ACCOUNT} is not registered.` } });
  const error = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(error.kind, 'permanent');
  t.match(error.message, `User ${ACCOUNT} is not registered.`);
});

t.test('429 keeps Retry-After; 500 and a closed port are transient', async (t) => {
  const { service, sender } = await signalService(t);
  service.queue({ status: 429, headers: { 'retry-after': '60' }, body: { error: 'Failed to send message: rate limit exceeded' } }, { status: 500, body: 'Internal Server Error' });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 60_000);
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');
  await service.close();
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient', 'connection refused');
});

t.test('schemas reject a number without +country and a bad group id; describe() shortens a group id', async (t) => {
  t.ok(Value.Check(signal.targetSchema, { recipient: RECIPIENT }));
  t.ok(Value.Check(signal.targetSchema, { recipient: GROUP }));
  t.ok(Value.Check(signal.targetSchema, { recipient: '8c2a1d5e-6f0b-4c3a-9e7d-2b1f0a9c8d7e' }), 'an account UUID');
  t.notOk(Value.Check(signal.targetSchema, { recipient: '017098765432' }));
  t.notOk(Value.Check(signal.targetSchema, { recipient: 'group.' }));
  t.notOk(Value.Check(signal.targetSchema, { recipient: RECIPIENT, number: ACCOUNT }));
  t.notOk(Value.Check(signal.settingsSchema, { url: 'http://127.0.0.1:8080', number: '4915112345678' }));
  t.equal(signal.describe({ recipient: RECIPIENT }), RECIPIENT, 'a phone number is no secret');
  t.ok(signal.describe({ recipient: GROUP }).length < GROUP.length);
  t.equal(signal.address({ recipient: GROUP }), GROUP);
  t.throws(() => signal.create(undefined, testDeps()), /channels\.signal\.url/);
});
