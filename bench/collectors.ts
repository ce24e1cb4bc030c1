/**
 * collectors: ingest with two collectors on one PostgreSQL database against one, in the same run. Real
 * `nines-collector serve` processes on `--database-url` (the development entry, or NINES_BENCH_COLLECTOR=bundle),
 * 1,000 simulated agents on real WebSockets: with one collector all connect to it; with two, half to each (as a
 * balancer spreads them), each half driven by its own load process. `ours` is the two collectors' rate, `ceiling`
 * the one collector's: the ratio says what a second collector adds on this box. Stored rows are counted per agent
 * in the database afterwards, so a result stored twice or lost shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { PgStore } from '../collector/src/store/postgres/postgres-store.ts';
import { enrollAgents, type AgentCredentials } from './lib/collector.ts';
import { benchDatabase } from './lib/postgres.ts';
import { exited, freePort, startCollectorProcess, untilHealthy } from './lib/collector-process.ts';
import { startLoad, type LoadProcess } from './lib/child.ts';
import { method } from './lib/method.ts';
import { envNumber, isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = envNumber('NINES_BENCH_COLLECTORS_AGENTS', 1_000);
const BATCHES = 2;
const BATCH_SIZE = 50;
const CHECKS = 50;
const MAX_IN_FLIGHT = 4;

interface Row {
  collectors: number;
  agents: number;
  results: number;
  stored: number;
  duplicates: number;
  resultsPerSecond: number;
  ingestSeconds: number;
  leaders: number;
}

async function measure(collectors: 1 | 2): Promise<Row> {
  const database = await benchDatabase();
  const dir = mkdtempSync(join(tmpdir(), `nines-bench-collectors-${collectors}-`));
  const store = await PgStore.open(database.url);
  const children: ChildProcess[] = [];
  const loads: LoadProcess[] = [];
  try {
    const credentials = await enrollAgents(store, AGENTS);
    const urls: string[] = [];
    for (let i = 0; i < collectors; i++) {
      const port = await freePort();
      // One data directory: the collectors share its keys, as docs/scale.md says they must.
      children.push(startCollectorProcess(dir, port, `collector-${i}.log`, ['--database-url', database.url, '--log-level', 'warn']));
      urls.push(`http://127.0.0.1:${port}`);
      await untilHealthy(urls[i]!, 60_000);
    }
    const shares: AgentCredentials[][] = urls.map((_, i) => credentials.filter((_, a) => a % collectors === i));
    for (const [i, share] of shares.entries()) {
      const load = startLoad('ingest-load.ts');
      loads.push(load);
      load.send({ type: 'connect', url: urls[i], credentials: share, batches: BATCHES, batchSize: BATCH_SIZE, checks: CHECKS });
    }
    for (const load of loads) await load.next('connected', 120_000);
    progress('collectors', `${collectors} collector(s): ${AGENTS} agents connected; sending`);
    const started = performance.now();
    for (const load of loads) load.send({ type: 'go', maxInFlight: MAX_IN_FLIGHT, batchSize: BATCH_SIZE });
    for (const load of loads) await load.next('done', 240_000);
    const seconds = (performance.now() - started) / 1000;
    const results = AGENTS * BATCHES * BATCH_SIZE;
    const counts = await store.db.rows<{ stored: number; duplicates: number }>(
      `SELECT count(*)::int AS stored, (count(*) - count(DISTINCT (agent_id, seq)))::int AS duplicates FROM results`,
    );
    let leaders = 0;
    for (const url of urls) {
      const health = (await (await fetch(`${url}/healthz?detail=true`)).json()) as { cluster?: { leading: boolean } };
      if (health.cluster?.leading) leaders++;
    }
    const row: Row = {
      collectors, agents: AGENTS, results, stored: counts[0]!.stored, duplicates: counts[0]!.duplicates,
      resultsPerSecond: Math.round(results / seconds), ingestSeconds: round(seconds, 1), leaders,
    };
    progress('collectors', `${collectors} collector(s): ${row.resultsPerSecond} results/s, ${row.stored} stored, ${row.duplicates} twice, ${leaders} leader(s)`);
    return row;
  } finally {
    for (const load of loads) await load.stop();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<ScenarioResult> {
  const rows = [await measure(1), await measure(2)];
  const [one, two] = rows as [Row, Row];
  const whole = rows.every((r) => r.stored === r.results && r.duplicates === 0 && r.leaders === 1);
  return {
    scenario: 'collectors', unit: 'results/s', ours: two.resultsPerSecond, ceiling: one.resultsPerSecond, ratio: ratioOf(two.resultsPerSecond, one.resultsPerSecond), better: 'higher',
    target: 'two collectors on one PostgreSQL ingest at least what one does, every result stored once, one leader',
    met: whole && two.resultsPerSecond >= one.resultsPerSecond,
    rows,
    method: method({
      agents: AGENTS, batches: BATCHES, batchSize: BATCH_SIZE, checksPerAgent: CHECKS, maxInFlight: MAX_IN_FLIGHT,
      collectors: 'nines-collector serve processes, --database-url on one PostgreSQL 15 database on loopback, one shared data dir',
      load: 'one child process per collector, ws clients (bench/lib/ingest-load.ts); with two, agents split by index',
      counted: 'rows of results in the database after the run; duplicates = rows − distinct (agent_id, seq)',
    }),
  };
}

if (isMain(import.meta.url)) await runAsMain('collectors', run);
