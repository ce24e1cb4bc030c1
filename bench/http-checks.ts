/**
 * http-checks: 1,000 runs of the real http check (agent/src/checks/http.ts through the runner, as the
 * scheduler calls it, 4 at a time like its default pool) against a local keep-alive server in another
 * process. Ceiling: a bare undici request() loop doing the same GETs. Measured: CPU seconds of this process.
 */
import { pino } from 'pino';
import { request, Agent } from 'undici';
import type { CheckConfig } from '@nines/shared';
import { runCheck } from '../agent/src/runner.ts';
import { execProgram } from '../agent/src/exec.ts';
import { startLoad } from './lib/child.ts';
import { inParallel } from './lib/wire-agent.ts';
import { median } from './lib/stats.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const CHECKS = 1_000;
const CONCURRENCY = 4; // the scheduler's default pool
const ROUNDS = 5; // interleaved, median taken: the machine is shared
// The agent repeats the same check for days, so what counts is its cost once V8 has optimized it: with 500
// warm-up runs ours still fell round by round (0.18 → 0.07 CPU-s) while the bare loop was flat from round 2.
const WARMUP = 3_000;

function cpuSecondsOf(fn: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  return fn().then(() => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  });
}

export default async function run(): Promise<ScenarioResult> {
  const server = startLoad('http-server.ts');
  try {
    const { port } = await server.next<{ port: number }>('listening');
    const url = `http://127.0.0.1:${port}/`;
    const deps = { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir: '/tmp' };
    const configs: CheckConfig[] = Array.from({ length: CHECKS }, (_, i) => ({ kind: 'http', id: `web-${i}`, url }));
    const statuses = new Map<string, number>();
    const ours = (items: CheckConfig[]) => inParallel(items, CONCURRENCY, async (config) => {
      const result = await runCheck(config, deps);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
    });
    const bare = (n: number, dispatcher?: Agent) => inParallel(Array.from({ length: n }), CONCURRENCY, async () => {
      const response = await request(url, dispatcher ? { dispatcher } : {});
      if (response.statusCode !== 200) throw new Error(`bare loop got HTTP ${response.statusCode}`);
      await response.body.dump();
    });
    // A fresh connection per GET, as the check makes one to read the certificate: says how much of a gap is that choice.
    const bareFresh = (n: number) => inParallel(Array.from({ length: n }), CONCURRENCY, async () => {
      const dispatcher = new Agent({ connections: 1 });
      try {
        const response = await request(url, { dispatcher });
        await response.body.dump();
      } finally {
        await dispatcher.destroy();
      }
    });

    for (let done = 0; done < WARMUP; done += CHECKS) await ours(configs.slice(0, Math.min(CHECKS, WARMUP - done)));
    await bare(WARMUP);
    await bareFresh(WARMUP);
    statuses.clear();
    const oursCpu: number[] = [];
    const ceilingCpu: number[] = [];
    const freshCpu: number[] = [];
    const oursWall: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ceilingCpu.push(await cpuSecondsOf(() => bare(CHECKS)));
      const started = performance.now();
      oursCpu.push(await cpuSecondsOf(() => ours(configs)));
      oursWall.push((performance.now() - started) / 1000);
      freshCpu.push(await cpuSecondsOf(() => bareFresh(CHECKS)));
      progress('http-checks', `round ${round + 1}: ours ${oursCpu.at(-1)!.toFixed(3)} CPU-s, bare ${ceilingCpu.at(-1)!.toFixed(3)}, bare fresh-connection ${freshCpu.at(-1)!.toFixed(3)}`);
    }
    server.send({ type: 'count' });
    const { requests } = await server.next<{ requests: number }>('count');
    const o = median(oursCpu)!;
    const c = median(ceilingCpu)!;
    const ratio = ratioOf(o, c);
    const ok = statuses.get('OK') ?? 0;
    return {
      scenario: 'http-checks', unit: 'CPU-s / 1,000 checks', ours: round(o, 3), ceiling: round(c, 3), ratio, better: 'lower',
      target: '≤ 1.3 × the bare undici loop', met: ratio !== null && ratio <= 1.3 && ok === CHECKS * ROUNDS,
      okResults: ok, otherResults: CHECKS * ROUNDS - ok, serverRequests: requests,
      bareFreshConnectionCpuSeconds: round(median(freshCpu)!, 3), ratioToFreshConnectionLoop: ratioOf(o, median(freshCpu)),
      oursWallSeconds: round(median(oursWall)!, 2), rounds: { ours: oursCpu.map((v) => round(v, 3)), ceiling: ceilingCpu.map((v) => round(v, 3)) },
      method: method({ checks: CHECKS, concurrency: CONCURRENCY, rounds: ROUNDS, warmup: WARMUP, statistic: 'median of rounds',
        server: 'node:http keep-alive in a child process', ceiling: 'undici request() with the global (keep-alive) dispatcher' }),
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) await runAsMain('http-checks', run);
