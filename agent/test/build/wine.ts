import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs Windows executables under Wine for the build tests. Debian's wine64 package puts the loader and the
 * server outside PATH. .ci/run installs it, so under NINES_CI a missing Wine fails the test instead of skipping.
 */
export const WINE64 = '/usr/lib/wine/wine64';
const WINESERVER = '/usr/lib/wine/wineserver64';

export interface WineRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface WineProcess {
  child: ChildProcess;
  /** What it has written so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when it ends (killed after timeoutMs). */
  done: Promise<WineRun>;
}

export interface Wine {
  prefix: string;
  /** Z:\… for a path of this machine (Wine maps Z: to /). */
  winPath(path: string): string;
  /** Runs to the end, at most timeoutMs (then killed, and the promise rejects with what it wrote). */
  run(exe: string, args: string[], timeoutMs: number): Promise<WineRun>;
  /** Starts without waiting for the end: for `run`, which serves until stopped. */
  start(exe: string, args: string[], timeoutMs: number): WineProcess;
  /** Kills every process of the prefix (wineserver -k) and waits for the server to go. */
  stop(): Promise<void>;
}

export function wineMissing(): string | undefined {
  return existsSync(WINE64) && existsSync(WINESERVER) ? undefined : `${WINE64} or ${WINESERVER} is missing (Debian package wine64)`;
}

/**
 * A fresh prefix under dir, set to Windows 10 (Node refuses to start on the prefix's default, Windows 7).
 * No DISPLAY, so wineboot creates no windows; WINEDEBUG=-all keeps Wine's own chatter out of stderr.
 */
export async function startWine(dir: string): Promise<Wine> {
  const prefix = join(dir, 'wineprefix');
  const logs = join(dir, 'wine-logs');
  mkdirSync(logs, { recursive: true });
  const env = { PATH: '/usr/bin:/bin', HOME: dir, WINEPREFIX: prefix, WINEDEBUG: '-all' };
  let n = 0;

  const start = (exe: string, args: string[], timeoutMs: number): WineProcess => {
    // stdout and stderr go to files: a Windows program under Wine gets EBADF writing to a pipe.
    const id = ++n;
    const outFile = join(logs, `${id}.out`);
    const errFile = join(logs, `${id}.err`);
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    const child = spawn(WINE64, [exe, ...args], { env, stdio: ['ignore', out, err] });
    closeSync(out);
    closeSync(err);
    const output = () => ({ stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') });
    const done = new Promise<WineRun>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (error) => { clearTimeout(timer); reject(error); });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, ...output() });
      });
    });
    return { child, output, done };
  };

  const run = async (exe: string, args: string[], timeoutMs: number): Promise<WineRun> => {
    const result = await start(exe, args, timeoutMs).done;
    if (result.signal === 'SIGKILL') {
      throw new Error(`wine ${exe} ${args.join(' ')} did not end within ${timeoutMs} ms\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    }
    return result;
  };

  const server = (flag: string, timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const child = spawn(WINESERVER, [flag], { env, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', () => { clearTimeout(timer); resolve(); });
      child.once('exit', () => { clearTimeout(timer); resolve(); });
    });

  const wine: Wine = {
    prefix,
    winPath: (path) => `Z:${path.replace(/\//g, '\\')}`,
    run,
    start,
    stop: async () => {
      await server('-k', 30_000);
      await server('-w', 30_000); // returns once the server of this prefix is gone
    },
  };
  try {
    for (const args of [['wineboot', '-i'], ['winecfg', '-v', 'win10']]) {
      const result = await run(args[0]!, args.slice(1), 180_000);
      if (result.code !== 0) throw new Error(`wine ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
    }
  } catch (error) {
    await wine.stop();
    throw error;
  }
  return wine;
}
