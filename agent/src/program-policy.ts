/**
 * The client machine is the authority over what runs on it. Checks from the agent's own config file were
 * written by whoever administers this machine and run as written; a check the collector assigns may run a
 * program only if that file lists it under `allowPrograms` (default: none). Otherwise a stolen admin token
 * or a compromised collector could run anything as the agent's user on every client machine.
 */
import type { CheckConfig } from '@nines/shared';

/** The programs a check would start on its own say-so: a command's program, a backup tool's or smartctl's `program` override. */
export function programsOf(check: CheckConfig): string[] {
  if (check.kind === 'command') return [check.command[0]!];
  if ((check.kind === 'backup' || check.kind === 'backup-integrity' || check.kind === 'backup-churn') && 'program' in check && typeof check.program === 'string') {
    return [check.program];
  }
  if (check.kind === 'smart' && check.program !== undefined) return [check.program];
  return [];
}

/** The programs an assigned check names that the local config does not allow (empty: it may run). */
export function refusedPrograms(check: CheckConfig, allowPrograms: readonly string[]): string[] {
  return programsOf(check).filter((program) => !allowPrograms.includes(program));
}
