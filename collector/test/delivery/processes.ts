import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import type { UnsequencedResult } from '@nines/shared';
import { Spool } from '../../../agent/src/spool.ts';
import { enroll, writeIdentity } from '../../../agent/src/identity.ts';
import { databaseUrlIn, openTestStoreAt, storeReader, TEST_STORE } from '../helpers/test-store.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { until } from './helpers.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const COLLECTOR_BIN = join(root, 'collector', 'bin', 'nines-collector.mjs');
const AGENT_BIN = join(root, 'agent', 'bin', 'nines-agent.mjs');

/** A port that was free a moment ago, so a collector can be restarted where its agents expect it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Scene {
  dataDir: string;
  stateDir: string;
  port: number;
  url: string;
  agentId: string;
  /** Real `nines-collector serve`; resolves when /healthz answers. */
  startCollector(): Promise<ChildProcess>;
  /** Real `nines-agent run` with the scene's YAML config and extra flags. */
  startAgent(extra?: string[]): ChildProcess;
  /** SIGKILL and wait for the exit: no shutdown handler runs. */
  kill(child: ChildProcess): Promise<void>;
  /**
   * The first row of a query on the collector's database, through a connection of its own (SQLite read-only, WAL:
   * readable while the collector writes; or PostgreSQL). `?` parameters, SQL both dialects share.
   */
  query<T>(sql: string, ...params: unknown[]): Promise<T>;
  /** What the collector's commands need to reach the database: `--data-dir`, and `--database-url` on PostgreSQL. */
  storeArgs: string[];
  /** The agent's spool, read from disk (open only while no agent process runs if you append). */
  spool(options?: { maxBytes?: number }): Spool;
}

/**
 * A collector data dir, an agent state dir, an enrolled agent (through the real HTTP enrollment,
 * against a collector process started for it and stopped again) and a local YAML config of `checks`
 * TCP checks against a listener in this process. Everything is cleaned up at teardown.
 */
export async function scene(t: Test, options: { checks?: number } = {}): Promise<Scene> {
  const base = mkdtempSync(join(tmpdir(), 'nines-faults-'));
  const dataDir = join(base, 'collector');
  const stateDir = join(base, 'agent');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const children = new Set<ChildProcess>();
  const target = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetPort = (target.address() as { port: number }).port;
  const checks = Array.from({ length: options.checks ?? 6 }, (_, i) => `  - { kind: tcp, id: port-${i + 1}, host: 127.0.0.1, port: ${targetPort}, interval: 10s }`);
  const configFile = join(base, 'agent.yaml');
  // patch status disabled: it would run the package manager, which is not what these tests are about
  writeFileSync(configFile, `checks:\n${checks.join('\n')}\n  - { kind: patch, id: patch, enabled: false }\n`);

  const env = { ...process.env, NINES_LOG_LEVEL: process.env.NINES_TEST_LOG ?? 'warn' };
  const spawnLogged = (args: string[]) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    children.add(child);
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (code !== 0 && signal === null) t.comment(`${args[1]} exited ${code}:\n${output.slice(-2000)}`);
    });
    return child;
  };
  const kill = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  // The suite's store: on PostgreSQL the database openTestStoreAt makes for the data dir, passed to every command.
  mkdirSync(dataDir, { recursive: true });
  const opened = await openTestStoreAt(dataDir, TEST_STORE);
  const databaseUrl = databaseUrlIn(dataDir);
  const storeArgs = ['--data-dir', dataDir, ...(databaseUrl ? ['--database-url', databaseUrl] : [])];
  const startCollector = async () => {
    const child = spawnLogged([COLLECTOR_BIN, 'serve', '--port', String(port), ...storeArgs]);
    await until('collector /healthz', async () => {
      if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}`);
      return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    }, 30_000);
    return child;
  };

  // enrollment through the real route of a real collector process
  const token = await createEnrollToken(opened.store, 'Steuerbüro Krause', Date.now());
  await opened.close({ keep: true });
  const enrolling = await startCollector();
  const identity = await enroll(url, token, Date.now(), 'buero-pc');
  writeIdentity(stateDir, identity);
  await kill(enrolling);

  let reader: ReturnType<typeof storeReader> | null = null;
  t.teardown(async () => {
    await Promise.all([...children].map(kill));
    await (await reader)?.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    rmSync(base, { recursive: true, force: true });
  });
  return {
    dataDir, stateDir, port, url, agentId: identity.agentId, startCollector, kill, storeArgs,
    startAgent: (extra = []) => spawnLogged([AGENT_BIN, 'run', '--state-dir', stateDir, '--config', configFile, ...extra]),
    async query<T>(sql: string, ...params: unknown[]): Promise<T> {
      reader ??= storeReader(dataDir);
      return (await (await reader).all<T>(sql, ...params))[0]!;
    },
    spool: (spoolOptions = {}) => new Spool({ dir: join(stateDir, 'spool'), sync: false, ...spoolOptions }),
  };
}

/** Fills the agent's spool as if it had checked `checks` things every `everyMs` from `from` while offline. */
export function backfill(spool: Spool, options: { from: number; to: number; everyMs: number; checks: number }): number {
  let n = 0;
  for (let at = options.from; at < options.to; at += options.everyMs) {
    for (let c = 1; c <= options.checks; c++) {
      const result: UnsequencedResult = {
        checkId: `port-${c}`, kind: 'tcp', name: `port ${c}`, status: 'OK', message: 'connected in 1 ms', metrics: { latency_ms: 1 },
        startedAt: at + c, finishedAt: at + c + 1,
      };
      spool.append(result, at);
      n++;
    }
  }
  return n;
}

export const exists = existsSync;
