import { SEVERITY } from './status-order.ts';
import type { Status } from './status.ts';

/** Rank of a client's worst state; a client without checks ranks below OK. */
const rank = (status: Status | null) => (status === null ? -1 : SEVERITY[status]);

/**
 * The overview's order, worst first: worst check state, then more silent agents, then name. One function for the
 * collector's response and the dashboard, which re-sorts in place when a live row arrives. TypeBox-free at run time.
 */
export function compareClientRows(a: { worst: Status | null; agentsSilent: number; name: string }, b: { worst: Status | null; agentsSilent: number; name: string }): number {
  return rank(b.worst) - rank(a.worst) || b.agentsSilent - a.agentsSilent || a.name.localeCompare(b.name);
}
