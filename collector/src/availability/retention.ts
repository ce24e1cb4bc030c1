/** Retention: raw results for weeks, hourly rollups for about a year, daily rollups for as long as the DB lives. */
import { flushRollups, type FlushSource } from './rollups.ts';
import type { AvailabilitySource } from './source.ts';

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
export async function applyRetention(src: FlushSource, now: number, retention: Retention = RETENTION_DEFAULTS): Promise<{ results: number; gaps: number; hours: number }> {
  await flushRollups(src);
  return await src.availability.deleteExpired({
    rawBefore: retention.rawDays > 0 ? now - retention.rawDays * DAY_MS : null,
    hourlyBefore: retention.hourlyDays > 0 ? now - retention.hourlyDays * DAY_MS : null,
  });
}

/** Oldest raw result of a check (or of any check of the agent): changes older than this cannot be recomputed. */
export async function oldestResult(src: AvailabilitySource, agentId: string, checkId?: string): Promise<number | null> {
  return await src.availability.oldestResult(agentId, checkId);
}
