import type { BackupProbe } from '../probe.ts';
import { resticEnv, resticRunner, snapshotArgs } from './collect.ts';
import { newestFirst, parseSnapshots, parseStats } from './parse.ts';
import { evaluateRestic, type ResticObservation } from './evaluate.ts';

export const restic = {
  tool: 'restic',
  async check(config, ctx) {
    const run = resticRunner(config, await resticEnv(config), ctx);
    const observed: ResticObservation = { snapshots: newestFirst(parseSnapshots(await run(snapshotArgs(config)))) };
    const [latest, previous] = observed.snapshots;
    const wantSize = config.stats === true || config.minSizeBytes !== undefined || config.maxShrinkPercent !== undefined;
    if (latest && wantSize) {
      observed.latestSizeBytes = parseStats(await run(['stats', '--json', '--no-lock', latest.id]));
      if (previous && config.maxShrinkPercent !== undefined) {
        observed.previousSizeBytes = parseStats(await run(['stats', '--json', '--no-lock', previous.id]));
      }
    }
    return evaluateRestic(observed, config, ctx.clock());
  },
} satisfies BackupProbe<'restic'>;
