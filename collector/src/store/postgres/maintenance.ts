/** The maintenance repository on PostgreSQL: the maintenance_windows table, joined with the client's time zone. */
import type { PgConnection } from './connection.ts';
import type { MaintenanceRepository, MaintenanceWindow, NewMaintenanceWindow, Recurrence } from '../maintenance.ts';

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

/**
 * Unlike SQLite's, this does not cache a client's windows: SQLite learns of another connection's writes from
 * PRAGMA data_version, but here another collector may add a window at any time and nothing here would tell. Each
 * call is one indexed query (maintenance_windows_client); a cache would need LISTEN/NOTIFY (issue 24, part 2).
 */
export class PgMaintenance implements MaintenanceRepository {
  constructor(private readonly db: PgConnection) {}

  async windowsOfClient(clientId: number): Promise<MaintenanceWindow[]> {
    return (await this.db.rows<WindowRow>(`${WINDOW_SELECT} WHERE w.client_id = $1 ORDER BY w.id`, [clientId])).map(toWindow);
  }

  async window(id: number): Promise<MaintenanceWindow | undefined> {
    const row = await this.db.row<WindowRow>(`${WINDOW_SELECT} WHERE w.id = $1`, [id]);
    return row && toWindow(row);
  }

  async createWindow(w: NewMaintenanceWindow, now: number): Promise<MaintenanceWindow> {
    const { id } = (await this.db.row<{ id: number }>(
      `INSERT INTO maintenance_windows (client_id, agent_id, check_id, title, recurrence, starts_at, ends_at, local_time, duration_ms, weekdays, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [w.clientId, w.agentId, w.checkId, w.title, w.recurrence, w.startsAt, w.endsAt, w.localTime, w.durationMs, w.weekdays, now],
    ))!;
    return (await this.window(id))!;
  }

  async deleteWindow(id: number): Promise<boolean> {
    return (await this.db.run(`DELETE FROM maintenance_windows WHERE id = $1`, [id])) > 0;
  }
}
