import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { TeamsTargetSchema } from '@nines/shared';
import { teams } from '../../../src/notify/channels/teams.ts';
import { catalogs } from '../../../src/notify/templates/render.ts';
import { startService } from './helpers/service.ts';
import { sampleNotice, testDeps } from './helpers/notice.ts';
import { refusedUrl } from './helpers/refused.ts';
import { channelErrorOf } from './helpers/channel-error.ts';

/** The shape of a Workflows webhook URL; its `sig` is the credential. */
const WORKFLOW_PATH = '/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Xq3vN9sSecretSig';
const SIGNATURE = 'Xq3vN9sSecretSig';

interface Card {
  type: string;
  version: string;
  body: Array<{ type: string; text: string; color?: string; wrap?: boolean }>;
  actions: Array<{ type: string; title: string; url: string }>;
}
interface TeamsMessage {
  type: string;
  attachments: Array<{ contentType: string; contentUrl: null; content: Card }>;
}

t.test('POSTs a message with one Adaptive Card 1.4 to the workflow URL; 202 Accepted is success', async (t) => {
  const service = await startService({ status: 202 });
  t.teardown(service.close);
  const notice = sampleNotice();
  await teams.create(undefined, testDeps()).send(notice, { id: 2, label: 'Team Betrieb', target: { url: `${service.url}${WORKFLOW_PATH}` } });

  t.equal(service.requests.length, 1);
  const request = service.requests[0]!;
  t.equal(request.method, 'POST');
  t.equal(request.url, WORKFLOW_PATH, 'path and query (with sig) as given');
  t.equal(request.headers['content-type'], 'application/json');
  const message = JSON.parse(request.text) as TeamsMessage;
  t.equal(message.type, 'message');
  t.equal(message.attachments.length, 1);
  const attachment = message.attachments[0]!;
  t.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
  const card = attachment.content;
  t.equal(card.type, 'AdaptiveCard');
  t.equal(card.version, '1.4');
  t.match(card.body, [
    { type: 'TextBlock', text: notice.title, color: 'Attention', wrap: true },
    { type: 'TextBlock', text: notice.text, wrap: true },
  ]);
  const words = catalogs[notice.language].technical;
  t.strictSame(card.actions, [
    { type: 'Action.OpenUrl', title: words.ack, url: notice.acknowledgeUrl },
    { type: 'Action.OpenUrl', title: words.open, url: notice.dashboardUrl },
  ]);
});

t.test('the severity colours the title; without links no actions; a huge text is cut below the 28 KB limit', async (t) => {
  const service = await startService({ status: 202 });
  t.teardown(service.close);
  const sender = teams.create(undefined, testDeps());
  const expected = { warning: 'Warning', recovered: 'Good', info: 'Default' } as const;
  for (const [severity, color] of Object.entries(expected)) {
    await sender.send(sampleNotice({ severity: severity as keyof typeof expected, acknowledgeUrl: null, dashboardUrl: null, text: 'Störung '.repeat(5000) }), { id: 2, label: 'Team', target: { url: service.url } });
    const request = service.requests.at(-1)!;
    const card = (JSON.parse(request.text) as TeamsMessage).attachments[0]!.content;
    t.equal(card.body[0]!.color, color, severity);
    t.strictSame(card.actions, []);
    t.ok(card.body[1]!.text.endsWith('…'));
    t.ok(request.body.length < 28 * 1024, `${request.body.length} bytes`);
  }
});

t.test('the workflow refuses: 429 waits, a bad signature (401) and a deleted flow (404) are permanent, 502 and a refused connection are retried', async (t) => {
  const service = await startService();
  t.teardown(service.close);
  const sender = teams.create(undefined, testDeps());
  const to = { id: 2, label: 'Team', target: { url: `${service.url}${WORKFLOW_PATH}` } };

  service.queue({ status: 429, headers: { 'retry-after': '60' }, body: { error: { code: 'WorkflowRequestsThrottled', message: 'The workflow has exceeded the limit of requests.' } } });
  const limited = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(limited.kind, 'transient');
  t.equal(limited.retryAfterMs, 60_000);

  service.queue({ status: 401, body: { error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated only by Shared Access scheme.' } } });
  const unauthorized = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(unauthorized.kind, 'permanent');
  t.match(unauthorized.message, 'DirectApiAuthorizationRequired');
  t.notMatch(unauthorized.message, SIGNATURE, 'the signature stays out of the message');

  service.queue({ status: 404, body: { error: { code: 'WorkflowNotFound', message: "The workflow '0a1b2c3d4e5f' could not be found." } } });
  const deleted = await channelErrorOf(sender.send(sampleNotice(), to));
  t.equal(deleted.kind, 'permanent');
  t.match(deleted.message, 'WorkflowNotFound');

  service.queue({ status: 502, body: 'Bad Gateway' });
  t.equal((await channelErrorOf(sender.send(sampleNotice(), to))).kind, 'transient');

  const refused = await channelErrorOf(sender.send(sampleNotice(), { ...to, target: { url: `${await refusedUrl()}${WORKFLOW_PATH}` } }));
  t.equal(refused.kind, 'transient');
  t.notMatch(refused.message, SIGNATURE);
});

t.test('target schema, address and describe', async (t) => {
  const url = `https://prod-12.westeurope.logic.azure.com:443${WORKFLOW_PATH}`;
  t.ok(Value.Check(TeamsTargetSchema, { url }));
  t.notOk(Value.Check(TeamsTargetSchema, { url: 'prod-12.westeurope.logic.azure.com/workflows/x' }), 'a URL, with scheme');
  t.notOk(Value.Check(TeamsTargetSchema, { url, channel: 'Betrieb' }), 'unknown keys are refused');
  t.equal(teams.address({ url }), url);
  const shown = teams.describe({ url });
  t.match(shown, 'https://prod-12.westeurope.logic.azure.com/workflows/');
  t.notMatch(shown, SIGNATURE);
  t.notMatch(shown, '0a1b2c3d4e5f');
});
