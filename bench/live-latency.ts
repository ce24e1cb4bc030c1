/**
 * live-latency: 1,000 agents at 1,000 results/s in all, 20 dashboard sockets on /ws/live (admin API token),
 * through the real collector. Measured: agent send → dashboard receive, p99. Ceiling: raw ws echo round trip
 * on loopback at the same rate from the same number of sockets.
 */
import { WebSocketServer } from 'ws';
import { startBenchCollector, enrollAgents, adminToken } from './lib/collector.ts';
import { startLoad } from './lib/child.ts';
import { percentile } from './lib/stats.ts';
import { sampleProcess } from './lib/proc.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 1_000;
const DASHBOARDS = 20;
const DURATION_MS = 12_000;
const WARMUP_MS = 2_000;

export default async function run(): Promise<ScenarioResult> {
  const collector = await startBenchCollector();
  const load = startLoad('live-load.ts');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
  try {
    const credentials = await enrollAgents(collector.store, AGENTS);
    const token = await adminToken(collector.store);
    // Counts serializations of live check frames in this (the collector's) process: one per frame, whatever the sockets.
    let checkFrameSerializations = 0;
    const stringify = JSON.stringify;
    JSON.stringify = function (value: unknown, ...rest: unknown[]) {
      if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'check') checkFrameSerializations++;
      return (stringify as (...a: unknown[]) => string)(value, ...rest);
    } as typeof JSON.stringify;
    load.send({ type: 'live', url: collector.url, credentials: credentials, token, dashboards: DASHBOARDS, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
    await load.next('liveConnected', 40_000);
    progress('live-latency', `${AGENTS} agents and ${DASHBOARDS} dashboards connected; streaming for ${DURATION_MS / 1000} s`);
    const cpuBefore = process.cpuUsage();
    const loadCpuBefore = sampleProcess(load.child.pid!).cpuMs;
    const streamStarted = performance.now();
    const live = await load.next<{ latencies: number[]; sent: number; received: number }>('liveDone', DURATION_MS + 15_000);
    const streamSeconds = (performance.now() - streamStarted) / 1000;
    const collectorCpu = process.cpuUsage(cpuBefore);
    const loadCpuMs = sampleProcess(load.child.pid!).cpuMs - loadCpuBefore;

    progress('live-latency', 'measuring the raw ws echo ceiling');
    await new Promise((resolve) => (wss.address() ? resolve(null) : wss.once('listening', resolve)));
    load.send({ type: 'echo', url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, count: AGENTS, durationMs: DURATION_MS / 2, warmupMs: WARMUP_MS });
    const echo = await load.next<{ latencies: number[] }>('echoDone', DURATION_MS + 15_000);
    // Counted only now: a collector that fell behind is still publishing what it received during the stream.
    JSON.stringify = stringify;
    const stored = collector.store.db.prepare(`SELECT count(*) FROM results`).pluck().get() as number;

    const oursP99 = percentile(live.latencies, 99);
    const ceilingP99 = percentile(echo.latencies, 99);
    const ratio = ratioOf(oursP99, ceilingP99);
    const perFrame = stored === 0 ? null : round(checkFrameSerializations / stored, 2);
    return {
      scenario: 'live-latency', unit: 'ms p99', ours: oursP99 === null ? null : round(oursP99, 1), ceiling: ceilingP99 === null ? null : round(ceilingP99, 2), ratio, better: 'lower',
      target: 'p99 < 50 ms and ≤ 3 × raw ws p99; one serialization per live frame',
      met: oursP99 !== null && oursP99 < 50 && ratio !== null && ratio <= 3 && perFrame === 1 && live.received === live.sent * DASHBOARDS,
      p50Ms: round(percentile(live.latencies, 50) ?? NaN, 1), p999Ms: round(percentile(live.latencies, 99.9) ?? NaN, 1),
      ceilingP50Ms: round(percentile(echo.latencies, 50) ?? NaN, 2),
      resultsSent: live.sent, resultsStored: stored, framesReceived: live.received, framesExpected: live.sent * DASHBOARDS, serializationsPerLiveFrame: perFrame,
      collectorCpuPercentOfCore: round(((collectorCpu.user + collectorCpu.system) / 1e4) / streamSeconds, 0), loadProcessCpuPercentOfCore: round(loadCpuMs / 10 / streamSeconds, 0),
      method: method({ agents: AGENTS, dashboards: DASHBOARDS, rate: '1 result/s per agent, phases spread over the second', durationSeconds: DURATION_MS / 1000,
        warmupSeconds: WARMUP_MS / 1000, clock: 'performance.timeOrigin + now() in the load process (sender and receiver are the same process)',
        load: 'one child process: 1,000 ws agents + 20 /ws/live sockets', ceiling: 'ws echo server in this process, 1,000 sockets at 1 msg/s each, round trip' }),
    };
  } finally {
    await load.stop();
    await new Promise((resolve) => wss.close(resolve));
    await collector.close();
  }
}

if (isMain(import.meta.url)) await runAsMain('live-latency', run);
