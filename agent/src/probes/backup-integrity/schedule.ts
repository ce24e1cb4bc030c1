import { createHash } from 'node:crypto';
import type { EpochMs } from '@nines/shared';

/**
 * Where in each period this machine checks this repository: a fixed offset from hash(agent id, check id),
 * so a fleet that got the same config at the same hour does not read all its repositories back at once
 * (they often share one NAS), and the same machine keeps its slot across restarts.
 */
export function slotOffsetMs(agentId: string, checkId: string, periodMs: number): number {
  const digest = createHash('sha256').update(`${agentId}\n${checkId}`).digest();
  return digest.readUIntBE(0, 6) % periodMs;
}

/** The latest slot at or before `now`: periods count from the epoch, so every machine agrees on them. */
export function lastSlotAt(now: EpochMs, offsetMs: number, periodMs: number): EpochMs {
  return Math.floor((now - offsetMs) / periodMs) * periodMs + offsetMs;
}

/**
 * Whether to run now: never run, or the last run is before the latest slot. A run that did not complete
 * (lock held by a backup, disk not mounted) keeps no state, so the next interval tries again rather than next week.
 */
export function integrityDue(lastCheckedAt: EpochMs | undefined, now: EpochMs, offsetMs: number, periodMs: number): boolean {
  return lastCheckedAt === undefined || lastCheckedAt < lastSlotAt(now, offsetMs, periodMs) || lastCheckedAt > now;
}
