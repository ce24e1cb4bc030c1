import type { BorgArchive } from '../../backup/borg/parse.ts';
import type { ChurnPoint } from '../point.ts';

/**
 * borg's archives (oldest first, as borg info lists them) as churn points, newest first. An archive's
 * deduplicated size is the data no other archive holds: for the newest, what it brought in new; for the
 * ones before, what changed after them. Mass encryption makes the newest hold nearly all data alone.
 */
export function churnPoints(archives: readonly BorgArchive[]): ChurnPoint[] {
  return [...archives]
    .reverse()
    .sort((a, b) => b.timeMs - a.timeMs)
    .map((a) => {
      const point: ChurnPoint = { name: a.name };
      if (a.files !== undefined) point.files = a.files;
      if (a.originalSizeBytes !== undefined) point.sizeBytes = a.originalSizeBytes;
      if (a.deduplicatedSizeBytes !== undefined) point.newBytes = a.deduplicatedSizeBytes;
      return point;
    });
}
