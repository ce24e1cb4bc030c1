import type { BackupProbe } from '../probe.ts';
import { fetchSnapshots } from './collect.ts';
import { parseSnapshotsResponse } from './parse.ts';
import { evaluatePbs } from './evaluate.ts';

export const pbs = {
  tool: 'pbs',
  async check(config, ctx) {
    return evaluatePbs(parseSnapshotsResponse(await fetchSnapshots(config, ctx), config.datastore), config, ctx.clock());
  },
} satisfies BackupProbe<'pbs'>;
