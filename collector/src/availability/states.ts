/** The states of one check over a window exactly as the figures count them: what the dashboard's status band draws. */
import type { Db } from '../store/sqlite/database.ts';
import { rawCheckSegments } from './rollups.ts';
import { checkInfo } from './source.ts';
import type { SpanState } from './timeline.ts';

export interface StateSpan {
  from: number;
  to: number;
  state: SpanState;
}

/** Adjacent spans covering [from, to): UP, DOWN, UNKNOWN (no result covers it, a gap, a failed probe) or MAINTENANCE. */
export function checkStates(db: Db, agentId: string, checkId: string, from: number, to: number): StateSpan[] {
  const check = checkInfo(db, agentId, checkId);
  if (!check) return [{ from, to, state: 'UNKNOWN' }];
  return rawCheckSegments(db, check, from, to).segments.map(({ from: a, to: b, state }) => ({ from: a, to: b, state }));
}
