/**
 * The collector and the agent as real child processes, started by their CLIs exactly as an operator would.
 * Nothing here reaches into their code: only command lines, files and their stdout/stderr.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib/collector-process.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COLLECTOR_BIN = join(ROOT, 'collector', 'bin', 'nines-collector.mjs');
export const AGENT_BIN = join(ROOT, 'agent', 'bin', 'nines-agent.mjs');

/** A free loopback port: the benches' helper (a throw-away listener on port 0, closed and handed on). */
export { freePort };

/** Polls `probe` every `everyMs` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A long-running child with its output kept, so a failing run shows what the process said. */
export class Child {
  output = '';
  readonly exited: Promise<number | null>;
  constructor(readonly name: string, readonly process: ChildProcess) {
    process.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    process.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Sends the signal and waits for the exit (SIGKILL after 10 s, so a hung child cannot hang the suite). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    this.process.kill(signal);
    await this.exited;
    clearTimeout(killer);
  }

  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return waitUntil(`${this.name} to print ${pattern}`, () => {
      if (!this.running) throw new Error(`${this.name} exited early:\n${this.output}`);
      return pattern.exec(this.output) ?? undefined;
    }, timeoutMs, 100);
  }
}

function node(name: string, args: string[], env: Record<string, string> = {}): Child {
  return new Child(name, spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs a CLI command to its end; rejects with its output when it exits non-zero. */
export function runCli(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${bin} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export interface CollectorProcess {
  url: string;
  port: number;
  dataDir: string;
  child: Child;
  /** Settings flags every CLI command of this collector takes. */
  settings: string[];
  /** Starts `serve` again on the same port and data (after a stop or a kill). */
  restart(): Promise<void>;
  cli(args: string[]): Promise<string>;
  adminPassword(): string;
}

/**
 * `nines-collector serve` on a free loopback port, resolved once it logs that it listens. `env`: more environment
 * for `serve`, asked again at each start (a restart may need another, e.g. its clock's).
 */
export async function startCollector(options: { dataDir: string; configFile?: string; publicUrl?: boolean; databaseUrl?: string; env?: () => Record<string, string> }): Promise<CollectorProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = ['--data-dir', options.dataDir, '--host', '127.0.0.1', '--port', String(port)];
  if (options.configFile) settings.push('--config', options.configFile);
  if (options.publicUrl) settings.push('--public-url', url);
  if (options.databaseUrl) settings.push('--database-url', options.databaseUrl);
  const start = async () => {
    const child = node('collector', [COLLECTOR_BIN, 'serve', ...settings, '--log-level', 'info'], options.env?.());
    await child.waitForOutput(/collector listening/, 90_000);
    return child;
  };
  const handle: CollectorProcess = {
    url, port, dataDir: options.dataDir, settings,
    child: await start(),
    async restart() {
      if (handle.child.running) throw new Error('collector still running');
      handle.child = await start();
    },
    cli: (args) => runCli(COLLECTOR_BIN, [...args, ...settings]),
    adminPassword() {
      const file = join(options.dataDir, 'initial-admin-password');
      if (!existsSync(file)) throw new Error(`no ${file}`);
      return readFileSync(file, 'utf8').trim();
    },
  };
  return handle;
}

export interface AgentProcess {
  agentId: string;
  child: Child;
  start(): Promise<void>;
}

/** Enrolls an agent with a token from `enroll-token create`, then runs it with the given YAML; resolved once it runs. */
export async function startAgent(collector: CollectorProcess, options: { client: string; name: string; stateDir: string; configFile: string }): Promise<AgentProcess> {
  const tokenOutput = await collector.cli(['enroll-token', 'create', '--client', options.client]);
  const token = tokenOutput.trim().split('\n').at(-1)!;
  const enrolled = await runCli(AGENT_BIN, ['enroll', '--url', collector.url, '--token', token, '--state-dir', options.stateDir, '--name', options.name]);
  const agentId = /enrolled as agent (\S+);/.exec(enrolled)?.[1];
  if (!agentId) throw new Error(`no agent id in: ${enrolled}`);
  const handle: AgentProcess = {
    agentId,
    child: undefined as unknown as Child,
    async start() {
      if (handle.child?.running) throw new Error('agent still running');
      handle.child = node('agent', [AGENT_BIN, 'run', '--state-dir', options.stateDir, '--config', options.configFile], { NINES_LOG_LEVEL: 'info' });
      await handle.child.waitForOutput(/agent running/, 90_000);
    },
  };
  await handle.start();
  return handle;
}
