/** Maintenance windows in the database: create, list, delete, and "is this check in maintenance now?". */
import type { Db } from '../store/sqlite/database.ts';
import { NinesError } from '../errors.ts';
import { maintenanceProblem, occurrences, type MaintenanceWindow } from './maintenance.ts';
import { markDirty } from './rollups.ts';
import { oldestResult } from './retention.ts';
import { checkInfo, checksOfAgent, checksOfClient, clientInfo, forgetMaintenanceCache, prepared, windowApplies, windowById, windowsOfClient, type CheckRef } from './source.ts';

export type MaintenanceInput = Omit<MaintenanceWindow, 'id' | 'timeZone'>;

/** How far back a changed window re-marks rollups: raw results older than this may be gone anyway. */
/** A day row can start this long before the result that created it (a 25-hour local day). */
const DAY_ROW_REACH_MS = 26 * 3_600_000;
export const RECOMPUTE_HORIZON_MS = 400 * 86_400_000; // beyond hourly retention nothing is recomputed

/** Marks the rollups a window touches (up to now, within the horizon) for recomputation. */
function remark(db: Db, w: MaintenanceWindow, now: number): void {
  const checks = w.agentId === null ? checksOfClient(db, w.clientId) : checksOfAgent(db, w.agentId);
  db.transaction(() => {
    for (const c of checks.filter((c) => windowApplies(w, c))) {
      // Rollup rows exist only from the local day of the first result on (queries compute the rest raw).
      const oldest = oldestResult(db, c.agentId, c.checkId);
      if (oldest === null) continue;
      for (const s of occurrences(w, Math.max(oldest - DAY_ROW_REACH_MS, now - RECOMPUTE_HORIZON_MS), now)) markDirty(db, c.agentId, c.checkId, s.from, s.to);
    }
  })();
}

/** Stores a window after validating it; figures it touches are recomputed. */
export function createMaintenance(db: Db, input: MaintenanceInput, now: number): MaintenanceWindow {
  const client = clientInfo(db, input.clientId);
  if (!client) throw new NinesError('NOT_FOUND', `client ${input.clientId}`);
  if (input.checkId !== null && input.agentId === null) throw new NinesError('BAD_REQUEST', 'a check-scoped window needs agentId');
  if (input.agentId !== null) {
    const owner = input.checkId === null ? checksOfAgent(db, input.agentId)[0]?.clientId ?? agentClient(db, input.agentId) : checkInfo(db, input.agentId, input.checkId)?.clientId;
    if (owner !== client.id) throw new NinesError('NOT_FOUND', `${input.checkId === null ? 'host' : 'check'} ${input.agentId}${input.checkId ? '/' + input.checkId : ''} of client ${client.id}`);
  }
  const problem = maintenanceProblem({ ...input, timeZone: client.timeZone });
  if (problem) throw new NinesError('BAD_REQUEST', problem);
  const info = prepared(
    db,
    `INSERT INTO maintenance_windows (client_id, agent_id, check_id, title, recurrence, starts_at, ends_at, local_time, duration_ms, weekdays, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(input.clientId, input.agentId, input.checkId, input.title, input.recurrence, input.startsAt, input.endsAt, input.localTime, input.durationMs, input.weekdays, now);
  forgetMaintenanceCache(db);
  const window = windowById(db, Number(info.lastInsertRowid))!;
  remark(db, window, now);
  return window;
}

function agentClient(db: Db, agentId: string): number | undefined {
  return prepared(db, `SELECT client_id FROM agents WHERE id = ?`).pluck().get(agentId) as number | undefined;
}

export function listMaintenance(db: Db, clientId: number): MaintenanceWindow[] {
  return windowsOfClient(db, clientId);
}

/** Deletes a window; the spans it covered count by their results again. Returns false if there was none. */
export function deleteMaintenance(db: Db, id: number, now: number): boolean {
  const window = windowById(db, id);
  if (!window) return false;
  prepared(db, `DELETE FROM maintenance_windows WHERE id = ?`).run(id);
  forgetMaintenanceCache(db);
  remark(db, window, now);
  return true;
}

/** The maintenance window a check is in at `at` (for alerting: hold back notices), or undefined. */
export function isInMaintenance(db: Db, check: CheckRef, at: number): MaintenanceWindow | undefined {
  const clientId = agentClient(db, check.agentId);
  if (clientId === undefined) return undefined;
  return windowsOfClient(db, clientId).find((w) => windowApplies(w, check) && occurrences(w, at, at + 1).length > 0);
}
