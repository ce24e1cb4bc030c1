import { execFile } from 'node:child_process';

export interface ExecResult {
  /** Exit code; null when the program did not exit on its own (killed, timed out, not found). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run to an exit code: not installed, not allowed, timed out, output too large. */
  failure?: 'not-found' | 'permission' | 'timeout' | 'output-too-large' | 'signal' | 'error';
  failureMessage?: string;
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** Runs a program: never through a shell, always in the C locale, bounded in time and output. */
export type ExecFn = (file: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>;

export const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024; // apt/dnf lists of a long-unpatched box stay well below

export const execProgram: ExecFn = (file, args, options) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        shell: false,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
        env: { ...process.env, ...options.env, LC_ALL: 'C', LANG: 'C' },
        signal: options.signal,
        cwd: options.cwd,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const out = { stdout: String(stdout), stderr: String(stderr) };
        if (!error) return resolve({ code: 0, ...out });
        const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string };
        if (typeof e.code === 'number') return resolve({ code: e.code, ...out });
        resolve({ code: null, ...out, ...classify(e, file, options.timeoutMs) });
      },
    );
  });

function classify(e: NodeJS.ErrnoException & { killed?: boolean; signal?: string }, file: string, timeoutMs: number) {
  if (e.code === 'ENOENT') return { failure: 'not-found' as const, failureMessage: `${file} is not installed (not found in PATH)` };
  if (e.code === 'EACCES' || e.code === 'EPERM') return { failure: 'permission' as const, failureMessage: `${file}: permission denied` };
  if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return { failure: 'output-too-large' as const, failureMessage: `${file}: output exceeded the limit` };
  if (e.code === 'ABORT_ERR' || e.killed) return { failure: 'timeout' as const, failureMessage: `${file} did not finish within ${timeoutMs} ms` };
  if (e.signal) return { failure: 'signal' as const, failureMessage: `${file} was killed by ${e.signal}` };
  return { failure: 'error' as const, failureMessage: `${file}: ${e.message}` };
}
