/** The states of one check over a window exactly as the figures count them: what the dashboard's status band draws. */
import { rawCheckSegments } from './rollups.ts';
import { checkInfo, type AvailabilitySource } from './source.ts';
import type { SpanState } from './timeline.ts';

export interface StateSpan {
  from: number;
  to: number;
  state: SpanState;
}

/** Adjacent spans covering [from, to): UP, DOWN, UNKNOWN (no result covers it, a gap, a failed probe) or MAINTENANCE. */
export async function checkStates(src: AvailabilitySource, agentId: string, checkId: string, from: number, to: number): Promise<StateSpan[]> {
  const check = await checkInfo(src, agentId, checkId);
  if (!check) return [{ from, to, state: 'UNKNOWN' }];
  return (await rawCheckSegments(src, check, from, to)).segments.map(({ from: a, to: b, state }) => ({ from: a, to: b, state }));
}
