/**
 * reconnect-storm: 1,000 agents (real CollectorConnection + Spool each) connected to the collector CLI
 * (`nines-collector serve`, its own process); the collector is SIGKILLed, every agent spools results
 * while it is away, the collector is started again. Measured: restart → all reconnected and drained;
 * peak RSS of the new collector; every result stored once. Ceiling: a bare ws server accepting 1,000 connects.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { enrollAgents } from './lib/collector.ts';
import { startLoad } from './lib/child.ts';
import { exited, freePort, startCollectorProcess, untilHealthy } from './lib/collector-process.ts';
import { sampleProcess } from './lib/proc.ts';
import { method } from './lib/method.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';

const AGENTS = 1_000;
const BEFORE = 10; // results each agent delivered before the kill
const SPOOLED = 250; // each agent's backlog: 5 minutes away with 50 checks at 60 s
const DRAIN_BUDGET_MS = 30_000;

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-storm-'));
  const dataDir = join(dir, 'data');
  const load = startLoad('storm-load.ts');
  const collectors: ChildProcess[] = [];
  try {
    const setupStore = new SqliteStore(join(dataDir, 'nines.db'));
    const credentials = await enrollAgents(setupStore, AGENTS);
    await setupStore.close();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    collectors.push(startCollectorProcess(dataDir, port, 'collector-1.log'));
    await untilHealthy(url, 20_000);
    load.send({ type: 'start', url, credentials: credentials, dir: join(dir, 'agents'), before: BEFORE });
    await load.next('ready', 45_000);
    progress('reconnect-storm', `${AGENTS} agents connected; killing the collector`);

    collectors[0]!.kill('SIGKILL');
    await exited(collectors[0]!);
    load.send({ type: 'spool', count: SPOOLED });
    const { backlog } = await load.next<{ backlog: number }>('spooled', 20_000);
    progress('reconnect-storm', `${backlog.toLocaleString('en-US')} results spooled; restarting the collector`);

    const restartedAt = Date.now();
    const second = startCollectorProcess(dataDir, port, 'collector-2.log');
    collectors.push(second);
    load.send({ type: 'watch', timeoutMs: DRAIN_BUDGET_MS });
    let peakRssKiB = 0;
    const sampler = setInterval(() => {
      try {
        peakRssKiB = Math.max(peakRssKiB, sampleProcess(second.pid!).peakRssKiB);
      } catch {
        /* exited */
      }
    }, 100);
    await untilHealthy(url, 20_000);
    const listeningAt = Date.now();
    const watched = await load.next<{ reconnectedAt: number | null; drainedAt: number | null; streaming: number; drained: number; sentResults: number; sentFrames: number; lastSeqs: number[]; backlog: number }>('watched', DRAIN_BUDGET_MS + 10_000);
    clearInterval(sampler);
    peakRssKiB = Math.max(peakRssKiB, sampleProcess(second.pid!).peakRssKiB);
    second.kill('SIGTERM');
    await exited(second);

    const check = new SqliteStore(join(dataDir, 'nines.db'));
    const rows = check.db.prepare(`SELECT a.id, a.last_seq AS lastSeq, (SELECT count(*) FROM results r WHERE r.agent_id = a.id) AS stored FROM agents a`).all() as { id: string; lastSeq: number; stored: number }[];
    await check.close();
    const expected = BEFORE + SPOOLED;
    const complete = rows.filter((r) => r.stored === expected && r.lastSeq === expected).length;
    const storedTotal = rows.reduce((s, r) => s + r.stored, 0);

    progress('reconnect-storm', 'measuring the bare ws accept ceiling');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    load.send({ type: 'bare', url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, count: AGENTS });
    const bare = await load.next<{ ms: number }>('bareDone', 30_000);
    await new Promise((resolve) => wss.close(resolve));

    const drainedSeconds = watched.drainedAt === null ? null : (watched.drainedAt - restartedAt) / 1000;
    const ceilingSeconds = bare.ms / 1000;
    return {
      scenario: 'reconnect-storm', unit: 's to reconnect + drain', ours: drainedSeconds === null ? null : round(drainedSeconds, 2), ceiling: round(ceilingSeconds, 3),
      ratio: ratioOf(drainedSeconds, ceilingSeconds), better: 'lower',
      target: 'all reconnected and drained < 15 s, no duplicate, peak collector RSS < 300 MB',
      met: drainedSeconds !== null && drainedSeconds < 15 && complete === AGENTS && peakRssKiB < 300 * 1024,
      collectorListeningAfterSeconds: round((listeningAt - restartedAt) / 1000, 2),
      allReconnectedAfterSeconds: watched.reconnectedAt === null ? null : round((watched.reconnectedAt - restartedAt) / 1000, 2),
      drainAfterListeningSeconds: watched.drainedAt === null ? null : round((watched.drainedAt - listeningAt) / 1000, 2),
      agentsStreaming: watched.streaming, agentsDrained: watched.drained, agentsComplete: complete,
      replayedResults: backlog, resultsSent: watched.sentResults, resentResults: watched.sentResults - backlog, frames: watched.sentFrames,
      storedTotal, expectedTotal: AGENTS * expected, peakCollectorRssMiB: round(peakRssKiB / 1024, 1),
      method: method({ agents: AGENTS, resultsBeforeKill: BEFORE, spooledPerAgent: SPOOLED,
        collector: '`nines-collector serve` (tsx, pino info log to a file) as a child process, SIGKILL then start again on the same port and data dir',
        simulatedAgents: 'one load process: real CollectorConnection (jittered backoff 1–60 s) + Spool per agent, spool sync off for setup only',
        timing: 'from spawning the new collector to every spool acknowledged', ceiling: '1,000 concurrent connects to a bare `ws` WebSocketServer, same load process' }),
    };
  } finally {
    for (const child of collectors) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await load.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('reconnect-storm', run);
