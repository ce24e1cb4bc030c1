/**
 * `nines-collector serve` in its own process, on a port chosen here, through the development entry (tsx). Production
 * runs the bundle (collector/build.mjs) since issue 19; these scenarios stay on the entry every revision has, so
 * `--against` an older revision compares like with like. bench/collector-idle.ts measures what the bundle saves;
 * NINES_BENCH_COLLECTOR=bundle runs any scenario on the bundle.
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

/**
 * The collector's entry: the development one (tsx) by default; with NINES_BENCH_COLLECTOR=bundle the production
 * bundle, built once per bench process into collector/dist-bench (build.mjs wants its OUTDIR two levels below the
 * root), so a scenario can say what production costs.
 */
function collectorEntry(): string {
  if (process.env.NINES_BENCH_COLLECTOR !== 'bundle') return join(root, 'collector', 'bin', 'nines-collector.mjs');
  if (!bundle) {
    const out = join(root, 'collector', 'dist-bench');
    execFileSync(process.execPath, [join(root, 'collector', 'build.mjs'), out], { stdio: 'ignore' });
    bundle = join(out, 'nines-collector.mjs');
  }
  return bundle;
}

/** Logs (pino, info) go to <dataDir>/<logName>. NINES_BENCH_COLLECTOR_NODE_ARGS adds node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p". */
export function startCollectorProcess(dataDir: string, port: number, logName: string, extraArgs: string[] = []): ChildProcess {
  const logFd = openSync(join(dataDir, logName), 'a');
  const nodeArgs = (process.env.NINES_BENCH_COLLECTOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, collectorEntry(), 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...extraArgs], {
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
