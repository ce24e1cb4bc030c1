import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { databaseUrlIn, openTestStoreAt, storeReader, TEST_STORE } from '../helpers/test-store.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hello, nextMessage, closed } from '../helpers/collector.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');

// On the suite's store: SQLite in the data dir, or the PostgreSQL database made for it (--database-url).
t.test('SIGTERM: agents are told "going away", the process exits 0, the database is closed cleanly', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nines-shutdown-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  // An enrolled agent (the store is opened before the collector, so on PostgreSQL its database exists).
  const opened = await openTestStoreAt(dataDir, TEST_STORE);
  const agentId = newAgentId();
  const secret = newSecret();
  await opened.store.enrollAgent(hashSecret(await createEnrollToken(opened.store, 'acme', Date.now())), { id: agentId, name: 'pc', secretHash: hashSecret(secret), platform: 'linux', agentVersion: 'test' }, Date.now());
  await opened.close({ keep: true });
  const databaseUrl = databaseUrlIn(dataDir);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...(databaseUrl ? ['--database-url', databaseUrl] : []), '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue; // the one-time admin password banner
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'collector listening') resolve(entry.url as string);
      }
    });
    void exited.then(({ code }) => reject(new Error(`collector exited early with ${code}`)));
  });

  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${agentId}.${secret}` } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const readers: Array<Awaited<ReturnType<typeof storeReader>>> = [];
  t.teardown(() => Promise.all(readers.map((r) => r.close())));
  const connected = async (reader: Awaited<ReturnType<typeof storeReader>>) => Number((await reader.all<{ connected: number }>('SELECT connected FROM agents WHERE id = ?', agentId))[0]?.connected);
  const during = await storeReader(dataDir);
  readers.push(during);
  t.equal(await connected(during), 1, 'the agent is marked connected while it is');
  await readers.pop()!.close(); // SQLite checkpoints the WAL only when the last connection closes

  const goingAway = closed(socket);
  child.kill('SIGTERM');
  t.match(await goingAway, { code: 1001, reason: 'collector shutting down' }, 'the agent reconnects later with backoff');
  t.same(await exited, { code: 0, signal: null });
  t.ok(logs.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'), 'the shutdown is logged');

  // Closed cleanly: SQLite's last connection checkpointed the WAL; PostgreSQL has no session of the collector left.
  const wal = join(dataDir, 'nines.db-wal');
  const walBytes = existsSync(wal) ? statSync(wal).size : 0;
  const after = await storeReader(dataDir);
  readers.push(after);
  const sessions = async () => Number((await after.all<{ n: number }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`))[0]!.n);
  t.equal(databaseUrl ? await sessions() : walBytes, 0, databaseUrl ? 'no session of the collector left open' : 'the last connection closed: WAL checkpointed into the database');
  t.equal(await connected(after), 0, 'no agent left marked connected');
});
