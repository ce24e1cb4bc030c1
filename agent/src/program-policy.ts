/**
 * The client machine is the authority over what runs on it. Checks from the agent's own config file were
 * written by whoever administers this machine and run as written; a check the collector assigns may run a
 * program only if that file lists it under `allowPrograms` (default: none). Otherwise a stolen admin token
 * or a compromised collector could run anything as the agent's user on every client machine.
 */
import type { CheckConfig } from '@nines/shared';

/** The programs a check would start on its own say-so: a command's program, a backup tool's `program` override. */
export function programsOf(check: CheckConfig): string[] {
  if (check.kind === 'command') return [check.command[0]!];
  if (check.kind === 'backup' && 'program' in check && typeof check.program === 'string') return [check.program];
  return [];
}

/** Why an assigned check may not run here, or undefined when every program it names is allowed. */
export function refusal(check: CheckConfig, allowPrograms: readonly string[]): string | undefined {
  const refused = programsOf(check).filter((program) => !allowPrograms.includes(program));
  if (refused.length === 0) return undefined;
  return `not allowed on this machine: ${refused.join(', ')} is not in allowPrograms of the agent's config file, so the collector cannot make it run`;
}
