/** Processes present by name or command line: /proc on Linux, ps on macOS/BSD, tasklist on Windows. */
import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { withCode, type ProcessCheckConfig } from '@nines/shared';
import { errorMessage, type CheckContext, type CheckDefinition, type CheckOutcome } from './check.ts';

const MAX_LISTED_PIDS = 10; // a message names a few matching PIDs, not hundreds of worker processes

export interface ProcessInfo {
  pid: number;
  name: string;
  /** Empty when the platform does not tell (Windows tasklist, kernel threads). */
  commandLine: string;
}

/** One /proc/<pid> entry: comm (name, max 15 chars) and cmdline (NUL-separated argv). */
export function parseProcEntry(pid: number, comm: string, cmdline: string): ProcessInfo {
  return { pid, name: comm.trim(), commandLine: cmdline.replace(/\0+$/, '').split('\0').join(' ') };
}

/** Joins `ps -axww -o pid=,comm=` and `ps -axww -o pid=,args=` by PID; comm may be a full path on macOS. */
export function parsePs(commOutput: string, argsOutput: string): ProcessInfo[] {
  const byPid = (text: string) => {
    const map = new Map<number, string>();
    for (const line of text.split('\n')) {
      const m = /^\s*(\d+)\s(.*)$/.exec(line);
      if (m) map.set(Number(m[1]), m[2]!.trim());
    }
    return map;
  };
  const args = byPid(argsOutput);
  return [...byPid(commOutput)].map(([pid, comm]) => ({ pid, name: basename(comm), commandLine: args.get(pid) ?? '' }));
}

/** `tasklist /fo csv /nh`: "Image Name","PID",… per line; the columns after PID do not matter here. */
export function parseTasklistCsv(text: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^"((?:[^"]|"")*)","(\d+)"/.exec(line);
    if (m) out.push({ pid: Number(m[2]), name: m[1]!.replace(/""/g, '"'), commandLine: '' });
  }
  return out;
}

async function listLinuxProcesses(): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const entries = await Promise.all(
    pids.map(async (pid) => {
      try {
        const [comm, cmdline] = await Promise.all([readFile(`/proc/${pid}/comm`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
        return parseProcEntry(Number(pid), comm, cmdline);
      } catch {
        return null; // the process ended while we listed: not an error
      }
    }),
  );
  return entries.filter((e): e is ProcessInfo => e !== null);
}

async function listWithPrograms(platform: NodeJS.Platform, ctx: CheckContext): Promise<ProcessInfo[]> {
  const options = { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: 8 * 1024 * 1024 };
  if (platform === 'win32') {
    const run = await ctx.exec('tasklist', ['/fo', 'csv', '/nh'], options);
    if (run.failure || run.code !== 0) throw new Error(run.failureMessage ?? `tasklist exited with ${run.code}: ${run.stderr.trim()}`);
    const processes = parseTasklistCsv(run.stdout);
    // A real tasklist lists at least System and itself; an empty list (Wine's tasklist is a stub that prints
    // nothing and exits 0) must not become "0 processes matching", a false CRIT.
    if (processes.length === 0) throw new Error('tasklist listed no processes at all (it always lists at least itself)');
    return processes;
  }
  const [comm, args] = await Promise.all([
    ctx.exec('ps', ['-axww', '-o', 'pid=,comm='], options),
    ctx.exec('ps', ['-axww', '-o', 'pid=,args='], options),
  ]);
  for (const run of [comm, args]) {
    if (run.failure || run.code !== 0) throw new Error(run.failureMessage ?? `ps exited with ${run.code}: ${run.stderr.trim()}`);
  }
  return parsePs(comm.stdout, args.stdout);
}

export function listProcesses(platform: NodeJS.Platform, ctx: CheckContext): Promise<ProcessInfo[]> {
  return platform === 'linux' ? listLinuxProcesses() : listWithPrograms(platform, ctx);
}

/** Which processes match; throws on an invalid pattern so the caller reports it as a config problem. */
export function matchProcesses(config: ProcessCheckConfig, processes: ProcessInfo[]): ProcessInfo[] {
  if ((config.matchOn ?? 'name') === 'name') {
    const wanted = config.match.toLowerCase(); // Windows names are case-insensitive; Unix names rarely differ only in case
    return processes.filter((p) => p.name.toLowerCase() === wanted);
  }
  const pattern = new RegExp(config.match);
  return processes.filter((p) => p.commandLine !== '' && pattern.test(p.commandLine));
}

export function evaluateProcesses(config: ProcessCheckConfig, matched: ProcessInfo[]): CheckOutcome {
  const min = config.minCount ?? 1;
  const max = config.maxCount;
  const what = (config.matchOn ?? 'name') === 'name' ? `"${config.match}"` : `command line /${config.match}/`;
  const pids = matched.slice(0, MAX_LISTED_PIDS).map((p) => p.pid).join(', ') + (matched.length > MAX_LISTED_PIDS ? ', …' : '');
  const head = `${matched.length} process${matched.length === 1 ? '' : 'es'} matching ${what}${matched.length ? ` (PID ${pids})` : ''}`;
  const metrics = { processes_count: matched.length };
  const params = { count: matched.length, match: config.match, matchOn: config.matchOn ?? 'name', pids: matched.length ? pids : undefined };
  if (matched.length < min) return { status: 'CRIT', message: `${head}, expected at least ${min}`, ...withCode('process.count', { ...params, min }), metrics };
  if (max !== undefined && matched.length > max) return { status: 'CRIT', message: `${head}, expected at most ${max}`, ...withCode('process.count', { ...params, max }), metrics };
  return { status: 'OK', message: head, ...withCode('process.count', params), metrics };
}

export async function checkProcessesOn(platform: NodeJS.Platform, config: ProcessCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  if (config.maxCount !== undefined && config.maxCount < (config.minCount ?? 1)) {
    return { status: 'UNKNOWN', message: `config: maxCount ${config.maxCount} is below minCount ${config.minCount ?? 1}`, ...withCode('process.bad_limits', { min: config.minCount ?? 1, max: config.maxCount }) };
  }
  if (config.matchOn === 'commandLine' && platform === 'win32') {
    return { status: 'UNKNOWN', message: 'matchOn commandLine is not available on Windows (tasklist shows names only); use matchOn name', ...withCode('process.no_command_line', {}) };
  }
  let matched: ProcessInfo[];
  try {
    matched = matchProcesses(config, await listProcesses(platform, ctx));
  } catch (error) {
    if (error instanceof SyntaxError) {
      return { status: 'UNKNOWN', message: `config: invalid pattern /${config.match}/: ${error.message}`, ...withCode('process.bad_pattern', { match: config.match, error: error.message }) };
    }
    return { status: 'UNKNOWN', message: `cannot list processes: ${errorMessage(error)}`, ...withCode('process.list_failed', { error: errorMessage(error) }) };
  }
  return evaluateProcesses(config, matched);
}

export const processCheck = {
  kind: 'process',
  run: (config, ctx) => checkProcessesOn(process.platform, config, ctx),
} satisfies CheckDefinition<'process'>;
