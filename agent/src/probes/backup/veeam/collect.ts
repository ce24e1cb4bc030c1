import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';

/** `veeamconfig session list` (Veeam Agent for Linux); needs root, as veeamconfig does. */
export function collectSessions(program: string, ctx: CheckContext): Promise<ExecResult> {
  return ctx.exec(program, ['session', 'list'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
}
