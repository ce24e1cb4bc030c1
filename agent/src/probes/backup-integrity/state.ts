import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs } from '@nines/shared';
import type { IntegrityVerdict } from './verdict.ts';

/** The last completed run of one integrity check, under <stateDir>/backup-integrity/<check id>.json. */
export interface IntegrityState {
  /** tool + repository: a check pointed elsewhere starts afresh. */
  key: string;
  checkedAt: EpochMs;
  verdict: Exclude<IntegrityVerdict, { state: 'failed' }>;
  /** restic: the part read in that run ("2/4") and the one to read next. */
  subset?: string;
  nextSubset?: number;
}

export function integrityStatePath(stateDir: string, checkId: string): string {
  return join(stateDir, 'backup-integrity', `${checkId}.json`);
}

/** The state if there is one for this key; a missing, foreign or unreadable file means "never checked". */
export async function readIntegrityState(stateDir: string, checkId: string, key: string): Promise<IntegrityState | undefined> {
  let text: string;
  try {
    text = await readFile(integrityStatePath(stateDir, checkId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as IntegrityState;
    const verdict = state.verdict as { state?: unknown } | undefined;
    if (state.key !== key || typeof state.checkedAt !== 'number' || (verdict?.state !== 'verified' && verdict?.state !== 'damaged')) return undefined;
    return state;
  } catch {
    return undefined; // a torn write at a crash: check again rather than report nothing
  }
}

export async function writeIntegrityState(stateDir: string, checkId: string, state: IntegrityState): Promise<void> {
  const path = integrityStatePath(stateDir, checkId);
  await mkdir(join(stateDir, 'backup-integrity'), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(state));
  await rename(`${path}.tmp`, path);
}
