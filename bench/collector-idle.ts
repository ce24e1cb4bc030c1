/**
 * collector-idle: the collector's memory and start-up as shipped (the bundle of collector/build.mjs, run by node
 * alone) against the development entry (collector/bin/nines-collector.mjs, the sources through tsx), each a real
 * `nines-collector serve` on a fresh data directory with no agent: what dropping the TypeScript loader saves.
 *
 *   NINES_BENCH_IDLE_SETTLE_S=20 NINES_BENCH_IDLE_WINDOW_S=20 npm run bench -- collector-idle
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, untilHealthy, exited } from './lib/collector-process.ts';
import { sampleProcess } from './lib/proc.ts';
import { method } from './lib/method.ts';
import { envNumber, isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// After /healthz answers: timers started, JIT and GC settled (the first rollup and retention passes run early).
const SETTLE_MS = envNumber('NINES_BENCH_IDLE_SETTLE_S', 20) * 1000;
const WINDOW_MS = envNumber('NINES_BENCH_IDLE_WINDOW_S', 20) * 1000;
const SAMPLE_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function serve(entry: string, dataDir: string, children: ChildProcess[]): Promise<{ child: ChildProcess; healthyMs: number }> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [entry, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  children.push(child);
  await untilHealthy(`http://127.0.0.1:${port}`, 90_000);
  return { child, healthyMs: performance.now() - started };
}

export default async function collectorIdle(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-collector-idle-'));
  const children: ChildProcess[] = [];
  try {
    // <dir>/collector/dist: the layout collector/build.mjs expects (two levels below a root).
    const dist = join(dir, 'collector', 'dist');
    await new Promise<void>((resolve, reject) => execFile(process.execPath, [join(root, 'collector', 'build.mjs'), dist], (error) => (error ? reject(error) : resolve())));
    // One after the other, so neither start-up competes with the other for the 2 cores.
    const bundled = await serve(join(dist, 'nines-collector.mjs'), join(dir, 'data-bundle'), children);
    const tsx = await serve(join(root, 'collector', 'bin', 'nines-collector.mjs'), join(dir, 'data-tsx'), children);
    progress('collector-idle', `both healthy (bundle ${Math.round(bundled.healthyMs)} ms, tsx ${Math.round(tsx.healthyMs)} ms); settle ${SETTLE_MS / 1000} s, then ${WINDOW_MS / 1000} s sampled`);
    await sleep(SETTLE_MS);
    const samples: { bundle: number; tsx: number }[] = [];
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      samples.push({ bundle: sampleProcess(bundled.child.pid!).rssKiB, tsx: sampleProcess(tsx.child.pid!).rssKiB });
      await sleep(SAMPLE_MS);
    }
    const maxMiB = (key: 'bundle' | 'tsx') => round(Math.max(...samples.map((s) => s[key])) / 1024, 1);
    const bundleRss = maxMiB('bundle');
    const tsxRss = maxMiB('tsx');
    return {
      scenario: 'collector-idle', unit: 'RSS MiB', ours: bundleRss, ceiling: tsxRss, ratio: ratioOf(bundleRss, tsxRss), better: 'lower',
      target: 'the bundled collector idles in no more memory than the sources through tsx', met: bundleRss <= tsxRss,
      savedMiB: round(tsxRss - bundleRss, 1),
      startToHealthyMs: { bundle: Math.round(bundled.healthyMs), tsx: Math.round(tsx.healthyMs) },
      method: method({
        bundle: 'collector/build.mjs into a temporary collector/dist, `node nines-collector.mjs serve`',
        tsx: '`node collector/bin/nines-collector.mjs serve` (tsx registers, sources compiled on load)',
        load: 'none: fresh data directory, no agent, log level warn', settleSeconds: SETTLE_MS / 1000, windowSeconds: WINDOW_MS / 1000,
        rss: `max of ${SAMPLE_MS / 1000}-s samples of VmRSS over the window`, startToHealthy: 'spawn until /healthz answers 200 (polled every 25 ms)',
      }),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => exited(c)));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('collector-idle', collectorIdle);
