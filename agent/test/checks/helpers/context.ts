import { pino } from 'pino';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import type { CheckContext } from '../../../src/checks/check.ts';

/** A real check context (real exec, silent log) with a timeout that really aborts; tests may swap the clock or exec. */
export function checkContext(overrides: { timeoutMs?: number; clock?: () => number; exec?: ExecFn } = {}): CheckContext & { dispose(): void } {
  const timeoutMs = overrides.timeoutMs ?? 5_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  timer.unref(); // a test that forgets dispose() must not keep the process alive
  return {
    clock: overrides.clock ?? Date.now,
    signal: controller.signal,
    timeoutMs,
    exec: overrides.exec ?? execProgram,
    log: pino({ level: 'silent' }),
    stateDir: '/tmp',
    dispose: () => clearTimeout(timer),
  };
}

export const runnerDeps = { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir: '/tmp' };
