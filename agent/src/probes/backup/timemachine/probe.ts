import type { BackupProbe } from '../probe.ts';
import { localWallClockToEpoch } from '../localtime.ts';
import { collectLatestBackup } from './collect.ts';
import { parseLatestBackup } from './parse.ts';
import { evaluateTimeMachine } from './evaluate.ts';

export const timemachine = {
  tool: 'timemachine',
  async check(config, ctx) {
    const latest = parseLatestBackup(await collectLatestBackup(config.program ?? 'tmutil', ctx));
    return evaluateTimeMachine(latest && { ...latest, at: localWallClockToEpoch(latest.wallClock) }, config, ctx.clock());
  },
} satisfies BackupProbe<'timemachine'>;
