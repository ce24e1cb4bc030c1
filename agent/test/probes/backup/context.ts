import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { CheckContext } from '../../../src/checks/check.ts';
import { execProgram, type ExecFn, type ExecResult } from '../../../src/exec.ts';

/** A check context with a fixed clock and real exec unless a test replaces it. */
export function testContext(overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    clock: () => Date.UTC(2026, 10, 25, 12, 0, 0),
    signal: new AbortController().signal,
    timeoutMs: 20_000,
    exec: execProgram,
    log: pino({ level: 'silent' }),
    stateDir: tmpdir(),
    ...overrides,
  };
}

/** An exec that answers like a program that is absent on this machine, from a recorded output. */
export function recordedExec(result: Partial<ExecResult>, calls: { file: string; args: readonly string[] }[] = []): ExecFn {
  return async (file, args) => {
    calls.push({ file, args });
    return { code: 0, stdout: '', stderr: '', ...result };
  };
}

export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'nines-backup-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
