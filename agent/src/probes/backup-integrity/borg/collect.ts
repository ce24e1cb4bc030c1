import type { BackupIntegrityConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';
import { borgEnv } from '../../backup/borg/collect.ts';

/**
 * Runs `borg check --verify-data --last 1`: the repository's segments and index, and every chunk of the newest
 * archive decrypted and verified. -v: borg says "no problems found" only at info level, the proof it finished.
 */
export async function collectBorgCheck(config: BackupIntegrityConfigOf<'borg'>, ctx: CheckContext): Promise<{ result: ExecResult; passphraseGiven: boolean }> {
  const { env, passphraseGiven } = await borgEnv(config);
  const result = await ctx.exec(config.program ?? 'borg', ['--log-json', 'check', '-v', '--verify-data', '--last', '1'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env });
  return { result, passphraseGiven };
}
