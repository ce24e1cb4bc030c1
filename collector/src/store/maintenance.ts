/** Maintenance windows as stored: announced work whose spans count MAINTENANCE. Validation and occurrences live in availability/maintenance.ts. */

export type Recurrence = 'once' | 'daily' | 'weekly';

export interface MaintenanceWindow {
  id: number;
  clientId: number;
  /** null: every host of the client. */
  agentId: string | null;
  /** null: every check of the host (or of the client). */
  checkId: string | null;
  title: string;
  recurrence: Recurrence;
  /** once: start of the window. Recurring: no occurrence starts before this instant. */
  startsAt: number;
  /** once: end of the window. Recurring: no occurrence starts at or after this (null = open-ended). */
  endsAt: number | null;
  /** Recurring: local start time "HH:MM". */
  localTime: string | null;
  /** Recurring: length of each occurrence. */
  durationMs: number | null;
  /** Weekly: ISO weekdays as a bit set, Monday = bit 0 … Sunday = bit 6. */
  weekdays: number | null;
  /** Time zone of localTime; the client's. */
  timeZone: string;
}

/** A window to store: everything but its id and the client's time zone. */
export type NewMaintenanceWindow = Omit<MaintenanceWindow, 'id' | 'timeZone'>;

export interface MaintenanceRepository {
  /**
   * Every window of a client (all scopes), by id, with the client's time zone. Read for every raw
   * computation, so implementations may cache it until a window changes.
   */
  windowsOfClient(clientId: number): Promise<MaintenanceWindow[]>;
  /** One window; undefined if none. */
  window(id: number): Promise<MaintenanceWindow | undefined>;
  /** Stores a window (already validated) and returns it as stored. */
  createWindow(window: NewMaintenanceWindow, now: number): Promise<MaintenanceWindow>;
  /** Deletes a window; false if there was none. */
  deleteWindow(id: number): Promise<boolean>;
}
