/**
 * Rollups per check and per host: one row per UTC hour and per local day, each exactly the raw computation
 * over its span. New and late results, gaps and maintenance changes mark hours dirty; `flushRollups`
 * recomputes them. Queries never trust a row with a dirty hour (they compute that span from raw instead),
 * so figures are exact whether or not the flush has run yet.
 */
import type { Db } from '../store/sqlite/database.ts';
import {
  checkInfo, checksOfAgent, gapSpans, maintenanceSpans, prepared, rawResults, type CheckInfo, type RawResult,
} from './source.ts';
import { checkSegments, hostSegments, totalsOf, type Segment, type StateTotals } from './timeline.ts';
import { localDaysTouching } from './zoned-time.ts';

export const HOUR_MS = 3_600_000;
/** Rows recomputed per transaction: keeps the ingest writer (same event loop) waiting at most a few 100 ms. */
const FLUSH_BATCH = 2_000;
/** The host's rollups use this check id; real check ids start with [a-z0-9], so it cannot collide. */
export const HOST = '';

export interface BucketFigures extends StateTotals {
  results: number;
  failures: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

/** Segments of one check over [from, to) from raw results, gaps and maintenance. */
export function rawCheckSegments(db: Db, check: CheckInfo, from: number, to: number, withMessages = false): { segments: Segment[]; results: RawResult[] } {
  const results = rawResults(db, check, from, to, { messages: withMessages });
  const segments = checkSegments(
    { results, intervalMs: check.intervalMs, gaps: gapSpans(db, check.agentId, from, to), maintenance: maintenanceSpans(db, check, from, to) },
    from, to,
  );
  return { segments, results };
}

/** The critical checks of a host and their segments over [from, to). */
export function rawHostSegments(db: Db, agentId: string, from: number, to: number, withMessages = false) {
  const critical = checksOfAgent(db, agentId).filter((c) => c.critical);
  const perCheck = critical.map((c) => ({ check: c, ...rawCheckSegments(db, c, from, to, withMessages) }));
  return { segments: hostSegments(perCheck.map((p) => p.segments), from, to), perCheck };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!; // nearest rank
}

/** First index whose key is ≥ value in a list sorted by key. */
function lowerBound<T>(list: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Totals of the part of adjacent, sorted `segments` inside [from, to). */
function totalsWithin(segments: readonly Segment[], from: number, to: number): StateTotals {
  const clipped: Segment[] = [];
  for (let i = lowerBound(segments, from + 1, (s) => s.to); i < segments.length && segments[i]!.from < to; i++) {
    const s = segments[i]!;
    clipped.push({ ...s, from: Math.max(s.from, from), to: Math.min(s.to, to) });
  }
  return totalsOf(clipped);
}

/** `results` sorted by startedAt (one check), or unsorted (a host's checks together: small buckets only). */
function figures(totals: StateTotals, results: readonly RawResult[], from: number, to: number, withLatency: boolean, sorted = true): BucketFigures {
  const inside = sorted
    ? results.slice(lowerBound(results, from, (r) => r.startedAt), lowerBound(results, to, (r) => r.startedAt))
    : results.filter((r) => r.startedAt >= from && r.startedAt < to);
  const latencies = withLatency ? inside.map((r) => r.latencyMs).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b) : [];
  return {
    ...totals, results: inside.length, failures: inside.filter((r) => r.status === 'CRIT').length,
    latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), latencyP99: percentile(latencies, 99),
  };
}

/** Figures of one check or host (checkId HOST) for each bucket, reading raw data once for all of them. */
export function bucketsOf(db: Db, agentId: string, checkId: string, buckets: ReadonlyArray<readonly [number, number]>): BucketFigures[] {
  if (buckets.length === 0) return [];
  const from = Math.min(...buckets.map((b) => b[0]));
  const to = Math.max(...buckets.map((b) => b[1]));
  if (checkId === HOST) {
    const { segments, perCheck } = rawHostSegments(db, agentId, from, to);
    const results = perCheck.flatMap((p) => p.results);
    return buckets.map(([a, b]) => figures(totalsWithin(segments, a, b), results, a, b, false, false));
  }
  const check = checkInfo(db, agentId, checkId);
  if (!check) throw new Error(`no check ${agentId}/${checkId} to roll up`);
  const results = rawResults(db, check, from, to, { latency: true });
  const segments = checkSegments(
    { results, intervalMs: check.intervalMs, gaps: gapSpans(db, agentId, from, to), maintenance: maintenanceSpans(db, check, from, to) }, from, to,
  );
  return buckets.map(([a, b]) => figures(totalsWithin(segments, a, b), results, a, b, true));
}

/** Marks the hours overlapping [from, to) of a check, and of its host, for recomputation. */
export function markDirty(db: Db, agentId: string, checkId: string, from: number, to: number): void {
  const insert = prepared(db, `INSERT OR IGNORE INTO availability_dirty (agent_id, check_id, hour_at) VALUES (?, ?, ?)`);
  for (let h = Math.floor(from / HOUR_MS) * HOUR_MS; h < Math.max(to, from + 1); h += HOUR_MS) {
    insert.run(agentId, checkId, h);
    if (checkId !== HOST) insert.run(agentId, HOST, h);
  }
}

/** The part of a result that decides which hours it changes. */
type MarkedResult = { checkId: string; startedAt: number; intervalMs?: number };

/** A result starting at `startedAt` changes the timeline in [startedAt, startedAt + 2 × its interval) only. */
export function markResults(db: Db, agentId: string, results: ReadonlyArray<MarkedResult>): void {
  const hours = dirtyHoursOf(db, agentId, results);
  db.transaction(() => writeDirtyHours(db, agentId, hours))();
}

/** The hours each check's results touch (a batch of 500 results touches a handful: each is written once). */
function dirtyHoursOf(db: Db, agentId: string, results: ReadonlyArray<MarkedResult>, into = new Map<string, Set<number>>()): Map<string, Set<number>> {
  const intervals = new Map<string, number>();
  for (const r of results) {
    let interval = r.intervalMs ?? intervals.get(r.checkId);
    if (interval === undefined) {
      const stored = prepared(db, `SELECT interval_ms FROM checks WHERE agent_id = ? AND id = ?`).pluck().get(agentId, r.checkId) as number | null | undefined;
      intervals.set(r.checkId, (interval = stored ?? 60_000));
    }
    let set = into.get(r.checkId);
    if (!set) into.set(r.checkId, (set = new Set()));
    for (let h = Math.floor(r.startedAt / HOUR_MS) * HOUR_MS; h < r.startedAt + 2 * interval; h += HOUR_MS) set.add(h);
  }
  return into;
}

/** Writes check hours and, once per hour, the host's. */
function writeDirtyHours(db: Db, agentId: string, hours: Map<string, Set<number>>): void {
  const insert = prepared(db, `INSERT OR IGNORE INTO availability_dirty (agent_id, check_id, hour_at) VALUES (?, ?, ?)`);
  const hostHours = new Set<number>();
  for (const [checkId, set] of hours) {
    for (const h of set) {
      insert.run(agentId, checkId, h);
      hostHours.add(h);
    }
  }
  for (const h of hostHours) insert.run(agentId, HOST, h);
}

/**
 * Result marks waiting to be written (per database): the post-commit listener only queues them, and one
 * transaction writes a whole burst's marks after the I/O phase. Every reader of the dirty set
 * (`flushRollups`, `composeTotals`) writes the queue first, so figures stay exact in between.
 */
const queuedMarks = new WeakMap<Db, Array<{ agentId: string; results: ReadonlyArray<MarkedResult> }>>();

export function queueResultMarks(db: Db, agentId: string, results: ReadonlyArray<MarkedResult>): void {
  let queue = queuedMarks.get(db);
  if (!queue) queuedMarks.set(db, (queue = []));
  queue.push({ agentId, results });
}

/** Writes the queued result marks in one transaction; returns how many batches they came from. */
export function writeQueuedMarks(db: Db): number {
  const queue = queuedMarks.get(db);
  if (!queue || queue.length === 0) return 0;
  // Grouped by agent first: a burst of five frames per agent costs one interval lookup per check and one
  // insert per distinct hour, not one per frame.
  const byAgent = new Map<string, Map<string, Set<number>>>();
  for (const { agentId, results } of queue) {
    let hours = byAgent.get(agentId);
    if (!hours) byAgent.set(agentId, (hours = new Map()));
    dirtyHoursOf(db, agentId, results, hours);
  }
  db.transaction(() => {
    for (const [agentId, hours] of byAgent) writeDirtyHours(db, agentId, hours);
  })();
  queuedMarks.delete(db); // only once written: a failed write is retried by the next reader or pass
  return queue.length;
}

/** Marks every check of an agent (and the host) dirty over [from, to): gaps, SLA role changes. */
export function markAgent(db: Db, agentId: string, from: number, to: number): void {
  db.transaction(() => {
    for (const c of checksOfAgent(db, agentId)) markDirty(db, agentId, c.checkId, from, to);
    markDirty(db, agentId, HOST, from, to);
  })();
}

const UPSERT_COLUMNS = `up_ms, down_ms, unknown_ms, maintenance_ms, results, failures, latency_p50, latency_p95, latency_p99`;
const UPSERT_VALUES = `@upMs, @downMs, @unknownMs, @maintenanceMs, @results, @failures, @latencyP50, @latencyP95, @latencyP99`;

function writeHour(db: Db, agentId: string, checkId: string, start: number, f: BucketFigures): void {
  prepared(db, `INSERT OR REPLACE INTO availability_hours (agent_id, check_id, start_at, ${UPSERT_COLUMNS}) VALUES (@agentId, @checkId, @start, ${UPSERT_VALUES})`)
    .run({ agentId, checkId, start, ...f });
}

function writeDay(db: Db, agentId: string, checkId: string, start: number, end: number, f: BucketFigures): void {
  prepared(db, `DELETE FROM availability_days WHERE agent_id = ? AND check_id = ? AND start_at < ? AND end_at > ?`).run(agentId, checkId, end, start);
  prepared(db, `INSERT INTO availability_days (agent_id, check_id, start_at, end_at, ${UPSERT_COLUMNS}) VALUES (@agentId, @checkId, @start, @end, ${UPSERT_VALUES})`)
    .run({ agentId, checkId, start, end, ...f });
}

/**
 * Recomputes dirty hours and the local days containing them, then forgets them. Returns the number of
 * dirty hours processed. Runs in transactions of `batchSize` hours until nothing is dirty, or until
 * `maxBatches` transactions ran (the timer's bounded slices: the caller yields and continues later).
 */
export function flushRollups(db: Db, { batchSize = FLUSH_BATCH, maxBatches = Infinity }: { batchSize?: number; maxBatches?: number } = {}): number {
  writeQueuedMarks(db);
  let processed = 0;
  for (let batches = 0; batches < maxBatches; batches++) {
    const batch = prepared(db, `SELECT agent_id AS agentId, check_id AS checkId, hour_at AS hourAt FROM availability_dirty ORDER BY agent_id, check_id, hour_at LIMIT ?`)
      .all(batchSize) as Array<{ agentId: string; checkId: string; hourAt: number }>;
    if (batch.length === 0) return processed;
    db.transaction(() => {
      const groups = new Map<string, { agentId: string; checkId: string; hours: number[] }>();
      for (const d of batch) {
        const key = `${d.agentId}\u0000${d.checkId}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { agentId: d.agentId, checkId: d.checkId, hours: [] }));
        g.hours.push(d.hourAt);
      }
      const forget = prepared(db, `DELETE FROM availability_dirty WHERE agent_id = ? AND check_id = ? AND hour_at = ?`);
      for (const g of groups.values()) {
        recompute(db, g.agentId, g.checkId, g.hours);
        for (const h of g.hours) forget.run(g.agentId, g.checkId, h);
      }
    })();
    processed += batch.length;
  }
  return processed;
}

function recompute(db: Db, agentId: string, checkId: string, hours: number[]): void {
  const isHost = checkId === HOST;
  const timeZone = isHost ? checksOfAgent(db, agentId)[0]?.timeZone : checkInfo(db, agentId, checkId)?.timeZone;
  if (!timeZone) return; // results for a check the store no longer knows: nothing to roll up
  // Group by local day, so each day's raw data is read once for the day row and its hour rows.
  const days = new Map<number, { end: number; hours: number[] }>();
  for (const h of hours) {
    localDaysTouching(h, h + HOUR_MS, timeZone).forEach(([start, end], i) => {
      let day = days.get(start);
      if (!day) days.set(start, (day = { end, hours: [] }));
      if (i === 0) day.hours.push(h);
    });
  }
  for (const [start, day] of days) {
    const buckets: Array<[number, number]> = [[start, day.end], ...day.hours.map((h): [number, number] => [h, h + HOUR_MS])];
    const [dayFigures, ...hourFigures] = bucketsOf(db, agentId, checkId, buckets);
    writeDay(db, agentId, checkId, start, day.end, dayFigures!);
    day.hours.forEach((h, i) => writeHour(db, agentId, checkId, h, hourFigures[i]!));
  }
}
