/**
 * ingest: 1,000 simulated agents on real WebSockets send batches of results through the real collector
 * (upgrade auth, frame validation, SQLite store, ack after commit). Ceiling: raw better-sqlite3 inserts of
 * the same rows, 1,000 a transaction, into a database with the same schema and indexes (same migrations).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Result } from '@nines/shared';
import { openDatabase } from '../collector/src/store/sqlite/database.ts';
import { ResultKeys, STATUS_NUMBERS, type BatchKeys } from '../collector/src/store/sqlite/result-keys.ts';
import { startBenchCollector, enrollAgents } from './lib/collector.ts';
import { startLoad } from './lib/child.ts';
import { benchResult } from './lib/wire-agent.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 1_000;
const BATCHES = 5; // per agent
const BATCH_SIZE = 100; // results a frame: a replay after a short outage; steady state sends smaller ones
const CHECKS = 50; // distinct checks per agent
const MAX_IN_FLIGHT = 4; // as the real agent's CollectorConnection
const CEILING_TX_ROWS = 1_000;

export default async function run(): Promise<ScenarioResult> {
  const total = AGENTS * BATCHES * BATCH_SIZE;
  const collector = await startBenchCollector();
  const load = startLoad('ingest-load.ts');
  try {
    const credentials = await enrollAgents(collector.store, AGENTS);
    progress('ingest', `${AGENTS} agents enrolled; connecting`);
    load.send({ type: 'connect', url: collector.url, credentials, batches: BATCHES, batchSize: BATCH_SIZE, checks: CHECKS });
    await load.next('connected', 40_000);
    progress('ingest', `connected; sending ${total.toLocaleString('en-US')} results`);

    const lag = monitorEventLoopDelay({ resolution: 1 });
    const cpuBefore = process.cpuUsage();
    lag.enable();
    const started = performance.now();
    load.send({ type: 'go', maxInFlight: MAX_IN_FLIGHT, batchSize: BATCH_SIZE });
    const done = await load.next<{ ms: number; acked: number }>('done', 45_000);
    const seconds = (performance.now() - started) / 1000;
    lag.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const stored = collector.store.db.prepare(`SELECT count(*) FROM results`).pluck().get() as number;
    const fullAgents = collector.store.db.prepare(`SELECT count(*) FROM agents WHERE last_seq = ?`).pluck().get(BATCHES * BATCH_SIZE) as number;
    const ours = total / seconds;
    progress('ingest', `ours ${Math.round(ours)} results/s; measuring the raw SQLite ceiling`);

    const ceiling = rawInsertCeiling(credentials.map((c) => c.agentId));
    const lagP99Ms = lag.percentile(99) / 1e6;
    const ratio = ratioOf(ours, ceiling);
    const lost = total - stored;
    return {
      scenario: 'ingest', unit: 'results/s', ours: Math.round(ours), ceiling: Math.round(ceiling), ratio, better: 'higher',
      target: '≥ 0.5 × ceiling, ≥ 100,000 results/s, nothing lost, event-loop lag p99 < 50 ms',
      met: ratio !== null && ratio >= 0.5 && ours >= 100_000 && lost === 0 && done.acked === total && lagP99Ms < 50,
      results: total, stored, lost, acked: done.acked, agentsComplete: fullAgents,
      eventLoopLagP99Ms: round(lagP99Ms, 1), eventLoopLagMaxMs: round(lag.max / 1e6, 1),
      collectorCpuSeconds: round((cpu.user + cpu.system) / 1e6, 2), seconds: round(seconds, 2),
      method: method({ agents: AGENTS, batchesPerAgent: BATCHES, batchSize: BATCH_SIZE, checksPerAgent: CHECKS, maxInFlight: MAX_IN_FLIGHT,
        collector: 'buildApp + SqliteStore (WAL, synchronous=NORMAL) in this process, pino info log to a file', load: 'one child process, ws clients',
        ceiling: `raw better-sqlite3 INSERT of the same rows, ${CEILING_TX_ROWS} a transaction, same migrations` }),
    };
  } finally {
    await load.stop();
    await collector.close();
  }
}

/** Rows per second for plain prepared INSERTs of the same results, interleaved across agents as they arrive. */
function rawInsertCeiling(agentIds: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-raw-'));
  const db = openDatabase(join(dir, 'raw.db'));
  try {
    // The compact layout (migration 021) written directly, each row's agent, check and content key found or added as
    // the store does (ResultKeys), not through the `results` view's trigger.
    const insert = db.prepare(
      `INSERT OR IGNORE INTO result_rows (result_agent_id, seq, result_check_id, status, started_at, finished_ms, received_ms, interval_ms, result_content_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    const keys = new ResultKeys(db);
    const base = Date.now() - 3_600_000;
    const rows: Array<{ agentId: string; r: Result; metricsJson: string; receivedAt: number }> = [];
    for (let b = 0; b < BATCHES; b++) {
      for (const agentId of agentIds) {
        for (let i = 0; i < BATCH_SIZE; i++) {
          const seq = b * BATCH_SIZE + i + 1;
          const r = benchResult(seq, seq % CHECKS, base + seq * 1_000);
          rows.push({ agentId, r, metricsJson: JSON.stringify(r.metrics), receivedAt: Date.now() });
        }
      }
    }
    const insertMany = db.transaction((chunk: typeof rows) => {
      // One agent's keys per run of its rows (a frame's worth, as they arrive), as the store looks them up per batch.
      let batch: BatchKeys | undefined;
      let batchAgent = '';
      for (const { agentId, r, metricsJson, receivedAt } of chunk) {
        if (batch === undefined || batchAgent !== agentId) (batch = keys.batch(agentId)), (batchAgent = agentId);
        const content = batch.content({ message: r.message, metricsJson, detailsJson: null, code: null, paramsJson: null });
        insert.run(batch.agentKey, r.seq, batch.check(r.checkId), STATUS_NUMBERS[r.status], r.startedAt, r.finishedAt - r.startedAt, receivedAt - r.startedAt, content);
      }
    });
    const started = performance.now();
    for (let i = 0; i < rows.length; i += CEILING_TX_ROWS) insertMany(rows.slice(i, i + CEILING_TX_ROWS));
    return rows.length / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('ingest', run);
