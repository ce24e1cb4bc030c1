/** The availability repository on PostgreSQL: the rollup tables plus checks, results and gaps. */
import type { ResultParams, Status } from '@nines/shared';
import type {
  AvailabilityCheckRecord, AvailabilityRepository, DirtyHours, HostRecord, KindResultRecord, RawResultRecord, RetentionDeleted, RollupFigures,
  RollupRow, RollupWrite, SeriesRef, SlaClientRecord, TimeSpan,
} from '../availability.ts';
import { byAgent, bySeries, rawResultOf, type RawResultRow } from '../availability.ts';
import type { PgConnection } from './connection.ts';
import { monthPartitions, monthStart } from './partitions.ts';

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

// Quoted aliases throughout: PostgreSQL folds unquoted names to lower case.
const HOST_SELECT = `SELECT a.id, a.name, a.hostname, a.client_id AS "clientId", cl.timezone AS "timeZone" FROM agents a JOIN clients cl ON cl.id = a.client_id`;


interface KindRow {
  agent_name: string; check_name: string; check_id: string; agent_id: string; status: Status; message: string; metrics_json: string; started_at: number;
  code: string | null; params_json: string | null;
}

/** A result's columns as RawResultRow names them, of `results r`: message and latency (from metricsOf) only when asked for. */
const resultColumns = (want: { messages?: boolean; latency?: boolean }) => `r.seq, r.started_at AS "startedAt", r.status, r.interval_ms AS "intervalMs",
  ${want.messages ? 'r.message' : 'NULL AS message'},
  ${want.latency ? `coalesce(${metricNumber('latency_ms')}, ${metricNumber('rtt_avg_ms')})` : 'NULL::float8'} AS "latencyMs"`;
/** The metrics as jsonb once per row, when latency is asked for. */
const metricsOf = (want: { latency?: boolean }) => (want.latency ? 'CROSS JOIN LATERAL (SELECT r.metrics_json::jsonb AS metrics) m' : '');
/** The agent ids and check ids of series as two parameter arrays, for unnest. */
const seriesArrays = (series: readonly SeriesRef[]): [string[], string[]] => [series.map((s) => s.agentId), series.map((s) => s.checkId)];
/** The asked series as a relation: joined first, each found by the series' index. */
const SERIES = `unnest($1::text[], $2::text[]) AS s (agent_id, check_id)`;

const ROW_COLUMNS = `up_ms AS "upMs", down_ms AS "downMs", unknown_ms AS "unknownMs", maintenance_ms AS "maintenanceMs", results, failures`;
const FIGURE_COLUMNS = `up_ms, down_ms, unknown_ms, maintenance_ms, results, failures, latency_p50, latency_p95, latency_p99`;
const FIGURE_TYPES = `$4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::float8[], $11::float8[], $12::float8[]`;
const HOUR_MS = 3_600_000; // an hour row's span
const UPDATE_FIGURES = FIGURE_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ');
/**
 * A day row of the same start can only be there when another collector's flush step wrote it since this step's
 * delete (the delete removed every overlapping one, and the survivors of a step do not overlap): the later
 * write wins, as it would have one after the other, instead of failing the step on the key.
 */
const UPDATE_DAY = `end_at = excluded.end_at, ${UPDATE_FIGURES}`;
const DROP_LOCK_TIMEOUT = '2s'; // how long dropping an expired month waits for readers of results
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * One metric as a number, as SQLite's json_extract gives it for a number. Only JSON numbers: a metric that is
 * not one (the agent's metrics are numbers, so this is no case in practice) reads as absent here, where SQLite
 * would hand over its text; a cast of it would fail the whole read.
 */
const metricNumber = (key: string) => `CASE WHEN jsonb_typeof(m.metrics -> '${key}') = 'number' THEN (m.metrics ->> '${key}')::float8 END`;

/** Parameter arrays of figures, in FIGURE_COLUMNS order. */
function figureArrays(figures: readonly RollupFigures[]): unknown[][] {
  return [
    figures.map((f) => f.upMs), figures.map((f) => f.downMs), figures.map((f) => f.unknownMs), figures.map((f) => f.maintenanceMs),
    figures.map((f) => f.results), figures.map((f) => f.failures), figures.map((f) => f.latencyP50), figures.map((f) => f.latencyP95), figures.map((f) => f.latencyP99),
  ];
}

/**
 * SQLite writes the day rows of a step one by one, each deleting every stored row it overlaps first; here the
 * deletes of all of them go in one statement, then the inserts in one. A day that a later day of the same step
 * overlaps is not inserted (SQLite's later delete would remove it), though its own delete still happens. Of hour
 * rows with one key the last is kept, as SQLite's INSERT OR REPLACE keeps it.
 */
function survivingDays(days: RollupWrite['days']): RollupWrite['days'] {
  return days.filter((d, i) => !days.some((later, j) => j > i && later.agentId === d.agentId && later.checkId === d.checkId && later.start < d.end && later.end > d.start));
}

function lastPerHour(hours: RollupWrite['hours']): RollupWrite['hours'] {
  const byKey = new Map<string, RollupWrite['hours'][number]>();
  for (const h of hours) {
    const key = `${h.agentId}\u0000${h.checkId}\u0000${h.start}`;
    byKey.delete(key); // re-inserted: the map keeps the order of last writes
    byKey.set(key, h);
  }
  return [...byKey.values()];
}

/** The (agent, check, hour) triples of marks as three parameter arrays. */
function markArrays(marks: readonly DirtyHours[]): [string[], string[], number[]] {
  const agents: string[] = [];
  const checks: string[] = [];
  const hours: number[] = [];
  for (const { agentId, checkId, hours: hs } of marks) {
    for (const h of hs) {
      agents.push(agentId);
      checks.push(checkId);
      hours.push(h);
    }
  }
  return [agents, checks, hours];
}

export class PgAvailability implements AvailabilityRepository {
  constructor(private readonly db: PgConnection) {}

  async check(agentId: string, checkId: string): Promise<AvailabilityCheckRecord | undefined> {
    const row = await this.db.row<CheckRow>(`${CHECK_SELECT} WHERE c.agent_id = $1 AND c.id = $2`, [agentId, checkId]);
    return row && toCheck(row);
  }

  async checksOfAgent(agentId: string): Promise<AvailabilityCheckRecord[]> {
    return (await this.db.rows<CheckRow>(`${CHECK_SELECT} WHERE c.agent_id = $1 ORDER BY c.id`, [agentId])).map(toCheck);
  }

  async checksOfClient(clientId: number): Promise<AvailabilityCheckRecord[]> {
    return (await this.db.rows<CheckRow>(`${CHECK_SELECT} WHERE a.client_id = $1 ORDER BY a.name, c.agent_id, c.id`, [clientId])).map(toCheck);
  }

  host(agentId: string): Promise<HostRecord | undefined> {
    return this.db.row<HostRecord>(`${HOST_SELECT} WHERE a.id = $1`, [agentId]);
  }

  hostsOfClient(clientId: number): Promise<HostRecord[]> {
    return this.db.rows<HostRecord>(`${HOST_SELECT} WHERE a.client_id = $1 ORDER BY a.name, a.id`, [clientId]);
  }

  async client(idOrName: string | number): Promise<SlaClientRecord | undefined> {
    const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
    // A number past BIGINT names no client (SQLite answers none too, where PostgreSQL would refuse the parameter).
    if (byId && !Number.isSafeInteger(Number(idOrName))) return undefined;
    return this.db.row<SlaClientRecord>(
      `SELECT id, name, timezone AS "timeZone", language, sla_target_ppm AS "targetPpm", created_at AS "createdAt" FROM clients WHERE ${byId ? 'id' : 'name'} = $1`,
      [byId ? Number(idOrName) : idOrName],
    );
  }

  async checkIntervals(agentId: string, checkIds?: Iterable<string>): Promise<ReadonlyMap<string, { intervalMs: number; maxIntervalMs: number }>> {
    // Only the asked-for checks when given: a mark burst of 10 results must not read all 1,000 checks of the host (issue 18).
    const rows = checkIds === undefined
      ? await this.db.rows<{ id: string; interval_ms: number; max_interval_ms: number }>(`SELECT id, interval_ms, max_interval_ms FROM checks WHERE agent_id = $1`, [agentId])
      : await this.db.rows<{ id: string; interval_ms: number; max_interval_ms: number }>(
        `SELECT id, interval_ms, max_interval_ms FROM checks WHERE agent_id = $1 AND id = ANY($2::text[])`, [agentId, [...checkIds]],
      );
    return new Map(rows.map((r) => [r.id, { intervalMs: r.interval_ms, maxIntervalMs: r.max_interval_ms }]));
  }

  async results(agentId: string, checkId: string, from: number, to: number, want: { messages?: boolean; latency?: boolean } = {}): Promise<RawResultRecord[]> {
    const sql = `SELECT ${resultColumns(want)} FROM results r ${metricsOf(want)}
      WHERE r.agent_id = $1 AND r.check_id = $2 AND r.started_at >= $3 AND r.started_at < $4 ORDER BY r.started_at, r.seq`;
    const rows = await this.db.rows<RawResultRow>(sql, [agentId, checkId, from, to]);
    return rows.map(rawResultOf);
  }

  gaps(agentId: string, from: number, to: number): Promise<TimeSpan[]> {
    return this.db.rows<TimeSpan>(`SELECT from_at AS "from", to_at AS "to" FROM gaps WHERE agent_id = $1 AND to_at > $2 AND from_at < $3 ORDER BY from_at, to_at`, [agentId, from, to]);
  }

  async resultCode(agentId: string, seq: number): Promise<{ code: string | null; params: ResultParams | null } | undefined> {
    const row = await this.db.row<{ code: string | null; params_json: string | null }>(`SELECT code, params_json FROM results WHERE agent_id = $1 AND seq = $2 LIMIT 1`, [agentId, seq]);
    return row && { code: row.code, params: row.params_json ? (JSON.parse(row.params_json) as ResultParams) : null };
  }

  async oldestResult(agentId: string, checkId?: string): Promise<number | null> {
    if (checkId !== undefined) {
      return (await this.db.row<{ oldest: number | null }>(`SELECT min(started_at) AS oldest FROM results WHERE agent_id = $1 AND check_id = $2`, [agentId, checkId]))!.oldest;
    }
    // Each check's oldest along results_timeline: the agent's check ids are walked one index probe each (a loose index
    // scan), as SQLite walks result_checks, not every row of the agent. checks alone would miss a check whose row is gone.
    const row = await this.db.row<{ oldest: number | null }>(
      `WITH RECURSIVE ids (id) AS (
         SELECT min(check_id) FROM results WHERE agent_id = $1
         UNION ALL
         SELECT (SELECT min(check_id) FROM results WHERE agent_id = $1 AND check_id > ids.id) FROM ids WHERE ids.id IS NOT NULL)
       SELECT min((SELECT min(started_at) FROM results r WHERE r.agent_id = $1 AND r.check_id = ids.id)) AS oldest FROM ids WHERE ids.id IS NOT NULL`,
      [agentId],
    );
    return row!.oldest;
  }

  async resultsOfKind(clientId: number, kind: string, from: number, to: number): Promise<KindResultRecord[]> {
    const rows = await this.db.rows<KindRow>(
      `SELECT a.name AS agent_name, c.name AS check_name, c.id AS check_id, a.id AS agent_id, r.status, r.message, r.metrics_json, r.started_at, r.code, r.params_json
       FROM checks c JOIN agents a ON a.id = c.agent_id JOIN results r ON r.agent_id = c.agent_id AND r.check_id = c.id
       WHERE a.client_id = $1 AND c.kind = $2 AND r.started_at >= $3 AND r.started_at < $4 ORDER BY a.name, c.name, r.started_at, r.seq`,
      [clientId, kind, from, to],
    );
    return rows.map((r) => ({
      agentId: r.agent_id, agentName: r.agent_name, checkId: r.check_id, checkName: r.check_name, status: r.status, message: r.message,
      metrics: JSON.parse(r.metrics_json) as Record<string, unknown>, startedAt: r.started_at, code: r.code,
      params: r.params_json ? (JSON.parse(r.params_json) as ResultParams) : null,
    }));
  }

  async dirtyHoursBetween(agentId: string, checkId: string, after: number, before: number): Promise<number[]> {
    // ORDER BY: SQLite answers in primary-key order unasked.
    const rows = await this.db.rows<{ hour_at: number }>(
      `SELECT hour_at FROM availability_dirty WHERE agent_id = $1 AND check_id = $2 AND hour_at > $3 AND hour_at < $4 ORDER BY hour_at`,
      [agentId, checkId, after, before],
    );
    return rows.map((r) => r.hour_at);
  }

  dayRollups(agentId: string, checkId: string, from: number, to: number): Promise<RollupRow[]> {
    return this.db.rows<RollupRow>(
      `SELECT start_at AS start, end_at AS "end", ${ROW_COLUMNS} FROM availability_days WHERE agent_id = $1 AND check_id = $2 AND start_at >= $3 AND start_at < $4
       ORDER BY start_at`,
      [agentId, checkId, from, to],
    );
  }

  hourRollups(agentId: string, checkId: string, from: number, to: number): Promise<RollupRow[]> {
    return this.db.rows<RollupRow>(
      `SELECT start_at AS start, start_at + ${HOUR_MS} AS "end", ${ROW_COLUMNS} FROM availability_hours WHERE agent_id = $1 AND check_id = $2 AND start_at >= $3 AND start_at < $4
       ORDER BY start_at`,
      [agentId, checkId, from, to],
    );
  }

  // The same reads for several series of one agent: check_id = ANY($2), its rows grouped by series in the order above.
  async resultsOfSeries(series: readonly SeriesRef[], from: number, to: number, want: { messages?: boolean; latency?: boolean } = {}): Promise<Map<string, RawResultRecord[]>> {
    const sql = `SELECT r.agent_id, r.check_id, ${resultColumns(want)}
      FROM ${SERIES} JOIN results r ON r.agent_id = s.agent_id AND r.check_id = s.check_id ${metricsOf(want)}
      WHERE r.started_at >= $3 AND r.started_at < $4 ORDER BY r.agent_id, r.check_id, r.started_at, r.seq`;
    const rows = await this.db.rows<RawResultRow & { agent_id: string; check_id: string }>(sql, [...seriesArrays(series), from, to]);
    return bySeries(series, rows, rawResultOf);
  }

  async dirtyHoursOfSeries(series: readonly SeriesRef[], after: number, before: number): Promise<Map<string, number[]>> {
    const rows = await this.db.rows<{ agent_id: string; check_id: string; hour_at: number }>(
      `SELECT d.agent_id, d.check_id, d.hour_at FROM ${SERIES} JOIN availability_dirty d ON d.agent_id = s.agent_id AND d.check_id = s.check_id
       WHERE d.hour_at > $3 AND d.hour_at < $4 ORDER BY d.agent_id, d.check_id, d.hour_at`,
      [...seriesArrays(series), after, before],
    );
    return bySeries(series, rows, (r) => r.hour_at);
  }

  async dayRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Promise<Map<string, RollupRow[]>> {
    const rows = await this.db.rows<RollupRow & { agent_id: string; check_id: string }>(
      `SELECT d.agent_id, d.check_id, d.start_at AS start, d.end_at AS "end", ${ROW_COLUMNS}
       FROM ${SERIES} JOIN availability_days d ON d.agent_id = s.agent_id AND d.check_id = s.check_id
       WHERE d.start_at >= $3 AND d.start_at < $4 ORDER BY d.agent_id, d.check_id, d.start_at`,
      [...seriesArrays(series), from, to],
    );
    return bySeries(series, rows, ({ agent_id: _agent, check_id: _check, ...row }) => row);
  }

  async hourRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Promise<Map<string, RollupRow[]>> {
    const rows = await this.db.rows<RollupRow & { agent_id: string; check_id: string }>(
      `SELECT h.agent_id, h.check_id, h.start_at AS start, h.start_at + ${HOUR_MS} AS "end", ${ROW_COLUMNS}
       FROM ${SERIES} JOIN availability_hours h ON h.agent_id = s.agent_id AND h.check_id = s.check_id
       WHERE h.start_at >= $3 AND h.start_at < $4 ORDER BY h.agent_id, h.check_id, h.start_at`,
      [...seriesArrays(series), from, to],
    );
    return bySeries(series, rows, ({ agent_id: _agent, check_id: _check, ...row }) => row);
  }

  async gapsOfAgents(agentIds: readonly string[], from: number, to: number): Promise<Map<string, TimeSpan[]>> {
    const rows = await this.db.rows<TimeSpan & { agent_id: string }>(
      `SELECT g.agent_id, g.from_at AS "from", g.to_at AS "to" FROM unnest($1::text[]) AS s (agent_id) JOIN gaps g ON g.agent_id = s.agent_id
       WHERE g.to_at > $2 AND g.from_at < $3 ORDER BY g.agent_id, g.from_at, g.to_at`,
      [agentIds, from, to],
    );
    return byAgent(agentIds, rows, ({ agent_id: _agent, ...span }) => span);
  }

  async markDirty(marks: readonly DirtyHours[]): Promise<void> {
    const [agents, checks, hours] = markArrays(marks);
    if (hours.length === 0) return;
    // One statement for the batch. Not DO NOTHING: a flush step holds the hours it took (dirtyBatch, FOR UPDATE) until
    // it deletes them at its commit, and a mark that did nothing meanwhile would be lost with them, though it may
    // stand for a result the step did not read. DO UPDATE … WHERE false writes nothing but waits for that lock, and
    // once the step has deleted the row inserts it again. SQLite gets the same from running one unit of work at a
    // time. DISTINCT: DO UPDATE refuses to meet one row twice in a statement; ORDER BY: marks of two transactions
    // lock their rows in one order, so they do not deadlock.
    await this.db.run(
      `INSERT INTO availability_dirty (agent_id, check_id, hour_at)
       SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS m (agent_id, check_id, hour_at) ORDER BY 1, 2, 3
       ON CONFLICT (agent_id, check_id, hour_at) DO UPDATE SET hour_at = excluded.hour_at WHERE false`,
      [agents, checks, hours],
    );
  }

  async dirtyBatch(limit: number, lastHour = Number.MAX_SAFE_INTEGER): Promise<DirtyHours[]> {
    // FOR UPDATE SKIP LOCKED: inside the flush step's unit of work the hours it took stay held until it commits, so
    // two collectors flushing at once take different hours, and a mark of a held hour waits for it (markDirty).
    const batch = await this.db.rows<{ agent_id: string; check_id: string; hour_at: number }>(
      `SELECT agent_id, check_id, hour_at FROM availability_dirty WHERE hour_at <= $1 ORDER BY agent_id, check_id, hour_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [lastHour, limit],
    );
    const groups: Array<{ agentId: string; checkId: string; hours: number[] }> = [];
    for (const { agent_id: agentId, check_id: checkId, hour_at: hourAt } of batch) {
      const last = groups.at(-1);
      if (last && last.agentId === agentId && last.checkId === checkId) last.hours.push(hourAt);
      else groups.push({ agentId, checkId, hours: [hourAt] });
    }
    return groups;
  }

  writeRollups(taken: readonly DirtyHours[], rows: RollupWrite): Promise<void> {
    return this.db.transaction(async () => {
      if (rows.days.length > 0) {
        const d = rows.days;
        await this.db.run(
          `DELETE FROM availability_days d USING unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS x (agent_id, check_id, start_at, end_at)
           WHERE d.agent_id = x.agent_id AND d.check_id = x.check_id AND d.start_at < x.end_at AND d.end_at > x.start_at`,
          [d.map((x) => x.agentId), d.map((x) => x.checkId), d.map((x) => x.start), d.map((x) => x.end)],
        );
        const days = survivingDays(d);
        await this.db.run(
          `INSERT INTO availability_days (agent_id, check_id, start_at, end_at, ${FIGURE_COLUMNS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $13::bigint[], ${FIGURE_TYPES})
           ON CONFLICT (agent_id, check_id, start_at) DO UPDATE SET ${UPDATE_DAY}`,
          [days.map((x) => x.agentId), days.map((x) => x.checkId), days.map((x) => x.start), ...figureArrays(days.map((x) => x.figures)), days.map((x) => x.end)],
        );
      }
      const hours = lastPerHour(rows.hours);
      if (hours.length > 0) {
        await this.db.run(
          `INSERT INTO availability_hours (agent_id, check_id, start_at, ${FIGURE_COLUMNS})
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], ${FIGURE_TYPES})
           ON CONFLICT (agent_id, check_id, start_at) DO UPDATE SET ${UPDATE_FIGURES}`,
          [hours.map((h) => h.agentId), hours.map((h) => h.checkId), hours.map((h) => h.start), ...figureArrays(hours.map((h) => h.figures))],
        );
      }
      const [agents, checks, hourAts] = markArrays(taken);
      if (hourAts.length > 0) {
        await this.db.run(
          `DELETE FROM availability_dirty WHERE (agent_id, check_id, hour_at) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]))`,
          [agents, checks, hourAts],
        );
      }
    });
  }

  async deleteExpired({ rawBefore, hourlyBefore }: { rawBefore: number | null; hourlyBefore: number | null }): Promise<RetentionDeleted> {
    const out = { results: 0, gaps: 0, hours: 0 };
    if (rawBefore !== null) {
      out.results = await this.dropExpiredMonths(rawBefore);
      // What is left: the month the cut-off falls in, and old rows in the default partition.
      out.results += await this.db.run(`DELETE FROM results WHERE started_at < $1`, [rawBefore]);
      out.gaps = await this.db.run(`DELETE FROM gaps WHERE to_at < $1`, [rawBefore]);
    }
    if (hourlyBefore !== null) out.hours = await this.db.run(`DELETE FROM availability_hours WHERE start_at < $1`, [hourlyBefore]);
    return out;
  }

  /**
   * Drops the month partitions that end by `rawBefore` (every row in them started before it), after counting their
   * rows for the caller: retention of a month costs no row-by-row delete and leaves nothing to vacuum. Each in its
   * own short transaction: dropping a partition locks the whole results table until commit, so it waits at most
   * DROP_LOCK_TIMEOUT for a long read of results (a report) to end, rather than hold every ingest up behind it; a
   * month it could not drop is left to the row-by-row delete that follows.
   */
  private async dropExpiredMonths(rawBefore: number): Promise<number> {
    let dropped = 0;
    for (const { name, start } of await monthPartitions(this.db.pool)) {
      if (monthStart(start, 1) > rawBefore) break;
      try {
        dropped += await this.db.transaction(async () => {
          await this.db.row(`SELECT set_config('lock_timeout', $1, true)`, [DROP_LOCK_TIMEOUT]);
          const rows = (await this.db.row<{ n: number }>(`SELECT count(*) AS n FROM ${name}`))!.n;
          await this.db.run(`DROP TABLE IF EXISTS ${name}`);
          return rows;
        });
      } catch (error) {
        if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      }
    }
    return dropped;
  }

  async setCheckRole(agentId: string, checkId: string, role: { critical: boolean; weight: number } | null): Promise<void> {
    if (role === null) await this.db.run(`DELETE FROM check_sla WHERE agent_id = $1 AND check_id = $2`, [agentId, checkId]);
    else {
      await this.db.run(
        `INSERT INTO check_sla (agent_id, check_id, critical, weight) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agent_id, check_id) DO UPDATE SET critical = excluded.critical, weight = excluded.weight`,
        [agentId, checkId, role.critical ? 1 : 0, role.weight],
      );
    }
  }

  isOpen(): boolean {
    return this.db.isOpen;
  }
}
