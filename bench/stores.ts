/**
 * stores: the same ingest and the same overview on SQLite and on PostgreSQL, in one run. 1,000 and 10,000 simulated
 * agents on real WebSockets send batches through the real collector (in this process, pino info to a file), then
 * GET /api/v1/overview (every client with its counts, as the consultant's dashboard asks) is timed. `ours` is
 * PostgreSQL's ingest rate at 1,000 agents, `ceiling` SQLite's in the same run: the ratio says what the network
 * database costs on one box. PostgreSQL is the server .ci/postgres-up starts (NINES_BENCH_POSTGRES_URL), on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import pg from 'pg';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { PgStore } from '../collector/src/store/postgres/postgres-store.ts';
import type { Store } from '../collector/src/store/store.ts';
import { startBenchCollectorOn, enrollAgents, adminToken } from './lib/collector.ts';
import { benchDatabase } from './lib/postgres.ts';
import { startLoad } from './lib/child.ts';
import { percentile } from './lib/stats.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const MAX_IN_FLIGHT = 4;
const CHECKS = 50;
const OVERVIEW_REQUESTS = 10;
/** Per agent count: batches per agent × results per batch (10,000 agents send one frame each, as after a short outage). */
// Each agent sends what a few minutes of its checks make (first measured with 5 × 100 a agent: PostgreSQL did not
// finish 500,000 results in 120 s); the same load on both stores.
const SHAPES = [
  { agents: 1_000, batches: 2, batchSize: 50 },
  { agents: 10_000, batches: 1, batchSize: 10 },
].filter((s) => (process.env.NINES_BENCH_STORES_AGENTS ?? '1000,10000').split(',').map(Number).includes(s.agents));

/**
 * Statements sent to PostgreSQL by this process (BEGIN, COMMIT and savepoints included): every pooled connection is a
 * pg.Client, so counting its query calls counts them all. The load runs in another process and sends none.
 */
let pgStatements = 0;
const pgQuery = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  pgStatements++;
  return pgQuery.apply(this, args);
};

interface Row {
  store: 'sqlite' | 'postgres';
  agents: number;
  resultsPerSecond: number;
  results: number;
  stored: number;
  lost: number;
  acked: number;
  enrollSeconds: number;
  overviewP50Ms: number | null;
  overviewMaxMs: number | null;
  /** The last answer's body, bytes. */
  overviewBytes: number | null;
  overviewError: string | null;
  ingestSeconds: number;
  /**
   * PostgreSQL: statements this process sent while the ingest ran, per result (ingest and whatever ran beside it, such
   * as rollups; the alert engine is not started here); null on SQLite.
   */
  statementsPerResult: number | null;
  /** PostgreSQL: statements sent while the overview requests ran, all of them together (the rollup flush too); null on SQLite. */
  overviewStatements: number | null;
}

async function openStore(kind: 'sqlite' | 'postgres'): Promise<{ store: Store; dir: string; cleanUp: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `nines-bench-stores-${kind}-`));
  if (kind === 'sqlite') return { store: new SqliteStore(join(dir, 'nines.db')), dir, cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
  const database = await benchDatabase();
  try {
    return { store: await PgStore.open(database.url), dir, cleanUp: database.drop };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function measure(kind: 'sqlite' | 'postgres', shape: (typeof SHAPES)[number]): Promise<Row> {
  const total = shape.agents * shape.batches * shape.batchSize;
  const { store, dir, cleanUp } = await openStore(kind);
  const collector = await startBenchCollectorOn(store, dir);
  const load = startLoad('ingest-load.ts');
  try {
    const enrollStarted = performance.now();
    const credentials = await enrollAgents(store, shape.agents);
    const enrollSeconds = (performance.now() - enrollStarted) / 1000;
    const token = await adminToken(store);
    progress('stores', `${kind}: ${shape.agents} agents enrolled in ${round(enrollSeconds, 1)} s; connecting`);
    load.send({ type: 'connect', url: collector.url, credentials, batches: shape.batches, batchSize: shape.batchSize, checks: CHECKS });
    await load.next('connected', 120_000);
    const started = performance.now();
    const statementsBefore = pgStatements;
    load.send({ type: 'go', maxInFlight: MAX_IN_FLIGHT, batchSize: shape.batchSize });
    const done = await load.next<{ ms: number; acked: number }>('done', 240_000);
    const seconds = (performance.now() - started) / 1000;
    const ingestStatements = pgStatements - statementsBefore;
    // Counted from the stored rows of each agent (delivery.seqStats), not from the acks.
    let stored = 0;
    for (const { agentId } of credentials) stored += (await store.delivery.seqStats(agentId)).count;
    progress('stores', `${kind}: ${total} results acknowledged in ${round(seconds, 1)} s, ${stored} stored; timing the overview`);
    const overviewStatementsBefore = pgStatements;
    const times: number[] = [];
    let overviewError: string | null = null;
    let overviewBytes: number | null = null;
    for (let i = 0; i < OVERVIEW_REQUESTS && overviewError === null; i++) {
      const t0 = performance.now();
      try {
        const response = await request(`${collector.url}/api/v1/overview`, { headers: { authorization: `Bearer ${token}` }, headersTimeout: 60_000, bodyTimeout: 60_000 });
        const body = await response.body.text();
        JSON.parse(body);
        if (response.statusCode !== 200) overviewError = `GET /api/v1/overview answered ${response.statusCode}`;
        else {
          times.push(performance.now() - t0);
          overviewBytes = Buffer.byteLength(body);
        }
      } catch (error) {
        // The row still tells the ingest figure; the overview's failure is part of it.
        overviewError = `${(error as Error).name}: ${(error as Error).message} after ${Math.round(performance.now() - t0)} ms`;
      }
    }
    const row: Row = {
      store: kind, agents: shape.agents, resultsPerSecond: Math.round(total / seconds), results: total, stored, lost: total - stored, acked: done.acked,
      enrollSeconds: round(enrollSeconds, 1), ingestSeconds: round(seconds, 1),
      statementsPerResult: kind === 'postgres' ? round(ingestStatements / total, 3) : null,
      overviewStatements: kind === 'postgres' ? pgStatements - overviewStatementsBefore : null,
      overviewP50Ms: times.length === 0 ? null : round(percentile(times, 50)!, 1), overviewMaxMs: times.length === 0 ? null : round(Math.max(...times), 1), overviewBytes, overviewError,
    };
    progress('stores', `${kind}, ${shape.agents} agents: ${row.resultsPerSecond} results/s, overview p50 ${row.overviewP50Ms} ms (${times.map((ms) => Math.round(ms)).join(', ')}), ${overviewBytes} bytes`
      + (kind === 'postgres' ? `; ${row.statementsPerResult} statements per result, ${row.overviewStatements} for the overview` : ''));
    return row;
  } finally {
    await load.stop();
    await collector.close();
    await cleanUp();
  }
}

export default async function run(): Promise<ScenarioResult> {
  const rows: Row[] = [];
  // Alternating store by store within each size, so a slow spell of the machine falls on both.
  // NINES_BENCH_STORES_KINDS=sqlite (or postgres) runs one store only, e.g. to profile it; the ratio then stays null.
  const kinds = (['sqlite', 'postgres'] as const).filter((k) => (process.env.NINES_BENCH_STORES_KINDS ?? 'sqlite,postgres').split(',').includes(k));
  for (const shape of SHAPES) for (const kind of kinds) rows.push(await measure(kind, shape));
  const at = (kind: string, agents: number) => rows.find((r) => r.store === kind && r.agents === agents);
  const ours = at('postgres', 1_000)?.resultsPerSecond ?? null;
  const ceiling = at('sqlite', 1_000)?.resultsPerSecond ?? null;
  const nothingLost = rows.every((r) => r.lost === 0 && r.acked === r.results && r.overviewError === null);
  return {
    scenario: 'stores', unit: 'results/s', ours, ceiling, ratio: ratioOf(ours, ceiling), better: 'higher',
    target: 'PostgreSQL ingest ≥ 0.5 × SQLite on the same box at 1,000 agents, overview p50 < 500 ms at 10,000 agents on both, nothing lost',
    met: ours !== null && ceiling !== null && ours >= 0.5 * ceiling && nothingLost && rows.filter((r) => r.agents === 10_000).every((r) => r.overviewP50Ms !== null && r.overviewP50Ms < 500),
    rows,
    method: method({
      shapes: SHAPES, checksPerAgent: CHECKS, maxInFlight: MAX_IN_FLIGHT, overviewRequests: OVERVIEW_REQUESTS,
      collector: 'buildApp in this process on SqliteStore (WAL, synchronous=NORMAL) or PgStore (pg pool of 10, PostgreSQL 15 on loopback, Debian defaults)',
      load: 'one child process, ws clients (bench/lib/ingest-load.ts)', overview: 'GET /api/v1/overview, admin token, sequential, after the ingest',
    }),
  };
}

if (isMain(import.meta.url)) await runAsMain('stores', run);
