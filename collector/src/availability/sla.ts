/** A check's role in the SLA: critical for its host, and its weight in the client's figure. */
import type { Db } from '../store/sqlite/database.ts';
import { NinesError } from '../errors.ts';
import { RECOMPUTE_HORIZON_MS } from './maintenance-store.ts';
import { markAgent } from './rollups.ts';
import { checkInfo, prepared, type CheckRef } from './source.ts';

/** Sets (or, with null, resets to the default) a check's role; the host's and the check's rollups are recomputed. */
export function setCheckSla(db: Db, check: CheckRef, role: { critical: boolean; weight: number } | null, now: number): void {
  if (!checkInfo(db, check.agentId, check.checkId)) throw new NinesError('NOT_FOUND', `check ${check.agentId}/${check.checkId}`);
  if (role && (!Number.isInteger(role.weight) || role.weight < 0)) throw new NinesError('BAD_REQUEST', 'weight must be a whole number ≥ 0');
  if (role === null) prepared(db, `DELETE FROM check_sla WHERE agent_id = ? AND check_id = ?`).run(check.agentId, check.checkId);
  else {
    prepared(db, `INSERT OR REPLACE INTO check_sla (agent_id, check_id, critical, weight) VALUES (?, ?, ?, ?)`)
      .run(check.agentId, check.checkId, role.critical ? 1 : 0, role.weight);
  }
  const oldest = prepared(db, `SELECT min(started_at) FROM results WHERE agent_id = ?`).pluck().get(check.agentId) as number | null;
  if (oldest !== null) markAgent(db, check.agentId, Math.max(oldest - 26 * 3_600_000, now - RECOMPUTE_HORIZON_MS), now); // day rows reach up to 25 h before their first result
}
