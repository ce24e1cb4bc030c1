import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What restic said about snapshots already compared: a snapshot never changes, so its stats and its diff to
 * the one before are asked once, not at every interval (each walks a whole tree). Under
 * <stateDir>/backup-churn/<check id>.json; only the snapshots still compared are kept.
 */
export interface ChurnCache {
  key: string;
  stats: Record<string, { files: number; sizeBytes: number }>;
  /** "<older id> <newer id>" → files changed, added or removed. */
  changes: Record<string, number>;
}

const path = (stateDir: string, checkId: string) => join(stateDir, 'backup-churn', `${checkId}.json`);

export async function readChurnCache(stateDir: string, checkId: string, key: string): Promise<ChurnCache> {
  const empty: ChurnCache = { key, stats: {}, changes: {} };
  let text: string;
  try {
    text = await readFile(path(stateDir, checkId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw error;
  }
  try {
    const cache = JSON.parse(text) as ChurnCache;
    return cache.key === key && typeof cache.stats === 'object' && typeof cache.changes === 'object' ? cache : empty;
  } catch {
    return empty; // a torn write: ask restic again
  }
}

export async function writeChurnCache(stateDir: string, checkId: string, cache: ChurnCache): Promise<void> {
  const file = path(stateDir, checkId);
  await mkdir(join(stateDir, 'backup-churn'), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(cache));
  await rename(`${file}.tmp`, file);
}
