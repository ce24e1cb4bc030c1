import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';
import { hello, nextMessage, result } from '../helpers/collector.ts';
import { startSmtp, type TestSmtp } from './helpers/smtp.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nines-collector.mjs');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The collector as a real child process: `nines-collector serve` with the test's config. */
async function startChild(dir: string, port: number, log: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, '--port', String(port), '--config', join(dir, 'collector.yaml'), '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NINES_CONFIG: undefined },
  });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  await until('the collector to listen', async () => {
    if (child.exitCode !== null) throw new Error(`collector exited ${child.exitCode}: ${log.join('')}`);
    return fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  });
  return child;
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function sendResult(port: number, creds: { agentId: string; secret: string }, seq: number, checkId: string): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/agent`, { headers: { authorization: `Bearer ${creds.agentId}.${creds.secret}` } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify(hello({ lastSeq: seq - 1 })));
  await nextMessage(socket); // welcome
  const now = Date.now();
  socket.send(JSON.stringify({ type: 'results', batch: [result(seq, { checkId, name: checkId, status: 'CRIT', message: `${checkId} down`, startedAt: now - 50, finishedAt: now - 40 })] }));
  for (;;) {
    const message = await nextMessage<{ type: string; upTo?: number }>(socket);
    if (message.type === 'ack' && message.upTo === seq) break;
  }
  socket.terminate();
}

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
  writeFileSync(
    join(dir, 'collector.yaml'),
    [
      'smtp:', '  host: 127.0.0.1', `  port: ${smtpPort}`, '  from: "Nines <alerts@consult.example>"', '  timeout: 2s',
      'alerting:', '  failuresToFire: 1', '  groupWindow: 1s', '  tick: 200ms', '  retryBase: 300ms', '  retryMax: 1s',
      '  recipients:', '    - { name: Karin, email: karin@consult.example, audience: technical, language: en, timezone: Europe/Berlin }',
    ].join('\n'),
  );
  const store = new SqliteStore(join(dir, 'nines.db'));
  const token = createEnrollToken(store, 'acme', Date.now());
  const creds = { agentId: newAgentId(), secret: newSecret() };
  store.enrollAgent(hashSecret(token), { id: creds.agentId, name: 'pc-01', secretHash: hashSecret(creds.secret), platform: 'linux', agentVersion: 'test' }, Date.now());
  store.close();
  const db = new Database(join(dir, 'nines.db'), { readonly: true, fileMustExist: true });
  t.teardown(() => db.close());
  const digests = () => db.prepare(`SELECT id, attempts, sent_at, last_error FROM notification_digests ORDER BY id`).all() as { attempts: number; sent_at: number | null; last_error: string | null }[];

  // 1. A failure fires while SMTP is down: the digest is formed and fails; then the collector dies.
  child = await startChild(dir, port, log);
  await sendResult(port, creds, 1, 'web');
  await until('a failed delivery attempt', () => digests().find((d) => d.attempts >= 1 && d.last_error));
  await kill9(child);

  // 2. While it is down, a result is stored but never evaluated (as if the crash hit right after the insert).
  const offline = new SqliteStore(join(dir, 'nines.db'));
  const now = Date.now();
  offline.insertResults(creds.agentId, [result(2, { checkId: 'db', name: 'db', status: 'CRIT', message: 'db down', startedAt: now - 50, finishedAt: now - 40 })], now);
  offline.close();

  // 3. SMTP comes up on its port; the collector restarts, takes one more failure, and is killed before the grouping window ends.
  smtp = await startSmtp({ port: smtpPort });
  child = await startChild(dir, port, log);
  await sendResult(port, creds, 3, 'mail');
  await kill9(child);

  // 4. Last start: everything still owed is delivered.
  child = await startChild(dir, port, log);
  await until('web, db and mail to be mailed', () => ['web down', 'db down', 'mail down'].every((m) => smtp!.mails.some((mail) => mail.text.includes(m)))).catch((error: Error) => {
    throw new Error(`${error.message}; digests ${JSON.stringify(digests())}; alerts ${JSON.stringify(db.prepare('SELECT subject, state, announced_at FROM alerts').all())} transitions ${JSON.stringify(db.prepare('SELECT * FROM alert_transitions').all())} outbox ${JSON.stringify(db.prepare('SELECT * FROM notification_outbox').all())} cursors ${JSON.stringify(db.prepare('SELECT * FROM alert_cursors').all())} agents ${JSON.stringify(db.prepare('SELECT last_seq, silent_since FROM agents').all())}; mails ${JSON.stringify(smtp!.mails.map((m) => m.subject))}; log ${log.join('').slice(-3000)}`);
  });
  await until('the outbox to drain', () => digests().every((d) => d.sent_at !== null));
  await new Promise((r) => setTimeout(r, 1_000)); // a few more ticks: nothing may be sent twice
  const ids = smtp.mails.map((m) => m.messageId);
  t.equal(new Set(ids).size, ids.length, `no Message-ID twice (${ids.join(', ')})`);
  for (const check of ['web', 'db', 'mail']) {
    t.equal(smtp.mails.filter((m) => m.text.includes(`${check} down`)).length, 1, `${check}: exactly one mail`);
  }
  t.ok(digests()[0]!.attempts >= 2, 'the first digest was retried after SMTP came back');
  await kill9(child);
});
