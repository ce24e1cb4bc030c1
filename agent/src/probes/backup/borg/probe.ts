import type { BackupProbe } from '../probe.ts';
import { borgEnv, borgRunner, listArgs } from './collect.ts';
import { parseArchives } from './parse.ts';
import { evaluateBorg } from './evaluate.ts';

export const borg = {
  tool: 'borg',
  async check(config, ctx) {
    const { env, passphraseGiven } = await borgEnv(config);
    const run = borgRunner(config, env, passphraseGiven, ctx);
    const wantSize = config.info === true || config.minSizeBytes !== undefined || config.maxShrinkPercent !== undefined;
    // borg info reads each archive's metadata; list only the manifest. Ask for sizes only when they are used.
    const archives = parseArchives(await run(wantSize ? listArgs(config, 'info', 2) : listArgs(config, 'list', 1)));
    return evaluateBorg(archives, config, ctx.clock());
  },
} satisfies BackupProbe<'borg'>;
