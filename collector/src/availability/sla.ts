/** A check's role in the SLA: critical for its host, and its weight in the client's figure. */
import { NinesError } from '../errors.ts';
import { RECOMPUTE_HORIZON_MS } from './maintenance-store.ts';
import { markAgent } from './rollups.ts';
import { oldestResult } from './retention.ts';
import { checkInfo, type AvailabilitySource, type CheckRef } from './source.ts';

/** Sets (or, with null, resets to the default) a check's role; the host's and the check's rollups are recomputed. */
export async function setCheckSla(src: AvailabilitySource, check: CheckRef, role: { critical: boolean; weight: number } | null, now: number): Promise<void> {
  if (!(await checkInfo(src, check.agentId, check.checkId))) throw new NinesError('NOT_FOUND', `check ${check.agentId}/${check.checkId}`);
  if (role && (!Number.isInteger(role.weight) || role.weight < 0)) throw new NinesError('BAD_REQUEST', 'weight must be a whole number ≥ 0');
  await src.availability.setCheckRole(check.agentId, check.checkId, role && { critical: role.critical, weight: role.weight });
  const oldest = await oldestResult(src, check.agentId);
  if (oldest !== null) await markAgent(src, check.agentId, Math.max(oldest - 26 * 3_600_000, now - RECOMPUTE_HORIZON_MS), now); // day rows reach up to 25 h before their first result
}
