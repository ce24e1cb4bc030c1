import { BACKUP_CHURN_DEFAULTS, type BackupChurnConfigOf } from '@nines/shared';
import type { CheckContext } from '../../../checks/check.ts';
import { resticEnv, resticRunner, snapshotArgs } from '../../backup/restic/collect.ts';
import { newestFirst, parseSnapshots, type ResticSnapshot } from '../../backup/restic/parse.ts';
import type { ChurnPoint } from '../point.ts';
import { readChurnCache, writeChurnCache, type ChurnCache } from './cache.ts';
import { parseDiffChanges, parseStatsCounts } from './parse.ts';

/**
 * The newest snapshot of the job and the `compare` before it, newest first, each with its file count and size
 * (`restic stats`) and the files changed since the one before it (`restic diff`); answers already known come
 * from the cache. --no-lock throughout: a running backup must not make the comparison fail.
 */
export async function collectResticChurn(config: BackupChurnConfigOf<'restic'>, ctx: CheckContext): Promise<ChurnPoint[]> {
  const run = resticRunner(config, await resticEnv(config), ctx);
  const compare = config.compare ?? BACKUP_CHURN_DEFAULTS.compare;
  // One more than compared: the oldest compared snapshot needs the one before it for its diff.
  const listed = newestFirst(parseSnapshots(await run(snapshotArgs(config))));
  // One job's series: the newest snapshot's host and paths, as restic picks a parent. Without this, a repository
  // shared by a server and a laptop would compare the one's 40,000 files with the other's 900.
  const job = listed[0] && seriesKey(listed[0]);
  const snapshots = listed.filter((s) => seriesKey(s) === job).slice(0, compare + 2);
  const cached = await readChurnCache(ctx.stateDir, config.id, `restic ${config.repository}`);
  const next: ChurnCache = { key: cached.key, stats: {}, changes: {} };
  const points: ChurnPoint[] = [];
  for (const [index, snapshot] of snapshots.slice(0, compare + 1).entries()) {
    const stats = (next.stats[snapshot.id] = cached.stats[snapshot.id] ?? parseStatsCounts(await run(['stats', '--json', '--no-lock', snapshot.id])));
    const point: ChurnPoint = { name: snapshot.shortId, host: snapshot.hostname, files: stats.files, sizeBytes: stats.sizeBytes };
    const before = snapshots[index + 1];
    if (before) {
      const pair = `${before.id} ${snapshot.id}`;
      point.changed = next.changes[pair] = cached.changes[pair] ?? parseDiffChanges(await run(['diff', '--json', '--no-lock', before.id, snapshot.id]));
    }
    points.push(point);
  }
  await writeChurnCache(ctx.stateDir, config.id, next);
  return points;
}

function seriesKey(snapshot: ResticSnapshot): string {
  return JSON.stringify([snapshot.hostname, [...snapshot.paths].sort()]);
}
