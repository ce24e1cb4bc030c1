import t, { type Test } from 'tap';
import { Value } from '@sinclair/typebox/value';
import { apprise } from '../../../src/notify/channels/apprise.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { sampleAlert, sampleNotice, testDeps } from './helpers/notice.ts';
import { channelErrorOf } from './helpers/channel-error.ts';
import { startService } from './helpers/service.ts';

/**
 * These run the real apprise CLI (Debian's package) against a loopback service through its json:// plugin, which
 * POSTs {version, title, message, attachments, type} (https://github.com/caronc/apprise/wiki/Notify_Custom_JSON).
 */

async function appriseRig(t: Test) {
  const service = await startService({ status: 200, body: 'ok' });
  t.teardown(service.close);
  const sender = apprise.create(undefined, testDeps());
  t.teardown(() => sender.close());
  const url = `json://${service.url.slice('http://'.length)}/hooks/nines`;
  return { service, sender, to: { id: 6, label: 'Leitstelle', target: { url } } };
}

interface AppriseJson {
  version: string;
  title: string;
  message: string;
  attachments: unknown[];
  type: string;
}

t.test('runs apprise, which posts the title, the text with its links and the type to the json:// URL', async (t) => {
  const { service, sender, to } = await appriseRig(t);
  const notice = sampleNotice();
  await sender.send(notice, to);

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, '/hooks/nines');
  t.equal(request.headers['content-type'], 'application/json');
  const body = JSON.parse(request.text) as AppriseJson;
  t.same(Object.keys(body).sort(), ['attachments', 'message', 'title', 'type', 'version']);
  t.equal(body.title, notice.title, 'umlauts and "·" survive argv');
  t.equal(body.message, `${notice.text}\n\n${catalogs.de.technical.ack}: ${notice.acknowledgeUrl}\n${catalogs.de.technical.open}: ${notice.dashboardUrl}`);
  t.equal(body.type, 'failure', 'critical');
});

t.test('severity becomes the Apprise type; a title starting with "-" is not taken for an option', async (t) => {
  const { service, sender, to } = await appriseRig(t);
  const recovered = sampleNotice({ severity: 'recovered', title: '-- behoben: Webshop', acknowledgeUrl: null, alerts: [sampleAlert({ event: 'resolved', acknowledgeUrl: null })] });
  await sender.send(recovered, to);
  await sender.send(sampleNotice({ severity: 'warning' }), to);
  const [first, second] = service.requests.map((r) => JSON.parse(r.text) as AppriseJson);
  t.equal(first!.type, 'success');
  t.equal(first!.title, recovered.title);
  t.notMatch(first!.message, catalogs.de.technical.ack);
  t.equal(second!.type, 'warning');
});

t.test('the service answering 500 makes apprise exit non-zero: transient, and the URL is not in the reason', async (t) => {
  const { service, sender } = await appriseRig(t);
  service.queue({ status: 500, body: 'Internal Server Error' });
  const secretUrl = `json://nines:s3cr3t-pass@${service.url.slice('http://'.length)}/hooks/nines`;
  const error = await channelErrorOf(sender.send(sampleNotice(), { id: 6, label: 'Leitstelle', target: { url: secretUrl } }));
  t.equal(error.kind, 'transient');
  t.match(error.message, /500/);
  t.notMatch(error.message, 's3cr3t-pass');
  t.equal(service.requests.length, 1, 'apprise did reach the service');
});

t.test('a 429 is transient too (the CLI does not pass Retry-After on); a closed port is transient', async (t) => {
  const { service, sender, to } = await appriseRig(t);
  service.queue({ status: 429, headers: { 'retry-after': '60' }, body: 'slow down' });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, null);
  await service.close();
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient', 'connection refused');
});

t.test('a URL apprise cannot parse is permanent, and its secret stays out of the reason', async (t) => {
  const sender = apprise.create(undefined, testDeps());
  t.teardown(() => sender.close());
  const unknownScheme = await channelErrorOf(sender.send(sampleNotice(), { id: 6, label: 'x', target: { url: 'nosuchservice://token-abc123/x' } }));
  t.equal(unknownScheme.kind, 'permanent');
  t.match(unknownScheme.message, /Unparseable|Unsupported/);
  t.notMatch(unknownScheme.message, 'token-abc123');
  const badTelegram = await channelErrorOf(sender.send(sampleNotice(), { id: 6, label: 'x', target: { url: 'tgram://not-a-bot-token/123' } }));
  t.equal(badTelegram.kind, 'permanent');
  t.notMatch(badTelegram.message, 'not-a-bot-token');
});

t.test('a command that does not exist: permanent "apprise is not installed"', async (t) => {
  const sender = apprise.create({ command: '/nonexistent/bin/apprise' }, testDeps());
  t.teardown(() => sender.close());
  const error = await channelErrorOf(sender.send(sampleNotice(), { id: 6, label: 'x', target: { url: 'json://127.0.0.1:9/x' } }));
  t.equal(error.kind, 'permanent');
  t.match(error.message, 'apprise is not installed');
});

t.test('the target schema rejects what is no URL; describe() keeps only scheme and server', async (t) => {
  t.ok(Value.Check(apprise.targetSchema, { url: 'ntfy://ntfy.sh/nines-alerts' }));
  t.notOk(Value.Check(apprise.targetSchema, { url: 'ntfy.sh/nines-alerts' }));
  t.notOk(Value.Check(apprise.targetSchema, { url: 'json://host/path with space' }));
  t.notOk(Value.Check(apprise.targetSchema, { url: 'ntfy://ntfy.sh/x', tag: 'ops' }));
  t.equal(apprise.describe({ url: 'json://nines:pw@hooks.example.com:8443/secret/path' }), 'json://hooks.example.com:8443/…');
  t.equal(apprise.describe({ url: 'tgram://123456789:AAH-bot-token/987654' }), 'tgram://***', 'a token where the host goes is masked');
  t.equal(apprise.address({ url: 'tgram://123456789:AAH-bot-token/987654' }), 'tgram://123456789:AAH-bot-token/987654');
});
