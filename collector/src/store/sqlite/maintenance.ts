import type { Synchronous } from '../synchronous.ts';
/** The maintenance repository on SQLite: the maintenance_windows table, joined with the client's time zone. */
import type { MaintenanceRepository, MaintenanceWindow, NewMaintenanceWindow, Recurrence } from '../maintenance.ts';
import type { Db } from './database.ts';
import { prepared } from './statements.ts';

interface WindowRow {
  id: number; client_id: number; agent_id: string | null; check_id: string | null; title: string; recurrence: Recurrence;
  starts_at: number; ends_at: number | null; local_time: string | null; duration_ms: number | null; weekdays: number | null; timezone: string;
}

const toWindow = (r: WindowRow): MaintenanceWindow => ({
  id: r.id, clientId: r.client_id, agentId: r.agent_id, checkId: r.check_id, title: r.title, recurrence: r.recurrence, startsAt: r.starts_at,
  endsAt: r.ends_at, localTime: r.local_time, durationMs: r.duration_ms, weekdays: r.weekdays, timeZone: r.timezone,
});

const WINDOW_SELECT = `SELECT w.id, w.client_id, w.agent_id, w.check_id, w.title, w.recurrence, w.starts_at, w.ends_at, w.local_time, w.duration_ms, w.weekdays,
    cl.timezone FROM maintenance_windows w JOIN clients cl ON cl.id = w.client_id`;

export class SqliteMaintenance implements Synchronous<MaintenanceRepository> {
  /**
   * Windows are read for every raw computation: cached per client until this repository writes them or
   * another connection commits anything (PRAGMA data_version changes; the CLI may add a window).
   */
  private cache: { dataVersion: number; byClient: Map<number, MaintenanceWindow[]> } | undefined;

  constructor(private readonly db: Db) {}

  windowsOfClient(clientId: number): MaintenanceWindow[] {
    const dataVersion = prepared(this.db, 'PRAGMA data_version').pluck().get() as number;
    if (!this.cache || this.cache.dataVersion !== dataVersion) this.cache = { dataVersion, byClient: new Map() };
    let windows = this.cache.byClient.get(clientId);
    if (!windows) {
      windows = (prepared(this.db, `${WINDOW_SELECT} WHERE w.client_id = ? ORDER BY w.id`).all(clientId) as WindowRow[]).map(toWindow);
      this.cache.byClient.set(clientId, windows);
    }
    return windows;
  }

  window(id: number): MaintenanceWindow | undefined {
    const row = prepared(this.db, `${WINDOW_SELECT} WHERE w.id = ?`).get(id) as WindowRow | undefined;
    return row && toWindow(row);
  }

  createWindow(w: NewMaintenanceWindow, now: number): MaintenanceWindow {
    const info = prepared(
      this.db,
      `INSERT INTO maintenance_windows (client_id, agent_id, check_id, title, recurrence, starts_at, ends_at, local_time, duration_ms, weekdays, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(w.clientId, w.agentId, w.checkId, w.title, w.recurrence, w.startsAt, w.endsAt, w.localTime, w.durationMs, w.weekdays, now);
    this.cache = undefined;
    return this.window(Number(info.lastInsertRowid))!;
  }

  deleteWindow(id: number): boolean {
    const deleted = prepared(this.db, `DELETE FROM maintenance_windows WHERE id = ?`).run(id).changes > 0;
    this.cache = undefined;
    return deleted;
  }
}
