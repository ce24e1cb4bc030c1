/**
 * What availability is computed from and what it keeps: checks with their client and SLA role, raw results
 * and gaps as the figures read them, and the rollup rows with their dirty marks. The arithmetic (timelines,
 * windows, rollup math) lives in collector/src/availability; this is only reading and writing.
 * Hot paths take whole batches (marks of a burst, one flush step), so a network database needs one round
 * trip per batch, not one per row.
 */
import type { ResultParams, Status } from '@nines/shared';

/** A span of time [from, to), integer ms UTC. */
export interface TimeSpan {
  from: number;
  to: number;
}

/** A check as availability sees it: where it runs, whose it is, and its SLA role as configured. */
export interface AvailabilityCheckRecord {
  agentId: string;
  checkId: string;
  kind: string;
  name: string;
  /** The check's current interval; results without their own interval (older agents) count for 2 × this. */
  intervalMs: number;
  /** The longest interval any of its results claimed (0 if none): how far back the result covering a window's start may lie. */
  maxIntervalMs: number;
  agentName: string;
  clientId: number;
  /** The client's time zone. */
  timeZone: string;
  /** Set by `setCheckRole`; null when never set (the domain applies the kind's default). */
  critical: boolean | null;
  /** Weight in the client's figure as set by `setCheckRole`; null when never set. */
  weight: number | null;
}

/** A host (agent) with its client's time zone. */
export interface HostRecord {
  id: string;
  name: string;
  hostname: string | null;
  clientId: number;
  timeZone: string;
}

/** A client with what its SLA figures need. */
export interface SlaClientRecord {
  id: number;
  name: string;
  timeZone: string;
  language: 'de' | 'en';
  /** Availability target in parts per million (999000 = 99.9 %). */
  targetPpm: number;
  /** When the client was created (ms UTC): no report is due for a period that ended before. */
  createdAt: number;
}

/** One raw result as the timeline reads it. */
export interface RawResultRecord {
  seq: number;
  startedAt: number;
  status: Status;
  /** Only when asked for (`messages`). */
  message?: string;
  /** Absent for results of agents that did not send their interval. */
  intervalMs?: number;
  /** latency_ms (or rtt_avg_ms) from the metrics when asked for (`latency`), else null. */
  latencyMs: number | null;
}

/** A result as both stores' reads select it: NULL where the record leaves a field out. */
export interface RawResultRow {
  seq: number; startedAt: number; status: Status; intervalMs: number | null; message: string | null; latencyMs: number | null;
}

/** The record of a selected result row (other columns of the row, such as its series, are left out). */
export function rawResultOf({ seq, startedAt, status, intervalMs, message, latencyMs }: RawResultRow): RawResultRecord {
  const raw: RawResultRecord = { seq, startedAt, status, latencyMs };
  if (message !== null) raw.message = message;
  if (intervalMs !== null) raw.intervalMs = intervalMs;
  return raw;
}

/** A result of a check of one kind, with its host and check names: what the monthly report lists for backups and patches. */
export interface KindResultRecord {
  agentId: string;
  agentName: string;
  checkId: string;
  checkName: string;
  status: Status;
  message: string;
  metrics: Record<string, unknown>;
  startedAt: number;
  code: string | null;
  params: ResultParams | null;
}

/** The four state totals of a rollup row, in ms. */
export interface RollupTotals {
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
}

/** Everything a rollup row stores about its span. Day rows are sums of hours: their latency percentiles are null. */
export interface RollupFigures extends RollupTotals {
  results: number;
  failures: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

/** A stored rollup row's totals, counts and span (hour rows: end = start + 1 h). */
export interface RollupRow extends RollupTotals {
  start: number;
  end: number;
  results: number;
  failures: number;
}

/** Hours of one series (a check, or a host with checkId '') to recompute, each the start of a UTC hour. */
export interface DirtyHours {
  agentId: string;
  checkId: string;
  hours: readonly number[];
}

/** The rows one flush step writes: hour rows replace the row of their hour, day rows replace every row they overlap. */
export interface RollupWrite {
  hours: Array<{ agentId: string; checkId: string; start: number; figures: RollupFigures }>;
  days: Array<{ agentId: string; checkId: string; start: number; end: number; figures: RollupFigures }>;
}

/** Counts of rows deleted by retention. */
export interface RetentionDeleted {
  results: number;
  gaps: number;
  hours: number;
}

/** One rollup series: a check, or a host with checkId '' (availability/rollups.ts HOST). */
export interface SeriesRef {
  agentId: string;
  checkId: string;
}

/** The key of a series in the maps of the reads of many series. */
export const seriesKey = (agentId: string, checkId: string): string => `${agentId}\u0000${checkId}`;

/** Rows of many agents by agent id, each in the rows' order; every asked agent is a key, with [] when it has none. */
export function byAgent<R extends { agent_id: string }, T>(agentIds: readonly string[], rows: readonly R[], map: (row: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>(agentIds.map((id) => [id, []]));
  for (const row of rows) out.get(row.agent_id)?.push(map(row));
  return out;
}

/** Rows of many series by `seriesKey`, each in the rows' order; every asked series is a key, with [] when it has none. */
export function bySeries<R extends { agent_id: string; check_id: string }, T>(series: readonly SeriesRef[], rows: readonly R[], map: (row: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>(series.map((s) => [seriesKey(s.agentId, s.checkId), []]));
  for (const row of rows) out.get(seriesKey(row.agent_id, row.check_id))?.push(map(row));
  return out;
}

export interface AvailabilityRepository {
  /** A check with its host, client and SLA role; undefined if the store has no such check. */
  check(agentId: string, checkId: string): Promise<AvailabilityCheckRecord | undefined>;
  /** The checks of one host, by check id. */
  checksOfAgent(agentId: string): Promise<AvailabilityCheckRecord[]>;
  /** The checks of one client's hosts, by host name, agent id, check id. */
  checksOfClient(clientId: number): Promise<AvailabilityCheckRecord[]>;
  /** A host with its client's time zone; undefined if none. */
  host(agentId: string): Promise<HostRecord | undefined>;
  /** The hosts of one client, by name and id. */
  hostsOfClient(clientId: number): Promise<HostRecord[]>;
  /** A client by id (a number or a string of digits) or name, with its SLA target; undefined if none. */
  client(idOrName: string | number): Promise<SlaClientRecord | undefined>;
  /**
   * The stored interval of each check of a host and the longest it ever had, by check id: marks for results that
   * carry no interval use the first; the second bounds how far an earlier result's coverage can reach.
   * With `checkIds`, only those checks (unknown ids are absent from the map).
   */
  checkIntervals(agentId: string, checkIds?: Iterable<string>): Promise<ReadonlyMap<string, { intervalMs: number; maxIntervalMs: number }>>;

  /** Raw results of one check starting in [from, to), by start time then seq; messages and latency only when asked for. */
  results(agentId: string, checkId: string, from: number, to: number, want?: { messages?: boolean; latency?: boolean }): Promise<RawResultRecord[]>;
  /** Spans the host's spool dropped that overlap [from, to). */
  gaps(agentId: string, from: number, to: number): Promise<TimeSpan[]>;
  /** The message code and params of one stored result (an incident's cause); undefined when the result is gone. */
  resultCode(agentId: string, seq: number): Promise<{ code: string | null; params: ResultParams | null } | undefined>;
  /** Start of the oldest raw result of a check, or of any check of the host without checkId; null without results. */
  oldestResult(agentId: string, checkId?: string): Promise<number | null>;
  /** Results in [from, to) of a client's checks of one kind, by host name, check name, start, seq. */
  resultsOfKind(clientId: number, kind: string, from: number, to: number): Promise<KindResultRecord[]>;

  /** Dirty hours of one series starting strictly between `after` and `before`. */
  dirtyHoursBetween(agentId: string, checkId: string, after: number, before: number): Promise<number[]>;
  /** Day rows of one series starting in [from, to). */
  dayRollups(agentId: string, checkId: string, from: number, to: number): Promise<RollupRow[]>;
  /** Hour rows of one series starting in [from, to). */
  hourRollups(agentId: string, checkId: string, from: number, to: number): Promise<RollupRow[]>;

  /**
   * The four reads above and `gaps` for many series (of any agents) in one statement each, by `seriesKey` (by agent id
   * for gaps; every asked series is in the map). availability/rollups.ts readView gathers into them the reads of a
   * client's checks that run side by side: on PostgreSQL every read is a round trip, and on SQLite a statement per
   * check and read kind cost 8 s for a client of 100,000 checks (bench stores, 2026-12-07).
   */
  resultsOfSeries(series: readonly SeriesRef[], from: number, to: number, want?: { messages?: boolean; latency?: boolean }): Promise<Map<string, RawResultRecord[]>>;
  dirtyHoursOfSeries(series: readonly SeriesRef[], after: number, before: number): Promise<Map<string, number[]>>;
  dayRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Promise<Map<string, RollupRow[]>>;
  hourRollupsOfSeries(series: readonly SeriesRef[], from: number, to: number): Promise<Map<string, RollupRow[]>>;
  gapsOfAgents(agentIds: readonly string[], from: number, to: number): Promise<Map<string, TimeSpan[]>>;
  /** Marks hours for recomputation, the whole batch in one transaction; marking a marked hour again changes nothing. */
  markDirty(marks: readonly DirtyHours[]): Promise<void>;
  /**
   * Up to `limit` dirty hours (by agent, series, hour) starting at or before `lastHour` (all when left out), grouped
   * per series; empty when none is due. One flush step reads them, recomputes and calls `writeRollups`, all in one
   * unit of work (availability/rollups.ts).
   */
  dirtyBatch(limit: number, lastHour?: number): Promise<DirtyHours[]>;
  /** Stores one flush step's rows and forgets the dirty hours it took (`dirtyBatch`). */
  writeRollups(taken: readonly DirtyHours[], rows: RollupWrite): Promise<void>;
  /** Deletes raw results started and gaps ended before `rawBefore`, and hour rows started before `hourlyBefore` (null: keep). */
  deleteExpired(cutoffs: { rawBefore: number | null; hourlyBefore: number | null }): Promise<RetentionDeleted>;

  /** Sets a check's SLA role, or with null forgets it (the kind's default applies again). */
  setCheckRole(agentId: string, checkId: string, role: { critical: boolean; weight: number } | null): Promise<void>;
  /** False once the store is closed: the availability service's last flush at stop skips a store closed before it. */
  isOpen(): boolean;
}
