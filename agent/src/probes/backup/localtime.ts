import type { EpochMs } from '@nines/shared';

/** A wall-clock time without a zone, as Time Machine and Veeam print them. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Epoch ms of a wall-clock time in this machine's zone: these tools print local time without an offset,
 * and the probe runs on the machine that printed it, so its zone is the right one.
 */
export function localWallClockToEpoch(t: WallClock): EpochMs {
  return new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second).getTime();
}
