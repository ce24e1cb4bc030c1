import { Type, type Static } from '@sinclair/typebox';

/** A check's verdict. WARN still counts as up for availability; CRIT is down. */
export const StatusSchema = Type.Union([
  Type.Literal('OK'),
  Type.Literal('WARN'),
  Type.Literal('CRIT'),
  Type.Literal('UNKNOWN'),
]);
export type Status = Static<typeof StatusSchema>;

export const STATUSES: readonly Status[] = ['OK', 'WARN', 'CRIT', 'UNKNOWN'];

/** Availability state of a span of time (see docs/availability.md). */
export type AvailabilityState = 'UP' | 'DOWN' | 'UNKNOWN' | 'MAINTENANCE' | 'PAUSED';

export function availabilityState(status: Status): AvailabilityState {
  switch (status) {
    case 'OK':
    case 'WARN':
      return 'UP';
    case 'CRIT':
      return 'DOWN';
    case 'UNKNOWN':
      return 'UNKNOWN';
  }
}

const severity: Record<Status, number> = { OK: 0, UNKNOWN: 1, WARN: 2, CRIT: 3 };

/** The worse of two statuses, for roll-ups such as "worst state of a host". */
export function worstStatus(a: Status, b: Status): Status {
  return severity[b] > severity[a] ? b : a;
}
