import type { BackupConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';
import { readSecret } from '../secrets.ts';
import { BackupProbeError } from '../probe.ts';
import { resticFailure } from './parse.ts';

/** What reaching a restic repository takes; the backup, integrity and churn checks share it. */
export type ResticRepositoryConfig = Pick<BackupConfigOf<'restic'>, 'repository' | 'passwordFile' | 'passwordEnv' | 'program'>;
/** Which snapshots belong to the job. */
export type ResticSnapshotFilter = Pick<BackupConfigOf<'restic'>, 'host' | 'tags' | 'paths'>;

const RESTIC_PASSWORD_VARIABLES = ['RESTIC_PASSWORD', 'RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND'];

/** Environment for restic: repository and password; never on the command line, where `ps` shows them. */
export async function resticEnv(config: ResticRepositoryConfig): Promise<Record<string, string>> {
  const env: Record<string, string> = { RESTIC_REPOSITORY: config.repository };
  const password = await readSecret({ file: config.passwordFile, env: config.passwordEnv }, 'restic password');
  if (password !== undefined) env.RESTIC_PASSWORD = password;
  // Without any password source restic waits for one on stdin until the timeout; say why up front instead.
  else if (!RESTIC_PASSWORD_VARIABLES.some((name) => process.env[name])) {
    throw new BackupProbeError('no restic password configured: set passwordFile or passwordEnv (or RESTIC_PASSWORD_FILE for the agent)');
  }
  return env;
}

export function snapshotArgs(config: ResticSnapshotFilter): string[] {
  // --no-lock: reading the list needs no lock, and a running prune or backup must not make the check fail.
  const args = ['snapshots', '--json', '--no-lock'];
  if (config.host !== undefined) args.push('--host', config.host);
  if (config.tags !== undefined) args.push('--tag', config.tags.join(','));
  for (const path of config.paths ?? []) args.push('--path', path);
  return args;
}

export interface ResticRun {
  (args: string[]): Promise<string>;
}

/** Runs restic with the job's environment; a failure becomes a BackupProbeError that says why. */
export function resticRunner(config: ResticRepositoryConfig, env: Record<string, string>, ctx: CheckContext): ResticRun {
  const program = config.program ?? 'restic';
  return async (args) => {
    const result: ExecResult = await ctx.exec(program, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env });
    if (result.code === 0) return result.stdout;
    const failure = resticFailure(result, config.repository);
    throw new BackupProbeError(failure.message, failure.status);
  };
}
