/** Retention: raw results for weeks, hourly rollups for about a year, daily rollups for as long as the DB lives. */
import type { Db } from '../store/sqlite/database.ts';
import { flushRollups } from './rollups.ts';
import { prepared } from './source.ts';

export interface Retention {
  /** Raw results and gaps older than this many days are deleted; 0 keeps them forever. */
  rawDays: number;
  /** Hourly rollups older than this are deleted (daily rollups are kept); 0 keeps them forever. */
  hourlyDays: number;
}

export const RETENTION_DEFAULTS: Retention = {
  rawDays: 90, // three months of incidents and edges to recompute; a year of 1-minute results would be ~0.5 M rows per check
  hourlyDays: 400, // rolling windows up to a year plus a month of slack; older questions are answered by day rows
};

const DAY_MS = 86_400_000;

/** Retention from NINES_RETENTION_RAW_DAYS / NINES_RETENTION_HOURLY_DAYS, defaults otherwise. */
export function retentionFromEnv(env: NodeJS.ProcessEnv = process.env): Retention {
  const read = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of days (0 = keep forever), not "${value}"`);
    return n;
  };
  return { rawDays: read('NINES_RETENTION_RAW_DAYS', RETENTION_DEFAULTS.rawDays), hourlyDays: read('NINES_RETENTION_HOURLY_DAYS', RETENTION_DEFAULTS.hourlyDays) };
}

/** Deletes what retention allows; first brings rollups up to date so no figure is lost with the raw rows. */
export function applyRetention(db: Db, now: number, retention: Retention = RETENTION_DEFAULTS): { results: number; gaps: number; hours: number } {
  flushRollups(db);
  const out = { results: 0, gaps: 0, hours: 0 };
  if (retention.rawDays > 0) {
    const cutoff = now - retention.rawDays * DAY_MS;
    out.results = prepared(db, `DELETE FROM results WHERE started_at < ?`).run(cutoff).changes;
    out.gaps = prepared(db, `DELETE FROM gaps WHERE to_at < ?`).run(cutoff).changes;
  }
  if (retention.hourlyDays > 0) {
    out.hours = prepared(db, `DELETE FROM availability_hours WHERE start_at < ?`).run(now - retention.hourlyDays * DAY_MS).changes;
  }
  return out;
}

/** Oldest raw result of a check (or of any check of the agent): changes older than this cannot be recomputed. */
export function oldestResult(db: Db, agentId: string, checkId?: string): number | null {
  return checkId === undefined
    ? (prepared(db, `SELECT min(started_at) FROM results WHERE agent_id = ?`).pluck().get(agentId) as number | null)
    : (prepared(db, `SELECT min(started_at) FROM results WHERE agent_id = ? AND check_id = ?`).pluck().get(agentId, checkId) as number | null);
}
