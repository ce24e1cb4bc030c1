/**
 * agent-footprint: the real agent (bundled like the shipped one) with 50 checks (10 each of http, tcp, dns,
 * tls, disk) at 60 s against local servers, connected to a real collector. Baseline: an idle `node -e`
 * process started beside it. Measured from /proc every second: RSS, CPU time, RSS slope.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { CheckConfig } from '@nines/shared';
import { writeIdentity } from '../agent/src/identity.ts';
import { SYSTEMD_ENVIRONMENT } from '../agent/src/service/systemd.linux.ts';
import { startDnsServer } from '../agent/test/checks/helpers/dns-server.ts';
import { makeTestPki } from '../agent/test/checks/helpers/certs.ts';
import { startBenchCollector, enrollAgents } from './lib/collector.ts';
import { bundleAgentEntry } from './lib/agent-bundle.ts';
import { sampleProcess, type ProcSample } from './lib/proc.ts';
import { slope } from './lib/stats.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PER_KIND = 10;
const WINDOW_MS = 50_000; // after "agent running": holds every check's first run (spread over the first 10 s), none of its second
const SAMPLE_MS = 1_000;
const RSS_BUDGET_KIB = 15 * 1024;
const CPU_BUDGET_PERCENT = 0.1;

function listen(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`agent did not log ${pattern} within ${timeoutMs} ms; output: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (chunk: string) => {
      seen += chunk;
      if (pattern.test(seen)) (clearTimeout(timer), child.stdout!.removeListener('data', onData), resolve(seen));
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`agent exited with ${code}: ${seen.slice(-500)}`))));
  });
}

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-footprint-'));
  const collector = await startBenchCollector();
  const pki = makeTestPki();
  const body = 'ok';
  const http = createHttpServer((_req, res) => res.end(body));
  const tcp = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
  const tls = createTlsServer({ key: pki.key, cert: pki.cert }, (socket) => socket.end());
  const dns = await startDnsServer({ 'huber-baeckerei.de': [{ type: 'A', value: '203.0.113.7' }] });
  const children: ChildProcess[] = [];
  try {
    const [httpPort, tcpPort, tlsPort] = await Promise.all([listen(http), listen(tcp), listen(tls)]);
    const checks: CheckConfig[] = [];
    for (let i = 0; i < PER_KIND; i++) {
      checks.push({ kind: 'http', id: `web-${i}`, url: `http://127.0.0.1:${httpPort}/site-${i}`, interval: '60s' });
      checks.push({ kind: 'tcp', id: `ssh-${i}`, host: '127.0.0.1', port: tcpPort, expectBanner: 'SSH-2.0', interval: '60s' });
      checks.push({ kind: 'dns', id: `dns-${i}`, query: 'huber-baeckerei.de', server: dns.server, expect: ['203.0.113.7'], interval: '60s' });
      checks.push({ kind: 'tls', id: `tls-${i}`, host: '127.0.0.1', port: tlsPort, caFile: pki.caFile, interval: '60s' });
      checks.push({ kind: 'disk', id: `disk-${i}`, path: i % 2 ? '/' : tmpdir(), interval: '60s' });
    }
    const configFile = join(dir, 'agent.yaml');
    writeFileSync(configFile, stringify({ checks }));
    const [credentials] = await enrollAgents(collector.store, 1);
    const stateDir = join(dir, 'state');
    writeIdentity(stateDir, { collectorUrl: collector.url, ...credentials!, enrolledAt: Date.now() });
    const bundle = await bundleAgentEntry(join(here, 'lib', 'footprint-agent.ts'), join(dir, 'footprint-agent.mjs'));

    const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore', env: { ...process.env, ...SYSTEMD_ENVIRONMENT } });
    // NINES_BENCH_AGENT_NODE_ARGS: node flags for the agent only, e.g. to measure V8 heap limits.
    const nodeArgs = (process.env.NINES_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const agent = spawn(process.execPath, [...nodeArgs, bundle, stateDir, configFile], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...SYSTEMD_ENVIRONMENT, NINES_LOG_LEVEL: 'info' } });
    children.push(baseline, agent);
    await waitForLine(agent, /"msg":"agent running"/, 15_000);
    progress('agent-footprint', `agent running with ${checks.length} checks; sampling for ${WINDOW_MS / 1000} s`);

    const samples: { t: number; agent: ProcSample; baseline: ProcSample }[] = [];
    const started = Date.now();
    while (Date.now() - started <= WINDOW_MS) {
      samples.push({ t: Date.now() - started, agent: sampleProcess(agent.pid!), baseline: sampleProcess(baseline.pid!) });
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    const memory = waitForLine(agent, /"msg":"memory"/, 5_000).then((output) => JSON.parse(output.split('\n').find((line) => line.includes('"msg":"memory"'))!).memoryMiB);
    agent.kill('SIGUSR2');
    const memoryAtEnd = await memory;
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const seconds = (last.t - first.t) / 1000;
    const cpuPercent = ((last.agent.cpuMs - first.agent.cpuMs) / 1000 / seconds) * 100;
    const baselineCpuPercent = ((last.baseline.cpuMs - first.baseline.cpuMs) / 1000 / seconds) * 100;
    const maxRss = Math.max(...samples.map((s) => s.agent.rssKiB));
    const baselineRss = Math.max(...samples.map((s) => s.baseline.rssKiB));
    const perMinute = (points: typeof samples) => slope(points.map((s) => ({ x: s.t / 60_000, y: s.agent.rssKiB })));
    const half = samples.slice(Math.floor(samples.length / 2));
    const stored = await collector.store.countResults(credentials!.agentId);
    const statuses = (await collector.store.listChecks(credentials!.agentId)).reduce<Record<string, number>>((acc, c) => ((acc[c.status ?? 'none'] = (acc[c.status ?? 'none'] ?? 0) + 1), acc), {});
    const extraKiB = maxRss - baselineRss;
    const slopeKiB = perMinute(samples);
    const secondHalfSlopeKiB = perMinute(half);
    return {
      scenario: 'agent-footprint', unit: 'RSS MiB', ours: round(maxRss / 1024, 1), ceiling: round(baselineRss / 1024, 1), ratio: ratioOf(maxRss, baselineRss), better: 'lower',
      target: `RSS ≤ baseline + 15 MiB, CPU ≤ ${CPU_BUDGET_PERCENT} % of a core, RSS slope flat`,
      met: extraKiB <= RSS_BUDGET_KIB && cpuPercent <= CPU_BUDGET_PERCENT && stored >= checks.length,
      rssOverBaselineMiB: round(extraKiB / 1024, 1), cpuPercentOfCore: round(cpuPercent, 3), baselineCpuPercentOfCore: round(baselineCpuPercent, 3),
      agentCpuMs: last.agent.cpuMs - first.agent.cpuMs, rssSlopeKiBPerMin: slopeKiB === null ? null : round(slopeKiB, 0),
      rssSlopeSecondHalfKiBPerMin: secondHalfSlopeKiB === null ? null : round(secondHalfSlopeKiB, 0),
      rssMiBSeries: samples.filter((_, i) => i % 5 === 0).map((s) => round(s.agent.rssKiB / 1024, 1)),
      memoryAtEndMiB: memoryAtEnd, nodeArgs: nodeArgs.join(' ') || undefined,
      resultsStored: stored, checkStatuses: statuses, windowSeconds: round(seconds, 1),
      method: method({ checks: checks.length, kinds: 'http, tcp, dns, tls, disk × 10', interval: '60s', samples: samples.length,
        agent: 'real Agent (scheduler, runner, spool with fdatasync, CollectorConnection) bundled with esbuild like agent/build.mjs; auto-detected patch check off',
        environment: `the systemd unit's: ${Object.entries(SYSTEMD_ENVIRONMENT).map(([k, v]) => `${k}=${v}`).join(' ')} (the baseline too)`,
        window: `${WINDOW_MS / 1000} s from "agent running": every check's first run, no second one, so CPU % is an upper bound for a 60 s interval`,
        baseline: "node -e 'setInterval(() => {}, 1 << 30)'", rss: 'max of 1-s samples of VmRSS' }),
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    http.close();
    tcp.close();
    tls.close();
    await dns.close();
    pki.cleanup();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('agent-footprint', run);
