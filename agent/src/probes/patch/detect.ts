import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ExecResult } from '../../exec.ts';

/** Full path of an executable on PATH, without running anything (detection must be cheap and harmless). */
export async function binaryOnPath(name: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The one-line reason an ExecResult did not produce an exit code, or its exit code and stderr. */
export function describeExecFailure(run: ExecResult): string {
  if (run.failure) return run.failureMessage ?? run.failure;
  const stderr = run.stderr.trim().split(/\r?\n/).slice(-3).join(' ').slice(0, 300);
  return `exit code ${run.code}${stderr ? `: ${stderr}` : ''}`;
}
