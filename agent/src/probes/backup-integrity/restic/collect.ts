import type { BackupIntegrityConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';
import { resticEnv } from '../../backup/restic/collect.ts';

/** Runs `restic check` reading part `n` of `total`; the repository and password travel in the environment. */
export async function collectResticCheck(config: BackupIntegrityConfigOf<'restic'>, n: number, total: number, ctx: CheckContext): Promise<ExecResult> {
  const env = await resticEnv(config);
  return ctx.exec(config.program ?? 'restic', ['check', `--read-data-subset=${n}/${total}`], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env });
}
