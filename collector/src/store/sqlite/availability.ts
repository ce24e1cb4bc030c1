import type { Synchronous } from '../synchronous.ts';
/** The availability repository on SQLite: the tables of migration 003 plus checks, results and gaps. */
import type { ResultParams, Status } from '@nines/shared';
import type {
  AvailabilityCheckRecord, AvailabilityRepository, DirtyHours, HostRecord, KindResultRecord, RawResultRecord, RetentionDeleted, RollupFigures,
  RollupRow, RollupWrite, SeriesRef, SlaClientRecord, TimeSpan,
} from '../availability.ts';
import { byAgent, bySeries, rawResultOf, type RawResultRow } from '../availability.ts';
import type { Db } from './database.ts';
import { prepared } from './statements.ts';

const DEFAULT_TARGET_PPM = 999_000; // the column's default (migration 005), for a database from before it

interface CheckRow {
  agent_id: string; id: string; kind: string; name: string; interval_ms: number; max_interval_ms: number; agent_name: string; client_id: number; timezone: string;
  critical: number | null; weight: number | null;
}

const CHECK_SELECT = `SELECT c.agent_id, c.id, c.kind, c.name, c.interval_ms, c.max_interval_ms, a.name AS agent_name, a.client_id, cl.timezone,
    s.critical, s.weight
  FROM checks c JOIN agents a ON a.id = c.agent_id JOIN clients cl ON cl.id = a.client_id
  LEFT JOIN check_sla s ON s.agent_id = c.agent_id AND s.check_id = c.id`;

const toCheck = (r: CheckRow): AvailabilityCheckRecord => ({
  agentId: r.agent_id, checkId: r.id, kind: r.kind, name: r.name, intervalMs: r.interval_ms, maxIntervalMs: r.max_interval_ms, agentName: r.agent_name,
  clientId: r.client_id, timeZone: r.timezone, critical: r.critical === null ? null : r.critical === 1, weight: r.weight,
});

const HOST_SELECT = `SELECT a.id, a.name, a.hostname, a.client_id AS clientId, cl.timezone AS timeZone FROM agents a JOIN clients cl ON cl.id = a.client_id`;


interface KindRow {
  agent_name: string; check_name: string; check_id: string; agent_id: string; status: Status; message: string; metrics_json: string; started_at: number;
  code: string | null; params_json: string | null;
}

const ROW_COLUMNS = `up_ms AS upMs, down_ms AS downMs, unknown_ms AS unknownMs, maintenance_ms AS maintenanceMs, results, failures`;
const UPSERT_COLUMNS = `up_ms, down_ms, unknown_ms, maintenance_ms, results, failures, latency_p50, latency_p95, latency_p99`;
const UPSERT_VALUES = `@upMs, @downMs, @unknownMs, @maintenanceMs, @results, @failures, @latencyP50, @latencyP95, @latencyP99`;
const HOUR_MS = 3_600_000; // an hour row's span
/**
 * The asked series as a relation, scanned first (CROSS JOIN keeps it outside), each found by its table's index; `s.key`
 * is the series' place in the list. Its parameter is seriesParam's JSON.
 */
const SERIES = `json_each(?) s`;
/** A result's columns as RawResultRow names them, of `results r`: message and latency only when asked for. */
const resultColumns = (want: { messages?: boolean; latency?: boolean }) => `r.seq, r.started_at AS startedAt, r.status, r.interval_ms AS intervalMs,
  ${want.messages ? 'r.message' : 'NULL AS message'},
  ${want.latency ? `coalesce(json_extract(r.metrics_json, '$.latency_ms'), json_extract(r.metrics_json, '$.rtt_avg_ms'))` : 'NULL'} AS latencyMs`;
const seriesParam = (series: readonly SeriesRef[]): string => JSON.stringify(series.map((s) => [s.agentId, s.checkId]));

/** Only the figure columns: better-sqlite3 refuses named parameters the statement does not use. */
const figureParams = (f: RollupFigures) => ({
  upMs: f.upMs, downMs: f.downMs, unknownMs: f.unknownMs, maintenanceMs: f.maintenanceMs, results: f.results, failures: f.failures,
  latencyP50: f.latencyP50, latencyP95: f.latencyP95, latencyP99: f.latencyP99,
});

export class SqliteAvailability implements Synchronous<AvailabilityRepository> {
  private hasTargetColumn: boolean | undefined;

  constructor(private readonly db: Db) {}

  check(agentId: string, checkId: string): AvailabilityCheckRecord | undefined {
    const row = prepared(this.db, `${CHECK_SELECT} WHERE c.agent_id = ? AND c.id = ?`).get(agentId, checkId) as CheckRow | undefined;
    return row && toCheck(row);
  }

  checksOfAgent(agentId: string): AvailabilityCheckRecord[] {
    return (prepared(this.db, `${CHECK_SELECT} WHERE c.agent_id = ? ORDER BY c.id`).all(agentId) as CheckRow[]).map(toCheck);
  }

  checksOfClient(clientId: number): AvailabilityCheckRecord[] {
    return (prepared(this.db, `${CHECK_SELECT} WHERE a.client_id = ? ORDER BY a.name, c.agent_id, c.id`).all(clientId) as CheckRow[]).map(toCheck);
  }

  host(agentId: string): HostRecord | undefined {
    return prepared(this.db, `${HOST_SELECT} WHERE a.id = ?`).get(agentId) as HostRecord | undefined;
  }

  hostsOfClient(clientId: number): HostRecord[] {
    return prepared(this.db, `${HOST_SELECT} WHERE a.client_id = ? ORDER BY a.name, a.id`).all(clientId) as HostRecord[];
  }

  client(idOrName: string | number): SlaClientRecord | undefined {
    const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
    this.hasTargetColumn ??=
      (prepared(this.db, `SELECT count(*) FROM pragma_table_info('clients') WHERE name = 'sla_target_ppm'`).pluck().get() as number) > 0;
    const target = this.hasTargetColumn ? 'sla_target_ppm' : String(DEFAULT_TARGET_PPM);
    return prepared(this.db, `SELECT id, name, timezone AS timeZone, language, ${target} AS targetPpm, created_at AS createdAt FROM clients WHERE ${byId ? 'id' : 'name'} = ?`)
      .get(byId ? Number(idOrName) : idOrName) as SlaClientRecord | undefined;
  }

  checkIntervals(agentId: string, checkIds?: Iterable<string>): ReadonlyMap<string, { intervalMs: number; maxIntervalMs: number }> {
    // Only the asked-for checks when given: a mark burst of 10 results must not read all 1,000 checks of the host (issue 18).
    const rows = (checkIds === undefined
      ? prepared(this.db, `SELECT id, interval_ms, max_interval_ms FROM checks WHERE agent_id = ?`).raw().all(agentId)
      : prepared(this.db, `SELECT id, interval_ms, max_interval_ms FROM checks WHERE agent_id = ? AND id IN (SELECT value FROM json_each(?))`)
        .raw().all(agentId, JSON.stringify([...checkIds]))) as Array<[string, number, number]>;
    return new Map(rows.map(([id, intervalMs, maxIntervalMs]) => [id, { intervalMs, maxIntervalMs }]));
  }

  results(agentId: string, checkId: string, from: number, to: number, want: { messages?: boolean; latency?: boolean } = {}): RawResultRecord[] {
    const sql = `SELECT ${resultColumns(want)} FROM results r
      WHERE r.agent_id = ? AND r.check_id = ? AND r.started_at >= ? AND r.started_at < ? ORDER BY r.started_at, r.seq`;
    const rows = prepared(this.db, sql).all(agentId, checkId, from, to) as RawResultRow[];
    return rows.map(rawResultOf);
  }

  gaps(agentId: string, from: number, to: number): TimeSpan[] {
    return prepared(this.db, `SELECT from_at AS "from", to_at AS "to" FROM gaps WHERE agent_id = ? AND to_at > ? AND from_at < ?`).all(agentId, from, to) as TimeSpan[];
  }

  resultCode(agentId: string, seq: number): { code: string | null; params: ResultParams | null } | undefined {
    const row = prepared(this.db, `SELECT code, params_json FROM results WHERE agent_id = ? AND seq = ?`).get(agentId, seq) as
      | { code: string | null; params_json: string | null }
      | undefined;
    return row && { code: row.code, params: row.params_json ? (JSON.parse(row.params_json) as ResultParams) : null };
  }

  oldestResult(agentId: string, checkId?: string): number | null {
    return checkId === undefined
      // Each check's oldest from result_rows_timeline: a few index probes, not a walk over every row of the agent.
      ? (prepared(this.db, `SELECT min((SELECT min(r.started_at) FROM result_rows r WHERE r.result_check_id = c.id))
          FROM result_checks c JOIN result_agents a ON a.id = c.result_agent_id WHERE a.agent_id = ?`).pluck().get(agentId) as number | null)
      : (prepared(this.db, `SELECT min(started_at) FROM results WHERE agent_id = ? AND check_id = ?`).pluck().get(agentId, checkId) as number | null);
  }

  resultsOfKind(clientId: number, kind: string, from: number, to: number): KindResultRecord[] {
    // CROSS JOIN: the checks first, then each one's rows along result_rows_timeline; left to itself the planner walks
    // every row of each agent of the client (the view's tables give it no statistics to know better).
    const rows = prepared(this.db, `SELECT a.name AS agent_name, c.name AS check_name, c.id AS check_id, a.id AS agent_id, r.status, r.message, r.metrics_json, r.started_at,
        r.code, r.params_json
        FROM checks c JOIN agents a ON a.id = c.agent_id CROSS JOIN results r ON r.agent_id = c.agent_id AND r.check_id = c.id
        WHERE a.client_id = ? AND c.kind = ? AND r.started_at >= ? AND r.started_at < ? ORDER BY a.name, c.name, r.started_at, r.seq`)
      .all(clientId, kind, from, to) as KindRow[];
    return rows.map((r) => ({
      agentId: r.agent_id, agentName: r.agent_name, checkId: r.check_id, checkName: r.check_name, status: r.status, message: r.message,
      metrics: JSON.parse(r.metrics_json) as Record<string, unknown>, startedAt: r.started_at, code: r.code,
      params: r.params_json ? (JSON.parse(r.params_json) as ResultParams) : null,
    }));
  }

  dirtyHoursBetween(agentId: string, checkId: string, after: number, before: number): number[] {
    return prepared(this.db, `SELECT hour_at FROM availability_dirty WHERE agent_id = ? AND check_id = ? AND hour_at > ? AND hour_at < ?`)
      .pluck().all(agentId, checkId, after, before) as number[];
  }

  dayRollups(agentId: string, checkId: string, from: number, to: number): RollupRow[] {
    return prepared(this.db, `SELECT start_at AS start, end_at AS "end", ${ROW_COLUMNS} FROM availability_days WHERE agent_id = ? AND check_id = ? AND start_at >= ? AND start_at < ?`)
      .all(agentId, checkId, from, to) as RollupRow[];
  }

  hourRollups(agentId: string, checkId: string, from: number, to: number): RollupRow[] {
    return prepared(this.db, `SELECT start_at AS start, start_at + ${HOUR_MS} AS "end", ${ROW_COLUMNS} FROM availability_hours WHERE agent_id = ? AND check_id = ? AND start_at >= ? AND start_at < ?`)
      .all(agentId, checkId, from, to) as RollupRow[];
  }

  resultsOfSeries(series: readonly SeriesRef[], from: number, to: number, want: { messages?: boolean; latency?: boolean } = {}): Map<string, RawResultRecord[]> {
    const sql = `SELECT r.agent_id, r.check_id, ${resultColumns(want)} FROM ${SERIES} CROSS JOIN results r
      WHERE r.agent_id = s.value ->> 0 AND r.check_id = s.value ->> 1 AND r.started_at >= ? AND r.started_at < ? ORDER BY s.key, r.started_at, r.seq`;
    const rows = prepared(this.db, sql).all(seriesParam(series), from, to) as Array<RawResultRow & { agent_id: string; check_id: string }>;
    return bySeries(series, rows, rawResultOf);
  }

  dirtyHoursOfSeries(series: readonly SeriesRef[], after: number, before: number): Map<string, number[]> {
    const rows = prepared(this.db, `SELECT d.agent_id, d.check_id, d.hour_at FROM ${SERIES} CROSS JOIN availability_dirty d
      WHERE d.agent_id = s.value ->> 0 AND d.check_id = s.value ->> 1 AND d.hour_at > ? AND d.hour_at < ? ORDER BY s.key, d.hour_at`)
      .all(seriesParam(series), after, before) as Array<{ agent_id: string; check_id: string; hour_at: number }>;
    return bySeries(series, rows, (r) => r.hour_at);
  }

  dayRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Map<string, RollupRow[]> {
    const rows = prepared(this.db, `SELECT d.agent_id, d.check_id, d.start_at AS start, d.end_at AS "end", ${ROW_COLUMNS} FROM ${SERIES} CROSS JOIN availability_days d
      WHERE d.agent_id = s.value ->> 0 AND d.check_id = s.value ->> 1 AND d.start_at >= ? AND d.start_at < ? ORDER BY s.key, d.start_at`)
      .all(seriesParam(series), from, to) as Array<RollupRow & { agent_id: string; check_id: string }>;
    return bySeries(series, rows, ({ agent_id: _agent, check_id: _check, ...row }) => row);
  }

  hourRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Map<string, RollupRow[]> {
    const rows = prepared(this.db, `SELECT h.agent_id, h.check_id, h.start_at AS start, h.start_at + ${HOUR_MS} AS "end", ${ROW_COLUMNS} FROM ${SERIES} CROSS JOIN availability_hours h
      WHERE h.agent_id = s.value ->> 0 AND h.check_id = s.value ->> 1 AND h.start_at >= ? AND h.start_at < ? ORDER BY s.key, h.start_at`)
      .all(seriesParam(series), from, to) as Array<RollupRow & { agent_id: string; check_id: string }>;
    return bySeries(series, rows, ({ agent_id: _agent, check_id: _check, ...row }) => row);
  }

  gapsOfAgents(agentIds: readonly string[], from: number, to: number): Map<string, TimeSpan[]> {
    const rows = prepared(this.db, `SELECT g.agent_id, g.from_at AS "from", g.to_at AS "to" FROM json_each(?) s CROSS JOIN gaps g
      WHERE g.agent_id = s.value AND g.to_at > ? AND g.from_at < ? ORDER BY s.key, g.from_at, g.to_at`)
      .all(JSON.stringify(agentIds), from, to) as Array<TimeSpan & { agent_id: string }>;
    return byAgent(agentIds, rows, ({ agent_id: _agent, ...span }) => span);
  }

  markDirty(marks: readonly DirtyHours[]): void {
    const insert = prepared(this.db, `INSERT OR IGNORE INTO availability_dirty (agent_id, check_id, hour_at) VALUES (?, ?, ?)`);
    this.db.transaction(() => {
      for (const { agentId, checkId, hours } of marks) for (const h of hours) insert.run(agentId, checkId, h);
    })();
  }

  dirtyBatch(limit: number, lastHour = Number.MAX_SAFE_INTEGER): DirtyHours[] {
    const batch = prepared(this.db, `SELECT agent_id, check_id, hour_at FROM availability_dirty WHERE hour_at <= ? ORDER BY agent_id, check_id, hour_at LIMIT ?`)
      .raw().all(lastHour, limit) as Array<[string, string, number]>;
    const groups: Array<{ agentId: string; checkId: string; hours: number[] }> = [];
    for (const [agentId, checkId, hourAt] of batch) {
      const last = groups.at(-1);
      if (last && last.agentId === agentId && last.checkId === checkId) last.hours.push(hourAt);
      else groups.push({ agentId, checkId, hours: [hourAt] });
    }
    return groups;
  }

  writeRollups(taken: readonly DirtyHours[], rows: RollupWrite): void {
    const db = this.db;
    db.transaction(() => {
      const dropDays = prepared(db, `DELETE FROM availability_days WHERE agent_id = ? AND check_id = ? AND start_at < ? AND end_at > ?`);
      const insertDay = prepared(db, `INSERT INTO availability_days (agent_id, check_id, start_at, end_at, ${UPSERT_COLUMNS}) VALUES (@agentId, @checkId, @start, @end, ${UPSERT_VALUES})`);
      const upsertHour = prepared(db, `INSERT OR REPLACE INTO availability_hours (agent_id, check_id, start_at, ${UPSERT_COLUMNS}) VALUES (@agentId, @checkId, @start, ${UPSERT_VALUES})`);
      for (const d of rows.days) {
        dropDays.run(d.agentId, d.checkId, d.end, d.start);
        insertDay.run({ agentId: d.agentId, checkId: d.checkId, start: d.start, end: d.end, ...figureParams(d.figures) });
      }
      for (const h of rows.hours) upsertHour.run({ agentId: h.agentId, checkId: h.checkId, start: h.start, ...figureParams(h.figures) });
      const forget = prepared(db, `DELETE FROM availability_dirty WHERE agent_id = ? AND check_id = ? AND hour_at = ?`);
      for (const { agentId, checkId, hours } of taken) for (const hourAt of hours) forget.run(agentId, checkId, hourAt);
    })();
  }

  deleteExpired({ rawBefore, hourlyBefore }: { rawBefore: number | null; hourlyBefore: number | null }): RetentionDeleted {
    const out = { results: 0, gaps: 0, hours: 0 };
    if (rawBefore !== null) {
      // The compact rows themselves (the view's trigger would delete them one at a time), then the contents no row says
      // any more: one pass over result_rows, only when rows went.
      out.results = prepared(this.db, `DELETE FROM result_rows WHERE started_at < ?`).run(rawBefore).changes;
      if (out.results > 0) prepared(this.db, `DELETE FROM result_contents WHERE id NOT IN (SELECT result_content_id FROM result_rows)`).run();
      out.gaps = prepared(this.db, `DELETE FROM gaps WHERE to_at < ?`).run(rawBefore).changes;
    }
    if (hourlyBefore !== null) out.hours = prepared(this.db, `DELETE FROM availability_hours WHERE start_at < ?`).run(hourlyBefore).changes;
    return out;
  }

  setCheckRole(agentId: string, checkId: string, role: { critical: boolean; weight: number } | null): void {
    if (role === null) prepared(this.db, `DELETE FROM check_sla WHERE agent_id = ? AND check_id = ?`).run(agentId, checkId);
    else prepared(this.db, `INSERT OR REPLACE INTO check_sla (agent_id, check_id, critical, weight) VALUES (?, ?, ?, ?)`).run(agentId, checkId, role.critical ? 1 : 0, role.weight);
  }

  isOpen(): boolean {
    return this.db.open;
  }
}
