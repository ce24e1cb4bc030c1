import { BACKUP_CHURN_DEFAULTS, type BackupChurnConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import { borgEnv, borgRunner, listArgs } from '../../backup/borg/collect.ts';
import { parseArchives } from '../../backup/borg/parse.ts';
import type { ChurnPoint } from '../point.ts';
import { churnPoints } from './parse.ts';

/** The newest archive and the `compare` before it, with the sizes `borg info --json --last n` gives. */
export async function collectBorgChurn(config: BackupChurnConfigOf<'borg'>, ctx: CheckContext): Promise<ChurnPoint[]> {
  const { env, passphraseGiven } = await borgEnv(config);
  const run = borgRunner(config, env, passphraseGiven, ctx);
  const compare = config.compare ?? BACKUP_CHURN_DEFAULTS.compare;
  return churnPoints(parseArchives(await run(listArgs(config, 'info', compare + 1))));
}
