import type { Status } from './status.ts';

/**
 * How bad each status is, for roll-ups. Its own module without TypeBox at run time (the import above is a type
 * only), so the dashboard bundle's imports (@nines/shared/security) share it instead of keeping a copy.
 * UNKNOWN ranks above OK and below WARN: not knowing is worse than fine, better than a known problem.
 */
export const SEVERITY: Readonly<Record<Status, number>> = { OK: 0, UNKNOWN: 1, WARN: 2, CRIT: 3 };

/** The worse of two statuses, for roll-ups such as "worst state of a host". */
export function worstStatus(a: Status, b: Status): Status {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}
