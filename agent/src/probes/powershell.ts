import type { CheckContext } from '../checks/check.ts';
import { describeExecFailure } from './patch/detect.ts';

/** A PowerShell probe that did not give its JSON, with the reason. */
export class PowerShellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PowerShellError';
  }
}

/**
 * Runs a Windows PowerShell script whose last step is ConvertTo-Json and returns the parsed value.
 * JSON, not the formatted text, because the text is translated on a German Windows.
 */
export async function powershellJson(ctx: Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'>, script: string, program = 'powershell.exe'): Promise<unknown> {
  const run = await ctx.exec(program, ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code !== 0) throw new PowerShellError(describeExecFailure(run));
  const text = run.stdout.trim();
  if (!text) throw new PowerShellError('PowerShell printed nothing');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PowerShellError(`PowerShell printed no JSON: "${text.replace(/\s+/g, ' ').slice(0, 200)}"`);
  }
}

/** Windows PowerShell 5.1 writes a one-element array as the bare element (and none as nothing): make it a list again. */
export function asList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A date from PowerShell JSON as epoch ms, or undefined. Our scripts send ISO UTC text, but Windows PowerShell 5.1's
 * ConvertTo-Json writes a DateTime it is handed as "/Date(1786499208000)/" (epoch ms, UTC), as real raw captures of
 * Get-MpComputerStatus show; both are read. Before 1970 (Defender writes 1601 and 0001-01-01 for "never") is undefined.
 */
export function powershellDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const wrapped = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  const ms = wrapped ? Number(wrapped[1]) : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
