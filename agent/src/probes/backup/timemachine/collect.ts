import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';

/** `tmutil latestbackup`: macOS only; elsewhere the exec reports tmutil as not installed. */
export function collectLatestBackup(program: string, ctx: CheckContext): Promise<ExecResult> {
  return ctx.exec(program, ['latestbackup'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
}
