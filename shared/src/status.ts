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

export { SEVERITY, worstStatus } from './status-order.ts';
