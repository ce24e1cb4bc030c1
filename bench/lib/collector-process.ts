/**
 * `nines-collector serve` in its own process, on a port chosen here. Production runs the bundle (collector/build.mjs)
 * since issue 19. Most scenarios stay on the development entry (tsx), which every revision has, so `--against` an
 * older revision compares like with like; steady, which states what production costs per result, defaults to the
 * bundle (bench/steady.ts). bench/collector-idle.ts measures what the bundle saves. NINES_BENCH_COLLECTOR=bundle or
 * =tsx overrides any scenario's default.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let bundle: string | null = null;

export type CollectorEntry = 'bundle' | 'tsx';

/** NINES_BENCH_COLLECTOR when set (bundle or tsx), else the scenario's default. */
export function collectorEntryKind(scenarioDefault: CollectorEntry = 'tsx'): CollectorEntry {
  const chosen = process.env.NINES_BENCH_COLLECTOR;
  if (chosen === undefined || chosen === '') return scenarioDefault;
  if (chosen !== 'bundle' && chosen !== 'tsx') throw new Error(`NINES_BENCH_COLLECTOR is "${chosen}": bundle or tsx`);
  return chosen;
}

/**
 * The collector's entry file: the development one (bin/nines-collector.mjs, tsx) or the production bundle. The
 * bundle is built from the sources once per bench process, into collector/dist-bench (build.mjs wants its OUTDIR two
 * levels below the root), never reused from an earlier process: it cannot be staler than the tree it measures, for
 * ~1 s of esbuild.
 */
export function collectorEntry(kind: CollectorEntry = collectorEntryKind()): string {
  if (kind === 'tsx') return join(root, 'collector', 'bin', 'nines-collector.mjs');
  if (!bundle) {
    const out = join(root, 'collector', 'dist-bench');
    execFileSync(process.execPath, [join(root, 'collector', 'build.mjs'), out], { stdio: 'ignore' });
    bundle = join(out, 'nines-collector.mjs');
  }
  return bundle;
}

/**
 * Logs (pino, info) go to <dataDir>/<logName>. NINES_BENCH_COLLECTOR_NODE_ARGS adds node flags, e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/p". `entry`: which collector runs (default: NINES_BENCH_COLLECTOR, else tsx).
 */
export function startCollectorProcess(dataDir: string, port: number, logName: string, extraArgs: string[] = [], entry: CollectorEntry = collectorEntryKind()): ChildProcess {
  const logFd = openSync(join(dataDir, logName), 'a');
  const nodeArgs = (process.env.NINES_BENCH_COLLECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, collectorEntry(entry), 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  return child;
}

export async function untilHealthy(url: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await request(`${url}/healthz`);
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`collector not healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
