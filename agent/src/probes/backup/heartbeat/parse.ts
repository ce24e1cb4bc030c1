import type { EpochMs } from '@nines/shared';

export const HEARTBEAT_EVENT_TYPES = ['start', 'success', 'fail'] as const;
export type HeartbeatEventType = (typeof HEARTBEAT_EVENT_TYPES)[number];

export interface HeartbeatEvent {
  type: HeartbeatEventType;
  at: EpochMs;
  exitCode?: number;
  sizeBytes?: number;
  /** As the script reported it, or measured from its start event. */
  durationMs?: number;
}

/** The agent's heartbeat state file: recent events per job, oldest first. */
export interface HeartbeatState {
  version: 1;
  jobs: Record<string, HeartbeatEvent[]>;
}

export const JOB_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export type HeartbeatRequest =
  | { ok: true; job: string; event: Omit<HeartbeatEvent, 'at' | 'durationMs'> & { durationMs?: number } }
  | { ok: false; httpStatus: 400 | 404; reason: string };

/**
 * A script's call, e.g. `/hb/nightly-db/fail?exit=2&size=1048576&duration=35`.
 * `/hb/<job>` alone means success (as with Healthchecks); size is in bytes, duration in seconds.
 */
export function parseHeartbeatRequest(pathAndQuery: string): HeartbeatRequest {
  const url = new URL(pathAndQuery, 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'hb' || parts.length < 2 || parts.length > 3) {
    return { ok: false, httpStatus: 404, reason: 'use /hb/<job>/start, /hb/<job>/success or /hb/<job>/fail' };
  }
  const job = decodeURIComponent(parts[1]!);
  if (!JOB_NAME.test(job)) return { ok: false, httpStatus: 400, reason: 'job names are 1-64 characters of A-Z a-z 0-9 . _ -' };
  const type = (parts[2] ?? 'success') as HeartbeatEventType;
  if (!HEARTBEAT_EVENT_TYPES.includes(type)) return { ok: false, httpStatus: 404, reason: `unknown event "${parts[2]}": use start, success or fail` };
  const event: Omit<HeartbeatEvent, 'at'> = { type };
  for (const [name, key, scale] of [['exit', 'exitCode', 1], ['size', 'sizeBytes', 1], ['duration', 'durationMs', 1000]] as const) {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (name !== 'duration' && !Number.isInteger(value))) {
      return { ok: false, httpStatus: 400, reason: `${name} must be a non-negative ${name === 'duration' ? 'number of seconds' : 'integer'}, got "${raw}"` };
    }
    event[key] = Math.round(value * scale);
  }
  return { ok: true, job, event };
}

/** The state file's text; anything unreadable is an error the probe reports, never an empty history. */
export function parseHeartbeatState(text: string): HeartbeatState {
  const data = JSON.parse(text) as Partial<HeartbeatState>;
  if (data?.version !== 1 || typeof data.jobs !== 'object' || data.jobs === null) throw new Error('not a version 1 heartbeat state');
  for (const [job, events] of Object.entries(data.jobs)) {
    if (!Array.isArray(events) || !events.every((e) => HEARTBEAT_EVENT_TYPES.includes(e?.type) && Number.isInteger(e?.at))) {
      throw new Error(`events of job ${job} are malformed`);
    }
  }
  return data as HeartbeatState;
}
