import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hello, nextMessage, closed } from '../helpers/collector.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');

t.test('SIGTERM: agents are told "going away", the process exits 0, the database is closed cleanly', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nines-shutdown-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

  // An enrolled agent connects (written from here into the same WAL database the collector has open).
  const store = new SqliteStore(join(dataDir, 'nines.db'));
  const agentId = newAgentId();
  const secret = newSecret();
  await store.enrollAgent(hashSecret(await createEnrollToken(store, 'acme', Date.now())), { id: agentId, name: 'pc', secretHash: hashSecret(secret), platform: 'linux', agentVersion: 'test' }, Date.now());
  await store.close();
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${agentId}.${secret}` } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);

  const goingAway = closed(socket);
  child.kill('SIGTERM');
  t.match(await goingAway, { code: 1001, reason: 'collector shutting down' }, 'the agent reconnects later with backoff');
  t.same(await exited, { code: 0, signal: null });
  t.ok(logs.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'), 'the shutdown is logged');

  const wal = join(dataDir, 'nines.db-wal');
  t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the last connection closed: WAL checkpointed into the database');
  const after = new SqliteStore(join(dataDir, 'nines.db'));
  t.equal((await after.getAgent(agentId))?.connected, false, 'no agent left marked connected');
  await after.close();
});
