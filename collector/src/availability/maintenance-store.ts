/** Maintenance windows in the store: create, list, delete, and "is this check in maintenance now?". */
import { NinesError } from '../errors.ts';
import type { NewMaintenanceWindow } from '../store/maintenance.ts';
import { maintenanceProblem, occurrences, type MaintenanceWindow } from './maintenance.ts';
import { markDirty } from './rollups.ts';
import { oldestResult } from './retention.ts';
import { agentInfo, checkInfo, checksOfAgent, checksOfClient, clientInfo, windowApplies, windowsOfClient, type AvailabilitySource, type CheckRef } from './source.ts';

export type MaintenanceInput = NewMaintenanceWindow;

/** A day row can start this long before the result that created it (a 25-hour local day). */
const DAY_ROW_REACH_MS = 26 * 3_600_000;
/** How far back a changed window re-marks rollups: raw results older than this may be gone anyway. */
export const RECOMPUTE_HORIZON_MS = 400 * 86_400_000; // beyond hourly retention nothing is recomputed

/** Marks the rollups a window touches (up to now, within the horizon) for recomputation, in one batch. */
async function remark(src: AvailabilitySource, w: MaintenanceWindow, now: number): Promise<void> {
  const checks = w.agentId === null ? await checksOfClient(src, w.clientId) : await checksOfAgent(src, w.agentId);
  const spans: Array<{ agentId: string; checkId: string; from: number; to: number }> = [];
  for (const c of checks.filter((c) => windowApplies(w, c))) {
    // Rollup rows exist only from the local day of the first result on (queries compute the rest raw).
    const oldest = await oldestResult(src, c.agentId, c.checkId);
    if (oldest === null) continue;
    for (const s of occurrences(w, Math.max(oldest - DAY_ROW_REACH_MS, now - RECOMPUTE_HORIZON_MS), now)) spans.push({ agentId: c.agentId, checkId: c.checkId, ...s });
  }
  await markDirty(src, spans);
}

/** Stores a window after validating it; figures it touches are recomputed. */
export async function createMaintenance(src: AvailabilitySource, input: MaintenanceInput, now: number): Promise<MaintenanceWindow> {
  const client = await clientInfo(src, input.clientId);
  if (!client) throw new NinesError('NOT_FOUND', `client ${input.clientId}`);
  if (input.checkId !== null && input.agentId === null) throw new NinesError('BAD_REQUEST', 'a check-scoped window needs agentId');
  if (input.agentId !== null) {
    const owner = input.checkId === null ? (await agentInfo(src, input.agentId))?.clientId : (await checkInfo(src, input.agentId, input.checkId))?.clientId;
    if (owner !== client.id) throw new NinesError('NOT_FOUND', `${input.checkId === null ? 'host' : 'check'} ${input.agentId}${input.checkId ? '/' + input.checkId : ''} of client ${client.id}`);
  }
  const problem = maintenanceProblem({ ...input, timeZone: client.timeZone });
  if (problem) throw new NinesError('BAD_REQUEST', problem);
  const window = await src.maintenance.createWindow(input, now);
  await remark(src, window, now);
  return window;
}

export async function listMaintenance(src: AvailabilitySource, clientId: number): Promise<MaintenanceWindow[]> {
  return await windowsOfClient(src, clientId);
}

/** Deletes a window; the spans it covered count by their results again. Returns false if there was none. */
export async function deleteMaintenance(src: AvailabilitySource, id: number, now: number): Promise<boolean> {
  const window = await src.maintenance.window(id);
  if (!window) return false;
  await src.maintenance.deleteWindow(id);
  await remark(src, window, now);
  return true;
}

/** The maintenance window a check is in at `at` (for alerting: hold back notices), or undefined. */
export async function isInMaintenance(src: AvailabilitySource, check: CheckRef, at: number): Promise<MaintenanceWindow | undefined> {
  const clientId = (await agentInfo(src, check.agentId))?.clientId;
  if (clientId === undefined) return undefined;
  return (await windowsOfClient(src, clientId)).find((w) => windowApplies(w, check) && occurrences(w, at, at + 1).length > 0);
}
