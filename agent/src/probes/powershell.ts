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
