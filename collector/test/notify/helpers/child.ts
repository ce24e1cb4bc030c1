/** A collector as a real child process, killed with SIGKILL, and an agent's result sent to it over a real socket. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { databaseUrlIn, openTestStoreAt, TEST_STORE } from '../../helpers/test-store.ts';
import { createEnrollToken } from '../../../src/commands/enroll-token.ts';
import { hashSecret, newAgentId, newSecret } from '../../../src/auth/secrets.ts';
import { createServer } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { hello, nextMessage, result } from '../../helpers/collector.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'nines-collector.mjs');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The collector as a real child process (kill -9 tests): `nines-collector serve` with the test's config. */
export async function startChild(dir: string, port: number, log: string[]): Promise<ChildProcess> {
  const url = databaseUrlIn(dir); // the suite's store: on PostgreSQL the database prepareDataDir made
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dir, ...(url ? ['--database-url', url] : []), '--port', String(port), '--config', join(dir, 'collector.yaml'), '--log-level', 'warn'], {
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

export function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function sendResult(port: number, creds: { agentId: string; secret: string }, seq: number, checkId: string): Promise<void> {
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

/** A data dir for `startChild`: the config file from these lines, and one agent of client "acme" enrolled; its credentials. */
export async function prepareDataDir(dir: string, configLines: string[]): Promise<{ agentId: string; secret: string }> {
  writeFileSync(join(dir, 'collector.yaml'), configLines.join('\n'));
  const { store, close } = await openTestStoreAt(dir, TEST_STORE);
  const token = await createEnrollToken(store, 'acme', Date.now());
  const creds = { agentId: newAgentId(), secret: newSecret() };
  await store.enrollAgent(hashSecret(token), { id: creds.agentId, name: 'pc-01', secretHash: hashSecret(creds.secret), platform: 'linux', agentVersion: 'test' }, Date.now());
  await close({ keep: true }); // the child collectors open it next
  return creds;
}
