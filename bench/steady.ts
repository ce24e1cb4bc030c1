/**
 * steady: what a running agent and collector cost per check at the real operating point (issue 18).
 * The shipped agent (built by agent/build.mjs, enrolled and started by its own CLI: `nines-agent enroll`,
 * `nines-agent run`) with N HTTP checks at 20 s against a loopback keep-alive target, a real
 * `nines-collector serve` process; warm-up, then a measured window of several intervals. CPU and RSS of each
 * process from /proc. Ceiling in the same run: a bare undici loop (bench/lib/bare-loop.ts) making the same
 * GETs at the same rate. Beside it a second agent with 50 HTTP checks at 60 s (a small client machine) and an
 * idle `node -e` of the same version: the idle row.
 *
 *   NINES_BENCH_STEADY_CHECKS=200 NINES_BENCH_STEADY_WARMUP_S=20 NINES_BENCH_STEADY_WINDOW_S=40 npm run bench -- steady
 *   NINES_BENCH_COLLECTOR=tsx   (the collector through tsx instead of its production bundle, the default)
 *   NINES_BENCH_AGENT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"   (node flags for the 1,000-check agent; profiles are
 *   written when it stops); NINES_BENCH_IDLE_AGENT_NODE_ARGS the same for the 50-check one, NINES_BENCH_COLLECTOR_NODE_ARGS
 *   for the collector.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import type { CheckConfig } from '@nines/shared';
import { SYSTEMD_ENVIRONMENT } from '../agent/src/service/systemd.linux.ts';
import { collectorEntry, collectorEntryKind, freePort, startCollectorProcess, untilHealthy, exited } from './lib/collector-process.ts';
import { startLoad } from './lib/child.ts';
import { sampleProcess, threadCpuMs, type ProcSample } from './lib/proc.ts';
import { method } from './lib/method.ts';
import { envNumber, isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
/**
 * Production runs the bundle (`npm start`, the systemd unit, the Docker image), so that is what this scenario measures
 * by default; NINES_BENCH_COLLECTOR=tsx runs the development entry instead (it costs ~40–60 MiB of RSS more: tsx's
 * loader and transform cache). The agent is always its bundle, built below from the tree being measured.
 */
const COLLECTOR_ENTRY = collectorEntryKind('bundle');
const CHECKS = envNumber('NINES_BENCH_STEADY_CHECKS', 1_000);
const INTERVAL_MS = 20_000;
const IDLE_CHECKS = 50;
const IDLE_INTERVAL_MS = 60_000;
// Warm-up: every check's first run (random offset within its interval: 60 s for the idle agent) and JIT warm-up.
const WARMUP_MS = envNumber('NINES_BENCH_STEADY_WARMUP_S', 60) * 1000;
const WINDOW_MS = envNumber('NINES_BENCH_STEADY_WINDOW_S', 120) * 1000; // 6 intervals of 20 s, 2 of the idle agent's 60 s
const SAMPLE_MS = 2_000;

const TARGETS = { ratio: 4, agentRssMiB: 80, collectorCpuMsPerResult: 0.2, collectorRssMiB: 120, dbBytesPerResult: 100, idleRssOverBaselineMiB: 15, idleCpuPercent: 0.1 };

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A running agent process with its log lines counted (stdout: pino JSON). */
interface AgentRun {
  child: ChildProcess;
  agentId: string;
  closes: number;
  running: Promise<void>;
}

function startAgentRun(bundle: string, stateDir: string, configFile: string, agentId: string, nodeArgs: string[]): AgentRun {
  const child = spawn(process.execPath, [...nodeArgs, bundle, 'run', '--state-dir', stateDir, '--config', configFile], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...SYSTEMD_ENVIRONMENT, NINES_LOG_LEVEL: 'info' },
  });
  const agent: AgentRun = { child, agentId, closes: 0, running: Promise.resolve() };
  let tail = '';
  agent.running = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent ${agentId} did not log "agent running" within 60 s`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (tail + chunk).split('\n');
      tail = lines.pop()!;
      for (const line of lines) {
        if (line.includes('"msg":"agent running"')) (clearTimeout(timer), resolve());
        if (line.includes('"msg":"collector connection closed"')) agent.closes++;
      }
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`agent ${agentId} exited with ${code}`))));
  });
  agent.running.catch(() => {});
  return agent;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

function httpChecks(prefix: string, count: number, port: number, interval: string): CheckConfig[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'http', id: `${prefix}-${i}`, url: `http://127.0.0.1:${port}/${prefix}-${i}`, interval }) as CheckConfig);
}

export default async function steady(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-steady-'));
  const children: ChildProcess[] = [];
  const target = startLoad('http-server.ts');
  const bare = startLoad('bare-loop.ts');
  try {
    const bundle = join(dir, 'nines-agent.mjs');
    await run(join(root, 'agent', 'build.mjs'), [bundle]);
    const { port: targetPort } = await target.next<{ port: number }>('listening');

    const dataDir = join(dir, 'collector');
    const collectorConfig = join(dir, 'collector.yaml');
    // 1,000 checks on one agent is above the default quota of 200 check ids (a real client machine has ≤ 50).
    writeFileSync(collectorConfig, stringify({ ingest: { maxChecksPerAgent: CHECKS + 100 } }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const settings = ['--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port), '--config', collectorConfig];
    mkdirSync(dataDir, { recursive: true });
    const collectorBin = collectorEntry(COLLECTOR_ENTRY);
    const collector = startCollectorProcess(dataDir, port, 'collector.log', ['--config', collectorConfig], COLLECTOR_ENTRY);
    children.push(collector);
    await untilHealthy(url, 90_000);

    const nodeArgs = (process.env.NINES_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const enrollAndStart = async (name: string, checks: CheckConfig[], args: string[]): Promise<AgentRun> => {
      const token = (await run(collectorBin, ['enroll-token', 'create', '--client', 'bench', ...settings])).trim().split('\n').at(-1)!;
      const stateDir = join(dir, name);
      const enrolled = await run(bundle, ['enroll', '--url', url, '--token', token, '--state-dir', stateDir, '--name', name]);
      const agentId = /enrolled as agent (\S+);/.exec(enrolled)?.[1];
      if (!agentId) throw new Error(`no agent id in: ${enrolled}`);
      const configFile = join(dir, `${name}.yaml`);
      writeFileSync(configFile, stringify({ checks }));
      const agent = startAgentRun(bundle, stateDir, configFile, agentId, args);
      children.push(agent.child);
      return agent;
    };
    const busy = await enrollAndStart('steady', httpChecks('site', CHECKS, targetPort, '20s'), nodeArgs);
    const idleNodeArgs = (process.env.NINES_BENCH_IDLE_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const idle = await enrollAndStart('small', httpChecks('small', IDLE_CHECKS, targetPort, '60s'), idleNodeArgs);
    const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore', env: { ...process.env, ...SYSTEMD_ENVIRONMENT } });
    children.push(baseline);
    await Promise.all([busy.running, idle.running]);
    bare.send({ type: 'start', urls: Array.from({ length: CHECKS }, (_, i) => `http://127.0.0.1:${targetPort}/bare-${i}`), intervalMs: INTERVAL_MS });
    await bare.next('started');
    progress('steady', `agents running (${CHECKS} checks at 20 s, ${IDLE_CHECKS} at 60 s), bare loop started; warm-up ${WARMUP_MS / 1000} s, then ${WINDOW_MS / 1000} s measured`);
    await sleep(WARMUP_MS);

    const db = new Database(join(dataDir, 'nines.db'), { readonly: true, fileMustExist: true });
    const dbState = () => {
      const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
      const stored = db.prepare('SELECT id, stored_results AS stored FROM agents').all() as { id: string; stored: number }[];
      const of = (id: string) => stored.find((a) => a.id === id)?.stored ?? 0;
      return { bytes: pages * (db.pragma('page_size', { simple: true }) as number), busy: of(busy.agentId), idle: of(idle.agentId), all: stored.reduce((s, a) => s + a.stored, 0) };
    };
    type Sample = { t: number; busy: ProcSample; idle: ProcSample; baseline: ProcSample; collector: ProcSample; bare: ProcSample };
    const sample = (): Sample => ({
      t: performance.now(), busy: sampleProcess(busy.child.pid!), idle: sampleProcess(idle.child.pid!), baseline: sampleProcess(baseline.pid!),
      collector: sampleProcess(collector.pid!), bare: sampleProcess(bare.child.pid!),
    });
    const closesBefore = { busy: busy.closes, idle: idle.closes };
    bare.send({ type: 'count' });
    const bareBefore = await bare.next<{ completed: number; failed: number }>('count');
    const dbBefore = dbState();
    const threadsBefore = threadCpuMs(collector.pid!);
    const samples: Sample[] = [sample()];
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      await sleep(Math.min(SAMPLE_MS, WINDOW_MS - (performance.now() - started)));
      samples.push(sample());
    }
    bare.send({ type: 'count' });
    const bareAfter = await bare.next<{ completed: number; failed: number }>('count');
    const dbAfter = dbState();
    const threadsAfter = threadCpuMs(collector.pid!);
    db.close();
    // Where the collector's CPU goes besides its main thread ("node"): GC helpers, threadpool, worker threads.
    const collectorThreadCpuSeconds = Object.fromEntries(
      Object.entries(threadsAfter).map(([name, ms]) => [name, round((ms - (threadsBefore[name] ?? 0)) / 1000, 2)] as const).filter(([, s]) => s > 0),
    );
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const seconds = (last.t - first.t) / 1000;
    const cpu = (key: keyof Omit<Sample, 't'>) => last[key].cpuMs - first[key].cpuMs;
    const maxRssMiB = (key: keyof Omit<Sample, 't'>) => round(Math.max(...samples.map((s) => s[key].rssKiB)) / 1024, 1);

    const busyResults = dbAfter.busy - dbBefore.busy;
    const allResults = dbAfter.all - dbBefore.all;
    const bareChecks = bareAfter.completed - bareBefore.completed;
    const agentCpuMsPerCheck = busyResults > 0 ? cpu('busy') / busyResults : null;
    const bareCpuMsPerCheck = bareChecks > 0 ? cpu('bare') / bareChecks : null;
    const collectorCpuMsPerResult = allResults > 0 ? cpu('collector') / allResults : null;
    const dbBytesPerResult = allResults > 0 ? (dbAfter.bytes - dbBefore.bytes) / allResults : null;
    const ratio = ratioOf(agentCpuMsPerCheck, bareCpuMsPerCheck);
    const disconnects = busy.closes - closesBefore.busy + (idle.closes - closesBefore.idle);
    const idleRssOverBaselineMiB = round(maxRssMiB('idle') - maxRssMiB('baseline'), 1);
    const idleCpuPercent = (cpu('idle') / 1000 / seconds) * 100;
    const agentRssMiB = maxRssMiB('busy');
    const collectorRssMiB = maxRssMiB('collector');
    const expected = (CHECKS * WINDOW_MS) / INTERVAL_MS;
    const met = ratio !== null && ratio <= TARGETS.ratio && agentRssMiB <= TARGETS.agentRssMiB
      && collectorCpuMsPerResult !== null && collectorCpuMsPerResult <= TARGETS.collectorCpuMsPerResult && collectorRssMiB <= TARGETS.collectorRssMiB
      && dbBytesPerResult !== null && dbBytesPerResult <= TARGETS.dbBytesPerResult && disconnects === 0
      && idleRssOverBaselineMiB <= TARGETS.idleRssOverBaselineMiB && idleCpuPercent <= TARGETS.idleCpuPercent;
    return {
      scenario: 'steady', unit: 'agent CPU ms / check', ours: agentCpuMsPerCheck === null ? null : round(agentCpuMsPerCheck, 3),
      ceiling: bareCpuMsPerCheck === null ? null : round(bareCpuMsPerCheck, 3), ratio, better: 'lower',
      target: `agent ≤ ${TARGETS.ratio} × bare loop, agent RSS ≤ ${TARGETS.agentRssMiB} MiB, collector ≤ ${TARGETS.collectorCpuMsPerResult} ms/result and RSS ≤ ${TARGETS.collectorRssMiB} MiB, ` +
        `DB ≤ ${TARGETS.dbBytesPerResult} B/result, no disconnect; ${IDLE_CHECKS} checks: RSS ≤ idle node + ${TARGETS.idleRssOverBaselineMiB} MiB, CPU ≤ ${TARGETS.idleCpuPercent} %`,
      met,
      agentCpuMsPerCheck: agentCpuMsPerCheck === null ? null : round(agentCpuMsPerCheck, 3),
      collectorCpuMsPerResult: collectorCpuMsPerResult === null ? null : round(collectorCpuMsPerResult, 3),
      bareCpuMsPerCheck: bareCpuMsPerCheck === null ? null : round(bareCpuMsPerCheck, 3),
      agentRssMiB, collectorRssMiB, bareRssMiB: maxRssMiB('bare'), collectorEntry: COLLECTOR_ENTRY,
      dbBytesPerResult: dbBytesPerResult === null ? null : round(dbBytesPerResult, 0),
      disconnects,
      agentCpuSeconds: round(cpu('busy') / 1000, 2), collectorCpuSeconds: round(cpu('collector') / 1000, 2), bareCpuSeconds: round(cpu('bare') / 1000, 2),
      collectorSystemCpuSeconds: round((last.collector.systemCpuMs - first.collector.systemCpuMs) / 1000, 2),
      collectorThreadCpuSeconds,
      resultsStored: { busy: busyResults, all: allResults, expectedBusy: Math.round(expected) }, bareGets: bareChecks, bareFailed: bareAfter.failed - bareBefore.failed,
      idle: { checks: IDLE_CHECKS, interval: '60s', rssMiB: maxRssMiB('idle'), baselineRssMiB: maxRssMiB('baseline'), rssOverBaselineMiB: idleRssOverBaselineMiB, cpuPercentOfCore: round(idleCpuPercent, 3), results: dbAfter.idle - dbBefore.idle },
      windowSeconds: round(seconds, 1),
      method: method({
        checks: CHECKS, interval: '20s', warmupSeconds: WARMUP_MS / 1000, windowSeconds: WINDOW_MS / 1000,
        agent: 'agent/build.mjs bundle, `nines-agent enroll` then `nines-agent run` (auto-detected checks as shipped), systemd unit environment',
        collector: `\`nines-collector serve\` (${COLLECTOR_ENTRY === 'bundle' ? 'the production bundle, built by collector/build.mjs from this tree' : 'tsx, the development entry'}, pino info into a file), ingest.maxChecksPerAgent raised to fit the checks`,
        target: 'node:http keep-alive server in its own process (bench/lib/http-server.ts), shared by agent and bare loop',
        ceiling: 'bare undici request() loop, same number of GETs per interval at random phases, its own process',
        cpu: '/proc/<pid>/stat utime+stime over the window; per check = agent CPU / its results stored in the window; the collector also per thread name from /proc/<pid>/task/* and its stime alone (collectorSystemCpuSeconds)',
        db: '(page_count − freelist_count) × page_size growth / results stored (all agents)',
        idle: `${IDLE_CHECKS} http checks at 60 s in a second agent; baseline node -e setInterval, same environment`,
      }),
    };
  } finally {
    // SIGTERM first: the agents and the collector stop cleanly (and write a --cpu-prof profile if asked).
    await Promise.all(children.map((child) => stopChild(child)));
    await bare.stop();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('steady', steady);
