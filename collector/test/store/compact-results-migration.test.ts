import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Result, Status } from '@nines/shared';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { loadMigrations, migrate } from '../../src/store/sqlite/database.ts';

const AGENTS = ['0f6e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', 'a1b2c3d4-e5f6-4789-abcd-ef0123456789'];
const STATUSES: Status[] = ['OK', 'WARN', 'CRIT', 'UNKNOWN'];
const T0 = Date.UTC(2026, 5, 1);

/** Results as agents send them, with every optional part present and absent and contents that repeat. */
function resultsOf(agent: number): Result[] {
  return Array.from({ length: 60 }, (_, i) => {
    const seq = i + 1;
    const startedAt = T0 + seq * 60_000 + agent;
    const latency = 20 + (i % 7); // repeats: rows share contents
    const r: Result = {
      seq, checkId: `web-${i % 3}`, kind: 'http', name: `web-${i % 3}`, status: STATUSES[i % 4]!, message: `HTTP 200 in ${latency} ms`,
      metrics: { latency_ms: latency, status_code: 200 }, startedAt,
      // A clock step can put the end before the start: the stored delta is negative then.
      finishedAt: i % 11 === 0 ? startedAt - 5 : startedAt + latency,
    };
    if (i % 2 === 0) r.intervalMs = 60_000;
    if (i % 3 === 0) (r.code = 'http.ok'), (r.params = { statusCode: 200, latencyMs: latency, redirects: 0 });
    if (i % 5 === 0) r.details = { headers: [`x-run: ${i}`] } as never;
    if (i === 7) r.message = 'a message\0with a NUL and ünïcödé';
    return r;
  });
}

t.test('migration 021 converts a database at 020 with real rows: every row reads back equal, through the view and the Store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-compact-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nines.db');
  const all = loadMigrations();
  t.equal(all.find((m) => m.version === 21)?.name, 'compact_results');

  const old = new Database(file);
  migrate(old, all.filter((m) => m.version <= 20));
  old.prepare(`INSERT INTO clients (id, name, created_at) VALUES (1, 'acme', 0)`).run();
  const insert = old.prepare(
    `INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at, code, params_json, interval_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sent = new Map<string, Result[]>();
  for (const [a, agentId] of AGENTS.entries()) {
    old.prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at) VALUES (?, 1, ?, 'x', 0)`).run(agentId, `pc-${a}`);
    for (let c = 0; c < 3; c++) old.prepare(`INSERT INTO checks (agent_id, id, kind, name) VALUES (?, ?, 'http', ?)`).run(agentId, `web-${c}`, `web-${c}`);
    const results = resultsOf(a);
    sent.set(agentId, results);
    // As the collector before 021 wrote them (results.ts then): JSON text, NULL for what a result lacks.
    for (const r of results) {
      insert.run(agentId, r.seq, r.checkId, r.status, r.message, JSON.stringify(r.metrics), r.details === undefined ? null : JSON.stringify(r.details),
        r.startedAt, r.finishedAt, r.startedAt + 1_000 + r.seq, r.code ?? null, r.params === undefined ? null : JSON.stringify(r.params), r.intervalMs ?? null);
    }
  }
  const rowsBefore = old.prepare(`SELECT * FROM results ORDER BY agent_id, seq`).all();
  t.equal(rowsBefore.length, 120);

  t.equal(migrate(old, all), all.length - 20, 'the newer migrations applied');
  const rowsAfter = old.prepare(`SELECT * FROM results ORDER BY agent_id, seq`).all();
  t.strictSame(rowsAfter, rowsBefore, 'the results view shows every row as the table held it, column for column');
  t.equal(old.prepare(`SELECT count(*) FROM result_rows`).pluck().get(), 120);
  const contents = old.prepare(`SELECT count(*) FROM result_contents`).pluck().get() as number;
  t.ok(contents < 60, `repeated contents are stored once (${contents} for 120 rows)`);
  t.equal(old.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'results'`).pluck().get(), 0, 'the wide table is gone');
  old.close();

  const store = new SqliteStore(file);
  t.teardown(() => store.close());
  for (const agentId of AGENTS) {
    for (let c = 0; c < 3; c++) {
      const expected = sent.get(agentId)!.filter((r) => r.checkId === `web-${c}`);
      t.strictSame(await store.resultsBetween(agentId, `web-${c}`, 0, T0 + 86_400_000), expected, `${agentId.slice(0, 4)} web-${c}: the Store returns what was sent`);
    }
  }
  // Exactly once on (agent, seq) after the conversion: a replay of a converted seq is ignored, a new seq is stored.
  const [agentId] = AGENTS as [string];
  const replay = { ...sent.get(agentId)![4]!, message: 'a different text' };
  const next: Result = { ...replay, seq: 61, startedAt: T0 + 61 * 60_000, finishedAt: T0 + 61 * 60_000 + 30 };
  const outcome = await store.insertResults(agentId, [replay, next], T0 + 62 * 60_000);
  t.equal(outcome.inserted, 1, 'the replayed seq is ignored');
  t.same(outcome.newlyStored.map((r) => r.seq), [61]);
  const stored = await store.resultsBetween(agentId, replay.checkId, 0, T0 + 86_400_000);
  t.equal(stored.find((r) => r.seq === replay.seq)?.message, sent.get(agentId)![4]!.message, 'the stored row kept its message');
  t.equal(stored.at(-1)?.seq, 61);
});
