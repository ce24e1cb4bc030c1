/** Load generators run in their own process; they talk to the scenario over the IPC channel. */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface LoadProcess {
  child: ChildProcess;
  send(message: object): void;
  /** The next message of this type (an `error` message from the child rejects). */
  next<T = Record<string, unknown>>(type: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Forks bench/lib/<script> with tsx; stdout and stderr go to ours (stderr is the progress channel). */
export function startLoad(script: string, execArgv: string[] = []): LoadProcess {
  const child = fork(join(here, script), [], { execArgv: ['--import=tsx', ...execArgv], stdio: ['ignore', 2, 2, 'ipc'] });
  const inbox: { type: string }[] = [];
  const waiters: { type: string; resolve: (m: never) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | null = null;
  const deliver = () => {
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i]!;
      const errorAt = inbox.findIndex((m) => m.type === 'error');
      if (errorAt >= 0) {
        waiters.splice(i--, 1);
        w.reject(new Error(`${script}: ${(inbox[errorAt] as { message?: string }).message}`));
        continue;
      }
      const at = inbox.findIndex((m) => m.type === w.type);
      if (at >= 0) {
        waiters.splice(i--, 1);
        w.resolve(inbox.splice(at, 1)[0] as never);
      } else if (exited) {
        waiters.splice(i--, 1);
        w.reject(exited);
      }
    }
  };
  child.on('message', (m) => {
    inbox.push(m as { type: string });
    deliver();
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`${script} exited (code ${code}, signal ${signal}) before answering`);
    deliver();
  });
  return {
    child,
    send: (message) => child.send(message),
    next<T>(type: string, timeoutMs = 60_000) {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          type,
          resolve: (m: never) => (clearTimeout(timer), resolve(m as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        deliver();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** In a load process: the messages from the scenario, and a way to answer. */
export function loadChannel(): { on(handler: (message: Record<string, unknown> & { type: string }) => Promise<void> | void): void; send(message: object): void } {
  if (!process.send) throw new Error('a load process must be started by a scenario (no IPC channel)');
  return {
    on(handler) {
      process.on('message', (m) => {
        Promise.resolve(handler(m as never)).catch((error: Error) => process.send!({ type: 'error', message: error.stack ?? String(error) }));
      });
    },
    send: (message) => process.send!(message),
  };
}
