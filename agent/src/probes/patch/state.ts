import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs, PatchManager } from '@nines/shared';
import type { PatchState, PendingUpdate } from './types.ts';

/**
 * Small files under the agent's state dir:
 * - patch-first-seen-<manager>.json: since when each package has been pending, for "WARN after N days";
 *   kept across restarts, otherwise every restart would reset the clock.
 * - patch-cache-<manager>.json: the last answer, so a restarted (or crash-looping) agent does not
 *   ask the package manager again within the TTL.
 */
export type FirstSeen = Record<string, EpochMs>;

interface CacheFile {
  fingerprint: string;
  state: PatchState;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined; // missing or damaged: start afresh rather than fail the check
  }
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}

const firstSeenPath = (stateDir: string, manager: PatchManager) => join(stateDir, `patch-first-seen-${manager}.json`);
const cachePath = (stateDir: string, manager: PatchManager) => join(stateDir, `patch-cache-${manager}.json`);

/** Keeps first-seen times of packages still pending, adds now for new ones, forgets installed ones. */
export function mergeFirstSeen(previous: FirstSeen, updates: readonly PendingUpdate[], now: EpochMs): FirstSeen {
  const next: FirstSeen = {};
  for (const u of updates) {
    const seen = previous[u.name];
    next[u.name] = typeof seen === 'number' && Number.isFinite(seen) && seen <= now ? seen : now;
  }
  return next;
}

export async function updateFirstSeen(stateDir: string, state: PatchState): Promise<FirstSeen> {
  const path = firstSeenPath(stateDir, state.manager);
  const previous = (await readJson<FirstSeen>(path)) ?? {};
  const next = mergeFirstSeen(previous, state.updates, state.collectedAt);
  await writeJsonAtomically(path, next);
  return next;
}

export async function readCachedState(
  stateDir: string,
  manager: PatchManager,
  fingerprint: string,
  now: EpochMs,
  ttlMs: number,
): Promise<PatchState | undefined> {
  const cached = await readJson<CacheFile>(cachePath(stateDir, manager));
  if (!cached || cached.fingerprint !== fingerprint || cached.state?.manager !== manager) return undefined;
  const age = now - cached.state.collectedAt;
  return age >= 0 && age < ttlMs ? cached.state : undefined;
}

export async function writeCachedState(stateDir: string, fingerprint: string, state: PatchState): Promise<void> {
  await writeJsonAtomically(cachePath(stateDir, state.manager), { fingerprint, state } satisfies CacheFile);
}
