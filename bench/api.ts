/**
 * api: GET /api/v1/status (the overview: every agent and check with status and 24 h availability) for
 * 1,000 checks (20 agents × 50) with 24 h of 1-minute results each, from `nines-collector serve` in its own
 * process, admin API token. Ceiling: a Fastify hello-world in this process, same load generator.
 * The collector runs apart so that an overview slower than the time bound cannot stall the bench itself.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { request } from 'undici';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { enrollAgents, adminToken } from './lib/collector.ts';
import { exited, freePort, startCollectorProcess, untilHealthy } from './lib/collector-process.ts';
import { startLoad } from './lib/child.ts';
import { populateHistory } from './lib/history.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 20;
const CHECKS_PER_AGENT = 50;
const HISTORY_MINUTES = Number(process.env.NINES_BENCH_API_HISTORY_MINUTES ?? 24 * 60); // override only to profile a smaller case
const CONNECTIONS = 10;
const DURATION_MS = 8_000;
const SINGLE_LIMIT_MS = 20_000; // keeps the scenario inside its time bound when one overview takes longer
const HAMMER_IF_UNDER_MS = 2_000; // slower than this, a load run would only queue requests: one sequential GET says it all

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-api-'));
  const load = startLoad('http-load.ts');
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  let collector: ChildProcess | null = null;
  try {
    await hello.listen({ host: '127.0.0.1', port: 0 });
    const helloUrl = `http://127.0.0.1:${(hello.server.address() as { port: number }).port}`;
    load.send({ type: 'hammer', url: helloUrl, path: '/', headers: {}, connections: CONNECTIONS, durationMs: DURATION_MS / 2 });
    const ceiling = await load.next<{ ok: number; failed: number; seconds: number }>('hammered', DURATION_MS + 10_000);
    await hello.close();

    progress('api', 'ceiling measured; storing the history');
    const store = new SqliteStore(join(dir, 'nines.db'));
    const agents = await enrollAgents(store, AGENTS);
    const token = await adminToken(store);
    const { rows } = await populateHistory(store, agents.map((a) => a.agentId), Date.now(), {
      checksPerAgent: CHECKS_PER_AGENT, historyMinutes: HISTORY_MINUTES, stepMinutes: 1,
      down: { check: 7, rounds: (round) => round % 720 === 100 },
      alertingCatchUp: process.env.NINES_BENCH_API_ALERTING_CATCH_UP === '1', rawOnly: process.env.NINES_BENCH_API_RAW_ONLY === '1',
    });
    await store.close();
    progress('api', `${rows.toLocaleString('en-US')} results for ${AGENTS * CHECKS_PER_AGENT} checks stored`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const spawned = performance.now();
    collector = startCollectorProcess(dir, port, 'collector.log');
    await untilHealthy(url, 40_000);
    const collectorStartSeconds = (performance.now() - spawned) / 1000;

    const headers = { authorization: `Bearer ${token}` };
    const single = performance.now();
    let singleMs: number | null = null;
    let checksInBody = 0;
    try {
      const first = await request(`${url}/api/v1/status`, { headers, headersTimeout: SINGLE_LIMIT_MS, bodyTimeout: SINGLE_LIMIT_MS });
      const body = (await first.body.json()) as { agents: { checks: unknown[] }[] };
      if (first.statusCode !== 200) throw new Error(`GET /api/v1/status answered ${first.statusCode}: ${JSON.stringify(body)}`);
      singleMs = performance.now() - single;
      checksInBody = body.agents.reduce((s, a) => s + a.checks.length, 0);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'UND_ERR_HEADERS_TIMEOUT' && code !== 'UND_ERR_BODY_TIMEOUT') throw error;
    }
    progress('api', singleMs === null ? `one GET /api/v1/status took more than ${SINGLE_LIMIT_MS} ms` : `one GET /api/v1/status: ${Math.round(singleMs)} ms, ${checksInBody} checks`);

    let ours = { ok: 0, failed: 0, seconds: 0, bytes: 0 };
    let oursRps: number | null = null;
    if (singleMs !== null && singleMs < HAMMER_IF_UNDER_MS) {
      load.send({ type: 'hammer', url, path: '/api/v1/status', headers, connections: CONNECTIONS, durationMs: DURATION_MS });
      ours = await load.next<{ ok: number; failed: number; seconds: number; bytes: number }>('hammered', DURATION_MS + 30_000);
      oursRps = ours.ok / ours.seconds;
    } else if (singleMs !== null) {
      oursRps = 1000 / singleMs;
    } else {
      oursRps = 1000 / SINGLE_LIMIT_MS; // an upper bound: it took longer than this
    }
    const ceilingRps = ceiling.ok / ceiling.seconds;
    const ratio = ratioOf(oursRps, ceilingRps);
    return {
      scenario: 'api', unit: 'req/s', ours: round(oursRps, 2), ceiling: Math.round(ceilingRps), ratio, better: 'higher',
      target: '≥ 0.4 × Fastify hello-world req/s', met: ratio !== null && ratio >= 0.4 && ours.failed === 0 && checksInBody === AGENTS * CHECKS_PER_AGENT,
      singleRequestMs: singleMs === null ? `> ${SINGLE_LIMIT_MS}` : Math.round(singleMs),
      measuredBy: singleMs !== null && singleMs < HAMMER_IF_UNDER_MS ? `${CONNECTIONS} connections for ${DURATION_MS / 1000} s` : singleMs === null ? `upper bound: one GET did not finish within ${SINGLE_LIMIT_MS / 1000} s` : 'one sequential GET (too slow to load-test within the time bound)',
      collectorStartSeconds: round(collectorStartSeconds, 1), checksInResponse: checksInBody, responseKiB: ours.ok ? Math.round(ours.bytes / ours.ok / 1024) : null, requests: ours.ok, failed: ours.failed, resultsInDb: rows,
      method: method({ agents: AGENTS, checks: AGENTS * CHECKS_PER_AGENT, historyMinutes: HISTORY_MINUTES, history: '1-minute results per check (raw rows), rolled up by the real flush as a running collector would have (NINES_BENCH_API_RAW_ONLY=1: not)', connections: CONNECTIONS,
        collector: '`nines-collector serve` child process (pino info log to a file)', auth: 'admin API token (Bearer)',
        load: 'undici Pool in a child process', ceiling: `Fastify hello-world (logger off) in this process, ${DURATION_MS / 2000} s` }),
    };
  } finally {
    if (collector) {
      collector.kill('SIGKILL');
      await exited(collector);
    }
    await load.stop();
    await hello.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('api', run);
