/**
 * api: GET /api/v1/status (the overview: every agent and check with status and 24 h availability) for
 * 1,000 checks (20 agents × 50) with 24 h of 1-minute results each, through the real collector with an
 * admin API token. Ceiling: a Fastify hello-world in the same process, same load generator.
 */
import Fastify from 'fastify';
import { request } from 'undici';
import { startBenchCollector, enrollAgents, adminToken } from './lib/collector.ts';
import { startLoad } from './lib/child.ts';
import { benchResult } from './lib/wire-agent.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 20;
const CHECKS_PER_AGENT = 50;
const HISTORY_MINUTES = Number(process.env.NINES_BENCH_API_HISTORY_MINUTES ?? 24 * 60); // override only to profile a smaller case
const CONNECTIONS = 10;
const DURATION_MS = 8_000;
const SINGLE_LIMIT_MS = 25_000; // keeps the scenario inside its 60 s when one overview takes longer than that
const HAMMER_IF_UNDER_MS = 2_000; // slower than this, the load run would only queue requests: one sequential GET says it all

export default async function run(): Promise<ScenarioResult> {
  const collector = await startBenchCollector();
  const load = startLoad('http-load.ts');
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  try {
    const { store } = collector;
    const agents = enrollAgents(store, AGENTS);
    const token = adminToken(store);
    const now = Date.now();
    const from = now - HISTORY_MINUTES * 60_000;
    const insert = store.db.prepare(
      `INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    );
    // History straight into the table (1.44 M rows would take minutes through the socket); the newest minute
    // goes through the store's insertResults so check state is what ingest leaves behind.
    store.db.transaction(() => {
      for (const { agentId } of agents) {
        let seq = 0;
        for (let minute = 0; minute < HISTORY_MINUTES - 1; minute++) {
          for (let check = 0; check < CHECKS_PER_AGENT; check++) {
            const r = benchResult(++seq, check, from + minute * 60_000 + check * 1_000);
            const down = minute % 720 === 100 && check === 7; // a little downtime so availability is not all 100 %
            insert.run(agentId, r.seq, r.checkId, down ? 'CRIT' : r.status, r.message, JSON.stringify(r.metrics), r.startedAt, r.finishedAt, now);
          }
        }
      }
    })();
    for (const { agentId } of agents) {
      const firstSeq = (HISTORY_MINUTES - 1) * CHECKS_PER_AGENT;
      store.insertResults(agentId, Array.from({ length: CHECKS_PER_AGENT }, (_, check) => benchResult(firstSeq + check + 1, check, now - 60_000 + check * 1_000)), now);
    }
    const rows = store.db.prepare(`SELECT count(*) FROM results`).pluck().get() as number;
    progress('api', `${rows.toLocaleString('en-US')} results for ${AGENTS * CHECKS_PER_AGENT} checks stored`);

    const headers = { authorization: `Bearer ${token}` };
    const single = performance.now();
    let singleMs: number | null = null;
    let checksInBody = 0;
    try {
      const first = await request(`${collector.url}/api/v1/status`, { headers, headersTimeout: SINGLE_LIMIT_MS, bodyTimeout: SINGLE_LIMIT_MS });
      const body = (await first.body.json()) as { agents: { checks: unknown[] }[] };
      if (first.statusCode !== 200) throw new Error(`GET /api/v1/status answered ${first.statusCode}: ${JSON.stringify(body)}`);
      singleMs = performance.now() - single;
      checksInBody = body.agents.reduce((s, a) => s + a.checks.length, 0);
    } catch (error) {
      if ((error as { code?: string }).code !== 'UND_ERR_HEADERS_TIMEOUT' && (error as { code?: string }).code !== 'UND_ERR_BODY_TIMEOUT') throw error;
    }
    progress('api', singleMs === null ? `one GET /api/v1/status took more than ${SINGLE_LIMIT_MS} ms` : `one GET /api/v1/status: ${Math.round(singleMs)} ms, ${checksInBody} checks`);

    await hello.listen({ host: '127.0.0.1', port: 0 });
    const helloUrl = `http://127.0.0.1:${(hello.server.address() as { port: number }).port}`;
    load.send({ type: 'hammer', url: helloUrl, path: '/', headers: {}, connections: CONNECTIONS, durationMs: DURATION_MS / 2 });
    const ceiling = await load.next<{ ok: number; failed: number; seconds: number }>('hammered', DURATION_MS + 10_000);
    let ours = { ok: 0, failed: 0, seconds: 0, bytes: 0 };
    let oursRps: number | null = null;
    if (singleMs !== null && singleMs < HAMMER_IF_UNDER_MS) {
      load.send({ type: 'hammer', url: collector.url, path: '/api/v1/status', headers, connections: CONNECTIONS, durationMs: DURATION_MS });
      ours = await load.next<{ ok: number; failed: number; seconds: number; bytes: number }>('hammered', DURATION_MS + 30_000);
      oursRps = ours.ok / ours.seconds;
    } else if (singleMs !== null) {
      oursRps = 1000 / singleMs;
    }
    const ceilingRps = ceiling.ok / ceiling.seconds;
    const ratio = ratioOf(oursRps, ceilingRps);
    return {
      scenario: 'api', unit: 'req/s', ours: oursRps === null ? null : round(oursRps, 2), ceiling: Math.round(ceilingRps), ratio, better: 'higher',
      target: '≥ 0.4 × Fastify hello-world req/s', met: ratio !== null && ratio >= 0.4 && ours.failed === 0 && checksInBody === AGENTS * CHECKS_PER_AGENT,
      singleRequestMs: singleMs === null ? `> ${SINGLE_LIMIT_MS}` : Math.round(singleMs),
      measuredBy: singleMs !== null && singleMs < HAMMER_IF_UNDER_MS ? `${CONNECTIONS} connections for ${DURATION_MS / 1000} s` : 'one sequential GET (too slow to load-test within the time bound)', checksInResponse: checksInBody, responseKiB: ours.ok ? Math.round(ours.bytes / ours.ok / 1024) : null,
      requests: ours.ok, failed: ours.failed, resultsInDb: rows,
      method: method({ agents: AGENTS, checks: AGENTS * CHECKS_PER_AGENT, history: '24 h of 1-minute results per check (raw rows)', connections: CONNECTIONS,
        durationSeconds: { ours: DURATION_MS / 1000, ceiling: DURATION_MS / 2000 }, auth: 'admin API token (Bearer)',
        load: 'undici Pool in a child process, requests still in flight at the deadline are not counted', ceiling: 'Fastify hello-world (logger off) in this process' }),
    };
  } finally {
    await load.stop();
    await hello.close();
    await collector.close();
  }
}

if (isMain(import.meta.url)) await runAsMain('api', run);
