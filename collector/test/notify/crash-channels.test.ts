import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeReader } from '../helpers/test-store.ts';
import { freePort, kill9, prepareDataDir, sendResult, startChild, until } from './helpers/child.ts';
import { startSmtp, type TestSmtp } from './helpers/smtp.ts';
import { startService, type TestService } from './channels/helpers/service.ts';

interface DigestRow { id: number; recipient_id: number; attempts: number; sent_at: number | null; last_error: string | null }

/** A data dir with one enrolled agent and a config with three contact points of one consultant. */
function prepare(dir: string, ports: { smtp: number; phone: number }) {
  return prepareDataDir(dir, [
    'smtp:', '  host: 127.0.0.1', `  port: ${ports.smtp}`, '  from: "Nines <alerts@consult.example>"', '  timeout: 2s',
    'channels:', `  ntfy: { server: "http://127.0.0.1:${ports.phone}" }`,
    'alerting:', '  failuresToFire: 1', '  groupWindow: 1s', '  tick: 200ms', '  retryBase: 300ms', '  retryMax: 1s',
    '  recipients:',
    '    - { name: Karin, email: karin@consult.example, audience: technical, language: en }',
    '    - { name: Karin, channel: ntfy, target: { topic: karin }, audience: technical, language: en }',
    `    - { name: Karin, channel: webhook, target: { url: "http://127.0.0.1:${ports.phone}/hook" }, audience: technical, language: en }`,
  ]);
}

t.test('every channel, collector killed -9 after rendering and a failed send, then the services back: each contact point gets the message once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-crash-channels-'));
  const log: string[] = [];
  let child: ChildProcess | null = null;
  let smtp: TestSmtp | null = null;
  let phone: TestService | null = null;
  t.teardown(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill9(child);
    await smtp?.close();
    await phone?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Nothing listens on either port yet: mail, ntfy and the webhook are all down.
  const ports = { smtp: await freePort(), phone: await freePort() };
  const creds = await prepare(dir, ports);
  const port = await freePort();
  const db = await storeReader(dir);
  t.teardown(() => db.close());
  const digests = () => db.all<DigestRow>(`SELECT id, recipient_id, attempts, sent_at, last_error FROM notification_digests ORDER BY id`);

  // 1. An outage fires; each contact point's message is formed, rendered, tried and refused; the collector dies.
  child = await startChild(dir, port, log);
  await sendResult(port, creds, 1, 'web');
  await until('a failed attempt on each contact point', async () => {
    const d = await digests();
    return d.length >= 3 && d.slice(0, 3).every((x) => x.attempts >= 1 && x.last_error);
  });
  await kill9(child);

  // 2. The services come back; the collector restarts and delivers what it owes.
  smtp = await startSmtp({ port: ports.smtp });
  phone = await startService({ status: 200, body: {} }, { port: ports.phone });
  child = await startChild(dir, port, log);
  await until('the outbox to drain', async () => (await digests()).every((d) => d.sent_at !== null));
  await new Promise((r) => setTimeout(r, 1_000)); // a few more ticks: nothing may be sent twice
  const ntfy = phone.requests.filter((r) => r.url === '/' && /\bweb\b/.test(Object.values(JSON.parse(r.text) as Record<string, unknown>).join(' ')));
  const hooks = phone.requests.filter((r) => r.url === '/hook' && (JSON.parse(r.text) as { alerts: Array<{ checkId: string }> }).alerts.some((a) => a.checkId === 'web'));
  t.equal(smtp.mails.filter((m) => m.text.includes('web down')).length, 1, 'email: once');
  t.equal(ntfy.length, 1, 'ntfy: once');
  t.equal(hooks.length, 1, 'webhook: once');
  t.match(JSON.parse(ntfy[0]!.text), { topic: 'karin', title: /web/ });
  t.ok((await digests()).slice(0, 3).every((d) => d.attempts >= 2), 'each was retried after its service came back');
  await kill9(child);
});

t.test('killed while a send is in flight (the service has it, the collector never heard back): the resend carries the same idempotency key', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-crash-inflight-'));
  const log: string[] = [];
  let child: ChildProcess | null = null;
  const smtp = await startSmtp();
  const phone = await startService({ status: 200, body: {} });
  t.teardown(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill9(child);
    await smtp.close();
    await phone.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const creds = await prepare(dir, { smtp: smtp.port, phone: Number(new URL(phone.url).port) });
  const port = await freePort();
  const db = await storeReader(dir);
  t.teardown(() => db.close());
  const digests = () => db.all<DigestRow>(`SELECT id, recipient_id, attempts, sent_at, last_error FROM notification_digests ORDER BY id`);

  phone.hold(true);
  child = await startChild(dir, port, log);
  await sendResult(port, creds, 1, 'web');
  await until('both pushes to be in flight', () => phone.requests.length >= 2);
  await until('the mail to be confirmed', async () => (await digests()).some((d) => d.sent_at !== null));
  await kill9(child);
  t.equal((await digests()).filter((d) => d.sent_at === null).length, 2, 'the two held sends were never confirmed');
  phone.hold(false);

  child = await startChild(dir, port, log);
  await until('the outbox to drain', async () => (await digests()).every((d) => d.sent_at !== null));
  await new Promise((r) => setTimeout(r, 1_000));
  // Only the outage of `web`: on a slow machine the agent, silent after its one result, may be alerted on too.
  const aboutWeb = (text: string) => (JSON.parse(text) as { alerts: Array<{ checkId: string }> }).alerts.some((a) => a.checkId === 'web');
  const hooks = phone.requests.filter((r) => r.url === '/hook' && aboutWeb(r.text));
  // No delivery protocol can know whether a request whose answer never came was acted on; what Nines owes the
  // receiver is a resend it can recognise: the same key and the same message id.
  t.equal(hooks.length, 2, 'the webhook got the unconfirmed message again');
  t.equal(hooks[1]!.headers['idempotency-key'], hooks[0]!.headers['idempotency-key'], 'under the same Idempotency-Key');
  t.equal((JSON.parse(hooks[1]!.text) as { id: string }).id, (JSON.parse(hooks[0]!.text) as { id: string }).id, 'and the same payload id');
  t.equal(smtp.mails.filter((m) => m.text.includes('web down')).length, 1, 'the mail, confirmed before the kill, is not sent again');
  await kill9(child);
});
