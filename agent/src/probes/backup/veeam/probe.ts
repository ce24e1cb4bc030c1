import type { BackupProbe } from '../probe.ts';
import { localWallClockToEpoch } from '../localtime.ts';
import { collectSessions } from './collect.ts';
import { parseSessionList } from './parse.ts';
import { evaluateVeeam, type TimedVeeamSession } from './evaluate.ts';

export const veeam = {
  tool: 'veeam',
  async check(config, ctx) {
    const sessions = parseSessionList(await collectSessions(config.program ?? 'veeamconfig', ctx));
    const timed = sessions.map((s): TimedVeeamSession => {
      const t: TimedVeeamSession = { ...s, startedMs: localWallClockToEpoch(s.startedAt) };
      if (s.finishedAt) t.finishedMs = localWallClockToEpoch(s.finishedAt);
      return t;
    });
    return evaluateVeeam(timed, config, ctx.clock());
  },
} satisfies BackupProbe<'veeam'>;
