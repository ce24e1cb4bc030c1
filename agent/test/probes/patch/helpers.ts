import type { ExecFn, ExecResult } from '../../../src/exec.ts';
import type { PatchProbeContext } from '../../../src/probes/patch/types.ts';

export interface Call {
  file: string;
  args: readonly string[];
}

/**
 * An exec for machines this CI does not have (dnf, zypper, Windows…): answers each call with the
 * next scripted result (fixture text of the real tool) and records what was asked.
 */
export function scriptedExec(script: (call: Call) => Partial<ExecResult>): { exec: ExecFn; calls: Call[] } {
  const calls: Call[] = [];
  const exec: ExecFn = async (file, args) => {
    calls.push({ file, args });
    return { code: 0, stdout: '', stderr: '', ...script({ file, args }) };
  };
  return { exec, calls };
}

export const notInstalled = (file: string): Partial<ExecResult> => ({ code: null, failure: 'not-found', failureMessage: `${file} is not installed (not found in PATH)` });

export function probeContext(exec: ExecFn, now = Date.UTC(2026, 10, 25, 12, 0)): PatchProbeContext {
  return { exec, clock: () => now, signal: new AbortController().signal, timeoutMs: 5_000 };
}
