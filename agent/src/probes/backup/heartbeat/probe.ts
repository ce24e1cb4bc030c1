import type { BackupProbe } from '../probe.ts';
import { collectHeartbeats } from './collect.ts';
import { evaluateHeartbeat } from './evaluate.ts';

export const heartbeat = {
  tool: 'heartbeat',
  async check(config, ctx) {
    return evaluateHeartbeat(await collectHeartbeats(ctx.stateDir, config.job), config, ctx.clock());
  },
} satisfies BackupProbe<'heartbeat'>;
