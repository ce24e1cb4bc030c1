import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestStoreAt, storeReader, TEST_STORE } from '../helpers/test-store.ts';
import { result } from '../helpers/collector.ts';
import { freePort, kill9, prepareDataDir, sendResult, startChild, until } from './helpers/child.ts';
import { startSmtp, type TestSmtp } from './helpers/smtp.ts';

t.test('SMTP down, collector killed -9 between transition and send, then up again: every mail arrives exactly once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-crash-'));
  const log: string[] = [];
  let child: ChildProcess | null = null;
  let smtp: TestSmtp | null = null;
  t.teardown(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill9(child);
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const smtpPort = await freePort(); // nothing listens here yet: SMTP is down
  const port = await freePort();
  const creds = await prepareDataDir(dir, [
    'smtp:', '  host: 127.0.0.1', `  port: ${smtpPort}`, '  from: "Nines <alerts@consult.example>"', '  timeout: 2s',
    'alerting:', '  failuresToFire: 1', '  groupWindow: 1s', '  tick: 200ms', '  retryBase: 300ms', '  retryMax: 1s',
    '  recipients:', '    - { name: Karin, email: karin@consult.example, audience: technical, language: en, timezone: Europe/Berlin }',
  ]);
  const db = await storeReader(dir);
  t.teardown(() => db.close());
  const digests = () => db.all<{ attempts: number; sent_at: number | null; last_error: string | null }>(`SELECT id, attempts, sent_at, last_error FROM notification_digests ORDER BY id`);

  // 1. A failure fires while SMTP is down: the digest is formed and fails; then the collector dies.
  child = await startChild(dir, port, log);
  await sendResult(port, await creds, 1, 'web');
  await until('a failed delivery attempt', async () => (await digests()).find((d) => d.attempts >= 1 && d.last_error));
  await kill9(child);

  // 2. While it is down, a result is stored but never evaluated (as if the crash hit right after the insert).
  const offline = await openTestStoreAt(dir, TEST_STORE);
  const now = Date.now();
  await offline.store.insertResults(creds.agentId, [result(2, { checkId: 'db', name: 'db', status: 'CRIT', message: 'db down', startedAt: now - 50, finishedAt: now - 40 })], now);
  await offline.close({ keep: true });

  // 3. SMTP comes up on its port; the collector restarts, takes one more failure, and is killed before the grouping window ends.
  smtp = await startSmtp({ port: smtpPort });
  child = await startChild(dir, port, log);
  await sendResult(port, await creds, 3, 'mail');
  await kill9(child);

  // 4. Last start: everything still owed is delivered.
  child = await startChild(dir, port, log);
  await until('web, db and mail to be mailed', () => ['web down', 'db down', 'mail down'].every((m) => smtp!.mails.some((mail) => mail.text.includes(m)))).catch(async (error: Error) => {
    throw new Error(`${error.message}; digests ${JSON.stringify(await digests())}; alerts ${JSON.stringify(await db.all('SELECT subject, state, announced_at FROM alerts'))} transitions ${JSON.stringify(await db.all('SELECT * FROM alert_transitions'))} outbox ${JSON.stringify(await db.all('SELECT * FROM notification_outbox'))} cursors ${JSON.stringify(await db.all('SELECT * FROM alert_cursors'))} agents ${JSON.stringify(await db.all('SELECT last_seq, silent_since FROM agents'))}; mails ${JSON.stringify(smtp!.mails.map((m) => m.subject))}; log ${log.join('').slice(-3000)}`);
  });
  await until('the outbox to drain', async () => (await digests()).every((d) => d.sent_at !== null));
  await new Promise((r) => setTimeout(r, 1_000)); // a few more ticks: nothing may be sent twice
  const ids = smtp.mails.map((m) => m.messageId);
  t.equal(new Set(ids).size, ids.length, `no Message-ID twice (${ids.join(', ')})`);
  for (const check of ['web', 'db', 'mail']) {
    t.equal(smtp.mails.filter((m) => m.text.includes(`${check} down`)).length, 1, `${check}: exactly one mail`);
  }
  t.ok((await digests())[0]!.attempts >= 2, 'the first digest was retried after SMTP came back');
  await kill9(child);
});
