import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { loadMigrations, migrate } from '../../src/store/sqlite/database.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';

async function withAgent(store: SqliteStore): Promise<void> {
  const client = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('token'), client.id, 0, Date.now() + 60_000);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
}

t.test('storedResults counts each stored seq once and does not shrink when retention deletes raw rows', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteStore(join(dir, 'nines.db'));
  t.teardown(() => store.close());
  await withAgent(store);
  await store.insertResults(AGENT, [result(1), result(2), result(3)], Date.now());
  await store.insertResults(AGENT, [result(2), result(3), result(4)], Date.now());
  t.equal(await store.countResults(AGENT), 4, 'replayed seqs are not counted again');
  t.equal((await store.getAgent(AGENT))!.lastSeq, 4, 'equals lastSeq when nothing was lost');
  store.db.prepare(`DELETE FROM results WHERE agent_id = ?`).run(AGENT);
  t.equal(await store.countResults(AGENT), 4, 'retention deleting raw rows does not lower it');
  t.equal(await store.countResults('00000000-0000-0000-0000-000000000000'), 0, 'unknown agent: 0');
});

t.test('migration 007 fills the counter from the results already stored', async (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  const all = loadMigrations();
  migrate(db, all.filter((m) => m.version < 7));
  db.prepare(`INSERT INTO clients (id, name, created_at) VALUES (1, 'acme', 0)`).run();
  db.prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at) VALUES (?, 1, 'pc', 'x', 0)`).run(AGENT);
  const insert = db.prepare(`INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, started_at, finished_at, received_at) VALUES (?, ?, 'web', 'OK', '', '{}', 0, 0, 0)`);
  for (let seq = 1; seq <= 5; seq++) insert.run(AGENT, seq);
  migrate(db, all);
  t.equal(db.prepare(`SELECT stored_results FROM agents WHERE id = ?`).pluck().get(AGENT), 5);
});
