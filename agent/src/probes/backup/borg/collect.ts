import type { BackupConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import { readSecret } from '../secrets.ts';
import { BackupProbeError } from '../probe.ts';
import { borgFailure } from './parse.ts';

/** What reaching a borg repository takes; the backup, integrity and churn checks share it. */
export type BorgRepositoryConfig = Pick<BackupConfigOf<'borg'>, 'repository' | 'passphraseFile' | 'passphraseEnv' | 'program'>;

const BORG_PASSPHRASE_VARIABLES = ['BORG_PASSPHRASE', 'BORG_PASSCOMMAND', 'BORG_PASSPHRASE_FD'];

/** Environment for borg: repository, passphrase, and answers to every question borg could ask. */
export async function borgEnv(config: BorgRepositoryConfig): Promise<{ env: Record<string, string>; passphraseGiven: boolean }> {
  const env: Record<string, string> = {
    BORG_REPO: config.repository,
    // borg 1.x prints archive times in the local time of the borg process, without an offset: make that UTC.
    TZ: 'UTC',
    // A question borg asks on stdin would wait until the timeout; these answer "no" at once.
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'no',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'no',
  };
  const passphrase = await readSecret({ file: config.passphraseFile, env: config.passphraseEnv }, 'borg passphrase');
  if (passphrase !== undefined) env.BORG_PASSPHRASE = passphrase;
  // Nothing configured: an empty passphrase lets an unencrypted repository open and an encrypted one fail
  // at once with PassphraseWrong, where borg would otherwise wait for a passphrase on stdin.
  else if (!BORG_PASSPHRASE_VARIABLES.some((name) => process.env[name] !== undefined)) env.BORG_PASSPHRASE = '';
  return { env, passphraseGiven: passphrase !== undefined || BORG_PASSPHRASE_VARIABLES.some((name) => process.env[name]) };
}

export function listArgs(config: Pick<BackupConfigOf<'borg'>, 'glob'>, command: 'list' | 'info', last: number): string[] {
  // --bypass-lock: we only read, and `borg create` holds the lock for the whole backup; waiting for it
  // would make the check UNKNOWN during every backup window.
  const args = ['--log-json', command, '--json', '--last', String(last), '--bypass-lock'];
  if (config.glob !== undefined) args.push('--glob-archives', config.glob);
  return args;
}

export type BorgRun = (args: string[]) => Promise<string>;

export function borgRunner(config: BorgRepositoryConfig, env: Record<string, string>, passphraseGiven: boolean, ctx: CheckContext): BorgRun {
  const program = config.program ?? 'borg';
  return async (args) => {
    const result = await ctx.exec(program, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env });
    // 1 is borg's "warning": the command completed and its JSON is whole.
    if (result.code === 0 || result.code === 1) return result.stdout;
    const failure = borgFailure(result, config.repository, passphraseGiven);
    throw new BackupProbeError(failure.message, failure.status);
  };
}
