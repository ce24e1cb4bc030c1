import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs } from '@nines/shared';
import { parseHeartbeatState, type HeartbeatEvent, type HeartbeatState } from './parse.ts';

export const HEARTBEAT_STATE_FILE = 'backup-heartbeats.json';
const MAX_EVENTS_PER_JOB = 50; // weeks of nightly runs: enough for "previous size" and a look back, small enough to rewrite each time
const MAX_JOBS = 500; // a typo loop in a script must not grow the file without bound

export function heartbeatStatePath(stateDir: string): string {
  return join(stateDir, HEARTBEAT_STATE_FILE);
}

/** The state, or an empty one when no script has reported yet. Other read errors are thrown. */
export async function readHeartbeatState(stateDir: string): Promise<HeartbeatState> {
  let text: string;
  try {
    text = await readFile(heartbeatStatePath(stateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, jobs: {} };
    throw error;
  }
  return parseHeartbeatState(text);
}

/**
 * Appends events to the state file. Writes go one at a time through a queue and land by rename, so the
 * probe never reads half a file. A start followed by its finish gets the measured duration.
 */
export class HeartbeatStore {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #stateDir: string;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  record(job: string, event: Omit<HeartbeatEvent, 'at'>, at: EpochMs): Promise<HeartbeatEvent> {
    const next = this.#queue.then(() => this.#append(job, event, at));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #append(job: string, event: Omit<HeartbeatEvent, 'at'>, at: EpochMs): Promise<HeartbeatEvent> {
    let state: HeartbeatState;
    try {
      state = await readHeartbeatState(this.#stateDir);
    } catch {
      // A corrupt file (disk full at a write) must not stop scripts from reporting; start over.
      state = { version: 1, jobs: {} };
    }
    const events = state.jobs[job] ?? [];
    if (!state.jobs[job] && Object.keys(state.jobs).length >= MAX_JOBS) throw new Error(`too many heartbeat jobs (limit ${MAX_JOBS})`);
    const stored: HeartbeatEvent = { ...event, at };
    const lastStart = events.at(-1)?.type === 'start' ? events.at(-1) : undefined;
    if (stored.type !== 'start' && stored.durationMs === undefined && lastStart) stored.durationMs = at - lastStart.at;
    events.push(stored);
    state.jobs[job] = events.slice(-MAX_EVENTS_PER_JOB);
    await mkdir(this.#stateDir, { recursive: true });
    const path = heartbeatStatePath(this.#stateDir);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, path);
    return stored;
  }
}
