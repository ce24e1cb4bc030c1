/** The raw data availability is computed from: checks with their client and SLA role, results, gaps, maintenance. */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/sqlite/database.ts';
import type { Store } from '../store/store.ts';
import type { Span, TimedStatus } from './timeline.ts';
import { occurrences, type MaintenanceWindow, type Recurrence } from './maintenance.ts';

export interface CheckRef {
  agentId: string;
  checkId: string;
}

export interface CheckInfo extends CheckRef {
  kind: string;
  name: string;
  /** The check's current interval; results without their own interval (older agents) count for 2 × this. */
  intervalMs: number;
  /** The longest interval any of its results claimed (0 if none): how far back the result covering a window's start may lie. */
  maxIntervalMs: number;
  agentName: string;
  clientId: number;
  timeZone: string;
  /** The host is DOWN while this check is DOWN. */
  critical: boolean;
  /** Weight in the client's figure; 0 = not covered by the SLA. */
  weight: number;
}

export interface ClientInfo {
  id: number;
  name: string;
  timeZone: string;
  language: 'de' | 'en';
  /** Availability target in parts per million (999000 = 99.9 %). */
  targetPpm: number;
}

export interface RawResult extends TimedStatus {
  seq: number;
  latencyMs: number | null;
}

export const DEFAULT_TARGET_PPM = 999_000; // 99.9 %: what the consultant sells unless a client's contract says otherwise
/** Kinds that describe housekeeping, not the service: a stale backup does not make a host unavailable. */
export const NON_SERVICE_KINDS: ReadonlySet<string> = new Set(['backup', 'patch']);

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, prepared once per database. */
export function prepared(db: Db, sql: string): Statement {
  let map = statements.get(db);
  if (!map) statements.set(db, (map = new Map()));
  let stmt = map.get(sql);
  if (!stmt) map.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** The SQLite database behind a Store: availability reads and writes its own tables with SQL. */
export function dbOf(store: Store): Db {
  const db = (store as { db?: Db }).db;
  if (!db) throw new Error('availability needs the SQLite store (store.db)');
  return db;
}

interface CheckRow {
  agent_id: string; id: string; kind: string; name: string; interval_ms: number; max_interval_ms: number; agent_name: string; client_id: number; timezone: string;
  critical: number | null; weight: number | null;
}

const CHECK_SELECT = `SELECT c.agent_id, c.id, c.kind, c.name, c.interval_ms, c.max_interval_ms, a.name AS agent_name, a.client_id, cl.timezone,
    s.critical, s.weight
  FROM checks c JOIN agents a ON a.id = c.agent_id JOIN clients cl ON cl.id = a.client_id
  LEFT JOIN check_sla s ON s.agent_id = c.agent_id AND s.check_id = c.id`;

function toCheckInfo(r: CheckRow): CheckInfo {
  const service = !NON_SERVICE_KINDS.has(r.kind);
  return {
    agentId: r.agent_id, checkId: r.id, kind: r.kind, name: r.name, intervalMs: r.interval_ms, maxIntervalMs: r.max_interval_ms, agentName: r.agent_name, clientId: r.client_id,
    timeZone: r.timezone, critical: r.critical === null ? service : r.critical === 1, weight: r.weight ?? (service ? 1 : 0),
  };
}

export function checkInfo(db: Db, agentId: string, checkId: string): CheckInfo | undefined {
  const row = prepared(db, `${CHECK_SELECT} WHERE c.agent_id = ? AND c.id = ?`).get(agentId, checkId) as CheckRow | undefined;
  return row && toCheckInfo(row);
}

export function checksOfAgent(db: Db, agentId: string): CheckInfo[] {
  return (prepared(db, `${CHECK_SELECT} WHERE c.agent_id = ? ORDER BY c.id`).all(agentId) as CheckRow[]).map(toCheckInfo);
}

export function checksOfClient(db: Db, clientId: number): CheckInfo[] {
  return (prepared(db, `${CHECK_SELECT} WHERE a.client_id = ? ORDER BY a.name, c.agent_id, c.id`).all(clientId) as CheckRow[]).map(toCheckInfo);
}

export interface AgentInfo {
  id: string;
  name: string;
  hostname: string | null;
  clientId: number;
  timeZone: string;
}

export function agentInfo(db: Db, agentId: string): AgentInfo | undefined {
  return prepared(db, `SELECT a.id, a.name, a.hostname, a.client_id AS clientId, cl.timezone AS timeZone FROM agents a JOIN clients cl ON cl.id = a.client_id WHERE a.id = ?`)
    .get(agentId) as AgentInfo | undefined;
}

export function agentsOfClient(db: Db, clientId: number): AgentInfo[] {
  return prepared(db, `SELECT a.id, a.name, a.hostname, a.client_id AS clientId, cl.timezone AS timeZone FROM agents a JOIN clients cl ON cl.id = a.client_id WHERE a.client_id = ? ORDER BY a.name, a.id`)
    .all(clientId) as AgentInfo[];
}

const targetColumn = new WeakMap<Db, boolean>();
function hasTargetColumn(db: Db): boolean {
  let has = targetColumn.get(db);
  if (has === undefined) {
    has = (prepared(db, `SELECT count(*) FROM pragma_table_info('clients') WHERE name = 'sla_target_ppm'`).pluck().get() as number) > 0;
    targetColumn.set(db, has);
  }
  return has;
}

/** A client by id or name, with its SLA target (the column the management module adds; 99.9 % without it). */
export function clientInfo(db: Db, idOrName: string | number): ClientInfo | undefined {
  const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
  const target = hasTargetColumn(db) ? 'sla_target_ppm' : String(DEFAULT_TARGET_PPM);
  const row = prepared(db, `SELECT id, name, timezone AS timeZone, language, ${target} AS targetPpm FROM clients WHERE ${byId ? 'id' : 'name'} = ?`)
    .get(byId ? Number(idOrName) : idOrName) as ClientInfo | undefined;
  return row;
}

/** How far before a window the result covering its start may have started: 2 × the longest interval the check had. */
export function lookbackMs(check: Pick<CheckInfo, 'intervalMs'> & Partial<Pick<CheckInfo, 'maxIntervalMs'>>): number {
  return 2 * Math.max(check.intervalMs, check.maxIntervalMs ?? 0);
}

/** Results of one check starting in [from − lookback, to): enough to know the state from `from` on. */
export function rawResults(
  db: Db, check: Pick<CheckInfo, 'agentId' | 'checkId' | 'intervalMs'> & Partial<Pick<CheckInfo, 'maxIntervalMs'>>, from: number, to: number,
  want: { messages?: boolean; latency?: boolean } = {},
): RawResult[] {
  const sql = `SELECT seq, started_at AS startedAt, status, interval_ms AS intervalMs, ${want.messages ? 'message' : 'NULL AS message'},
      ${want.latency ? `coalesce(json_extract(metrics_json, '$.latency_ms'), json_extract(metrics_json, '$.rtt_avg_ms'))` : 'NULL'} AS latencyMs
    FROM results WHERE agent_id = ? AND check_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, seq`;
  const rows = prepared(db, sql).all(check.agentId, check.checkId, from - lookbackMs(check), to) as Array<
    Omit<RawResult, 'message' | 'intervalMs'> & { message: string | null; intervalMs: number | null }
  >;
  return rows.map(({ message, intervalMs, ...r }) => {
    const raw: RawResult = r;
    if (message !== null) raw.message = message;
    if (intervalMs !== null) raw.intervalMs = intervalMs;
    return raw;
  });
}

/** Spans the agent's spool dropped, overlapping [from, to). */
export function gapSpans(db: Db, agentId: string, from: number, to: number): Span[] {
  return prepared(db, `SELECT from_at AS "from", to_at AS "to" FROM gaps WHERE agent_id = ? AND to_at > ? AND from_at < ?`).all(agentId, from, to) as Span[];
}

interface WindowRow {
  id: number; client_id: number; agent_id: string | null; check_id: string | null; title: string; recurrence: Recurrence;
  starts_at: number; ends_at: number | null; local_time: string | null; duration_ms: number | null; weekdays: number | null; timezone: string;
}

function toWindow(r: WindowRow): MaintenanceWindow {
  return {
    id: r.id, clientId: r.client_id, agentId: r.agent_id, checkId: r.check_id, title: r.title, recurrence: r.recurrence, startsAt: r.starts_at,
    endsAt: r.ends_at, localTime: r.local_time, durationMs: r.duration_ms, weekdays: r.weekdays, timeZone: r.timezone,
  };
}

// Windows are read for every raw computation; cache them per client until this connection writes them
// (forgetMaintenanceCache) or another connection commits anything (PRAGMA data_version changes).
const windowCache = new WeakMap<Db, { dataVersion: number; byClient: Map<number, MaintenanceWindow[]> }>();

export function forgetMaintenanceCache(db: Db): void {
  windowCache.delete(db);
}

/** Every maintenance window of a client (all scopes), with the client's time zone. */
export function windowsOfClient(db: Db, clientId: number): MaintenanceWindow[] {
  const dataVersion = prepared(db, 'PRAGMA data_version').pluck().get() as number;
  let cache = windowCache.get(db);
  if (!cache || cache.dataVersion !== dataVersion) windowCache.set(db, (cache = { dataVersion, byClient: new Map() }));
  let windows = cache.byClient.get(clientId);
  if (!windows) {
    windows = (prepared(db, `SELECT w.*, cl.timezone FROM maintenance_windows w JOIN clients cl ON cl.id = w.client_id WHERE w.client_id = ? ORDER BY w.id`)
      .all(clientId) as WindowRow[]).map(toWindow);
    cache.byClient.set(clientId, windows);
  }
  return windows;
}

export function windowById(db: Db, id: number): MaintenanceWindow | undefined {
  const row = prepared(db, `SELECT w.*, cl.timezone FROM maintenance_windows w JOIN clients cl ON cl.id = w.client_id WHERE w.id = ?`).get(id) as WindowRow | undefined;
  return row && toWindow(row);
}

export function windowApplies(w: MaintenanceWindow, check: CheckRef): boolean {
  return (w.agentId === null || w.agentId === check.agentId) && (w.checkId === null || w.checkId === check.checkId);
}

/** The maintenance spans that apply to a check within [from, to). */
export function maintenanceSpans(db: Db, check: CheckRef & { clientId: number }, from: number, to: number): Span[] {
  return windowsOfClient(db, check.clientId)
    .filter((w) => windowApplies(w, check))
    .flatMap((w) => occurrences(w, from, to));
}
