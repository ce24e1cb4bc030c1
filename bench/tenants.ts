/**
 * tenants: what a client's dashboard waits for, and whether a big neighbour slows it. A small tenant (20 hosts × 50
 * checks, a day of 1-minute history) on `nines-collector serve`, its agents trickling results as they do all day
 * (each check once a minute). Measured: median latency of one client login's GET /api/v1/status and
 * GET /api/v1/overview, back to back on one keep-alive connection, and the consultant's GET /api/v1/status over
 * the same 1,000 checks. Then a 20,000-check tenant (400 hosts × 50, a day of 10-minute history, trickling too)
 * is added to the same database and the collector restarted: the same requests again. Ceiling: a Fastify
 * hello-world in this process, same client, same connection handling.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { apiToken, enrollAgents, type AgentCredentials } from './lib/collector.ts';
import { exited, freePort, startCollectorProcess, untilHealthy } from './lib/collector-process.ts';
import { startLoad, type LoadProcess } from './lib/child.ts';
import { populateHistory } from './lib/history.ts';
import { median, percentile } from './lib/stats.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const CHECKS_PER_AGENT = 50;
const SMALL_AGENTS = 20; // 1,000 checks
const BIG_AGENTS = 400; // 20,000 checks
const PERIOD_MS = 60_000; // each check once a minute
const REQUESTS = 300; // per measured route, back to back
const WARMUP_MS = 4_000; // after the feed started: sockets settled, the first recomputation done
const TARGET_MS = 5;
const NEIGHBOUR_LIMIT = 1.2; // the big tenant may change the small one's latency by less than 20 %

interface Latencies {
  p50: number;
  p95: number;
  max: number;
}

/** `count` GETs one after another on one keep-alive connection; every answer must be 200. */
async function sequential(pool: Pool, path: string, headers: Record<string, string>, count: number): Promise<Latencies & { bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await pool.request({ path, method: 'GET', headers });
    const body = await response.body.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}: ${Buffer.from(body).toString().slice(0, 200)}`);
    bytes = body.byteLength;
  }
  return { p50: round(median(samples)!, 2), p95: round(percentile(samples, 95)!, 2), max: round(Math.max(...samples), 1), bytes };
}

interface Phase {
  clientStatus: Latencies & { bytes: number };
  clientOverview: Latencies & { bytes: number };
  adminStatus: Latencies & { bytes: number };
  resultsPerSecond: number;
  sent: number;
}

/** Starts the collector on `dir`, feeds `agents`, measures, stops both. */
async function phase(name: string, dir: string, agents: AgentCredentials[], tokens: { client: string; admin: string }): Promise<Phase> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let collector: ChildProcess | null = startCollectorProcess(dir, port, `collector-${name}.log`);
  let feed: LoadProcess | null = null;
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  try {
    await untilHealthy(url, 60_000);
    feed = startLoad('trickle-load.ts');
    feed.send({ type: 'trickle', url, credentials: agents, checksPerAgent: CHECKS_PER_AGENT, periodMs: PERIOD_MS });
    const { resultsPerSecond } = await feed.next<{ resultsPerSecond: number }>('trickling', 120_000);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const client = { authorization: `Bearer ${tokens.client}` };
    const admin = { authorization: `Bearer ${tokens.admin}` };
    const clientStatus = await sequential(pool, '/api/v1/status', client, REQUESTS);
    const clientOverview = await sequential(pool, '/api/v1/overview', client, REQUESTS);
    const adminStatus = await sequential(pool, '/api/v1/status', admin, Math.ceil(REQUESTS / 3));
    feed.send({ type: 'stop' });
    const { sent } = await feed.next<{ sent: number }>('stopped', 30_000);
    progress('tenants', `${name}: client status p50 ${clientStatus.p50} ms, overview p50 ${clientOverview.p50} ms, admin status p50 ${adminStatus.p50} ms (${resultsPerSecond.toFixed(0)} results/s fed)`);
    return { clientStatus, clientOverview, adminStatus, resultsPerSecond: round(resultsPerSecond, 0), sent };
  } finally {
    await pool.destroy();
    await feed?.stop();
    if (collector) {
      collector.kill('SIGTERM');
      await exited(collector);
      collector = null;
    }
  }
}

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-tenants-'));
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  try {
    await hello.listen({ host: '127.0.0.1', port: 0 });
    const helloPool = new Pool(`http://127.0.0.1:${(hello.server.address() as { port: number }).port}`, { connections: 1, pipelining: 1 });
    await sequential(helloPool, '/', {}, REQUESTS); // warm
    const ceiling = await sequential(helloPool, '/', {}, REQUESTS);
    await helloPool.destroy();
    await hello.close();

    const now = Date.now();
    let store = new SqliteStore(join(dir, 'nines.db'));
    const small = await enrollAgents(store, SMALL_AGENTS, 'Kanzlei Berger');
    const smallId = (await store.findClient('Kanzlei Berger'))!.id;
    const tokens = { client: await apiToken(store, 'client', smallId), admin: await apiToken(store, 'admin', null) };
    const smallRows = (await populateHistory(store, small.map((a) => a.agentId), now, { checksPerAgent: CHECKS_PER_AGENT, historyMinutes: 24 * 60, stepMinutes: 1 })).rows;
    await store.close();
    progress('tenants', `small tenant: ${SMALL_AGENTS * CHECKS_PER_AGENT} checks, ${smallRows.toLocaleString('en-US')} results`);
    const alone = await phase('alone', dir, await small, tokens);

    store = new SqliteStore(join(dir, 'nines.db'));
    const big = await enrollAgents(store, BIG_AGENTS, 'Großhandel Nord');
    const bigRows = (await populateHistory(store, big.map((a) => a.agentId), Date.now(), { checksPerAgent: CHECKS_PER_AGENT, historyMinutes: 24 * 60, stepMinutes: 10 })).rows - smallRows;
    await store.close();
    progress('tenants', `big neighbour: ${BIG_AGENTS * CHECKS_PER_AGENT} checks, ${bigRows.toLocaleString('en-US')} results`);
    const beside = await phase('beside', dir, [...await small, ...await big], tokens);

    const slowdown = {
      clientStatus: round(beside.clientStatus.p50 / alone.clientStatus.p50, 2),
      clientOverview: round(beside.clientOverview.p50 / alone.clientOverview.p50, 2),
    };
    const ours = Math.max(beside.clientStatus.p50, beside.clientOverview.p50, alone.adminStatus.p50);
    return {
      scenario: 'tenants', unit: 'ms p50', ours, ceiling: ceiling.p50, ratio: ratioOf(ours, ceiling.p50), better: 'lower',
      target: `GET /api/v1/status and /overview of 1,000 checks ≤ ${TARGET_MS} ms median; a 20,000-check neighbour changes them < ${Math.round((NEIGHBOUR_LIMIT - 1) * 100)} %`,
      met: ours <= TARGET_MS && slowdown.clientStatus < NEIGHBOUR_LIMIT && slowdown.clientOverview < NEIGHBOUR_LIMIT,
      slowdownByNeighbour: slowdown, alone, beside, helloWorld: ceiling,
      method: method({
        small: `${SMALL_AGENTS} agents × ${CHECKS_PER_AGENT} checks, 24 h of 1-minute results`, big: `${BIG_AGENTS} agents × ${CHECKS_PER_AGENT} checks, 24 h of 10-minute results`,
        feed: `every check once per ${PERIOD_MS / 1000} s over real agent WebSockets (lib/trickle-load.ts), one result per frame`,
        requests: `${REQUESTS} back to back per route on one keep-alive connection after ${WARMUP_MS / 1000} s of feed; the consultant's ${Math.ceil(REQUESTS / 3)}`,
        ours: 'the slowest of: client status and overview beside the neighbour, consultant status over the 1,000 checks alone',
        collector: '`nines-collector serve` child process, restarted between the phases on the same database', ceiling: 'Fastify hello-world (logger off) in this process, same client',
      }),
    };
  } finally {
    await hello.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('tenants', run);
