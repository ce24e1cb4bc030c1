/**
 * Rollups per check and per host: one row per UTC hour and per local day, each exactly the raw computation
 * over its span (a day row is summed from its hour rows; see dayFromHours). New and late results, gaps and maintenance changes mark hours dirty; `flushRollups`
 * recomputes them. Queries never trust a row with a dirty hour (they compute that span from raw instead),
 * so figures are exact whether or not the flush has run yet.
 */
import type { Store } from '../store/store.ts';
import { seriesKey, type AvailabilityCheckRecord, type DirtyHours, type RollupFigures, type RollupRow, type RollupWrite, type SeriesRef } from '../store/availability.ts';
import {
  checkInfo, checksOfAgent, gapSpans, maintenanceSpans, rawResults, type AvailabilitySource, type CheckInfo, type RawResult,
} from './source.ts';
import { addTotals, checkSegments, emptyTotals, hostSegments, totalsOf, type Segment, type StateTotals } from './timeline.ts';
import { localDaysTouching } from './zoned-time.ts';
import { GATHERED_READS, mapSideBySide } from './side-by-side.ts';

export const HOUR_MS = 3_600_000;
/** Rows recomputed per transaction: keeps the ingest writer (same event loop) waiting at most a few 100 ms. */
const FLUSH_BATCH = 2_000;
/** The host's rollups use this check id; real check ids start with [a-z0-9], so it cannot collide. */
export const HOST = '';

/** What a rollup row stores about its span. */
export type BucketFigures = RollupFigures;

/** Segments of one check over [from, to) from raw results, gaps and maintenance. */
export async function rawCheckSegments(src: AvailabilitySource, check: CheckInfo, from: number, to: number, withMessages = false): Promise<{ segments: Segment[]; results: RawResult[] }> {
  const results = await rawResults(src, check, from, to, { messages: withMessages });
  const segments = checkSegments(
    { results, intervalMs: check.intervalMs, gaps: await gapSpans(src, check.agentId, from, to), maintenance: await maintenanceSpans(src, check, from, to) },
    from, to,
  );
  return { segments, results };
}

/** The critical checks of a host and their segments over [from, to); `reads` supplies checks read already. */
export async function rawHostSegments(src: AvailabilitySource, agentId: string, from: number, to: number, withMessages = false, reads?: CheckReads) {
  const critical = (await checksOfAgent(src, agentId)).filter((c) => c.critical);
  const view = readView(src);
  // Side by side: through a readView the checks' reads go as one (on SQLite, in-process, only their order changes).
  const perCheck: Array<{ check: CheckInfo; segments: Segment[]; results: RawResult[] }> = await mapSideBySide(critical, async (c) => (
    { check: c, ...(reads?.covering(agentId, c.checkId, from, to) ?? (await rawCheckSegments(view, c, from, to, withMessages))) }
  ), GATHERED_READS);
  return { segments: hostSegments(perCheck.map((p) => p.segments), from, to), perCheck };
}

/**
 * The raw reads of one flush step, by check: a host's hours are built from the segments its checks' hours
 * have just computed in the same step instead of reading every critical check's results a second time (for a
 * host with 1,000 checks, half of a flush). Only within one step, so nothing it holds can be stale.
 */
export class CheckReads {
  readonly #reads = new Map<string, Array<{ from: number; to: number; segments: Segment[]; results: RawResult[] }>>();

  add(agentId: string, checkId: string, from: number, to: number, segments: Segment[], results: RawResult[]): void {
    const key = `${agentId}\u0000${checkId}`;
    let list = this.#reads.get(key);
    if (!list) this.#reads.set(key, (list = []));
    list.push({ from, to, segments, results });
  }

  /** The check's segments clipped to [from, to) and its results, if one read covered the whole span. */
  covering(agentId: string, checkId: string, from: number, to: number): { segments: Segment[]; results: RawResult[] } | undefined {
    const read = this.#reads.get(`${agentId}\u0000${checkId}`)?.find((r) => r.from <= from && r.to >= to);
    return read && { segments: clip(read.segments, from, to), results: read.results };
  }
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

/** The part of adjacent, sorted `segments` inside [from, to). */
function clip(segments: readonly Segment[], from: number, to: number): Segment[] {
  const clipped: Segment[] = [];
  for (let i = lowerBound(segments, from + 1, (s) => s.to); i < segments.length && segments[i]!.from < to; i++) {
    const s = segments[i]!;
    clipped.push({ ...s, from: Math.max(s.from, from), to: Math.min(s.to, to) });
  }
  return clipped;
}

/** Totals of the part of adjacent, sorted `segments` inside [from, to). */
function totalsWithin(segments: readonly Segment[], from: number, to: number): StateTotals {
  return totalsOf(clip(segments, from, to));
}

/** Figures of one check's bucket; `results` sorted by startedAt. */
function figures(totals: StateTotals, results: readonly RawResult[], from: number, to: number, withLatency: boolean): BucketFigures {
  const inside = results.slice(lowerBound(results, from, (r) => r.startedAt), lowerBound(results, to, (r) => r.startedAt));
  const latencies = withLatency ? inside.map((r) => r.latencyMs).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b) : [];
  return {
    ...totals, results: inside.length, failures: inside.filter((r) => r.status === 'CRIT').length,
    latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), latencyP99: percentile(latencies, 99),
  };
}

/**
 * Figures of one check or host (checkId HOST) for each bucket, reading raw data once for all of them. With
 * `reads`, a check's read is kept there and a host uses its checks' reads where they cover its buckets.
 */
export async function bucketsOf(src: AvailabilitySource, agentId: string, checkId: string, buckets: ReadonlyArray<readonly [number, number]>, reads?: CheckReads): Promise<BucketFigures[]> {
  if (buckets.length === 0) return [];
  const from = Math.min(...buckets.map((b) => b[0]));
  const to = Math.max(...buckets.map((b) => b[1]));
  if (checkId === HOST) {
    const { segments, perCheck } = await rawHostSegments(src, agentId, from, to, false, reads);
    return buckets.map(([a, b]) => {
      // Counted per check in its sorted results: a host of 1,000 checks holds ~180,000 results an hour.
      let results = 0;
      let failures = 0;
      for (const { results: list } of perCheck) {
        const end = lowerBound(list, b, (r) => r.startedAt);
        for (let i = lowerBound(list, a, (r) => r.startedAt); i < end; i++) {
          results++;
          if (list[i]!.status === 'CRIT') failures++;
        }
      }
      return { ...totalsWithin(segments, a, b), results, failures, latencyP50: null, latencyP95: null, latencyP99: null };
    });
  }
  const check = await checkInfo(src, agentId, checkId);
  if (!check) throw new Error(`no check ${agentId}/${checkId} to roll up`);
  const results = await rawResults(src, check, from, to, { latency: true });
  const segments = checkSegments(
    { results, intervalMs: check.intervalMs, gaps: await gapSpans(src, agentId, from, to), maintenance: await maintenanceSpans(src, check, from, to) }, from, to,
  );
  reads?.add(agentId, checkId, from, to, segments, results);
  return buckets.map(([a, b]) => figures(totalsWithin(segments, a, b), results, a, b, true));
}

/** The hours overlapping [from, to) of a check and of its host, as marks. */
function dirtyRange(agentId: string, checkId: string, from: number, to: number): DirtyHours[] {
  const hours: number[] = [];
  for (let h = Math.floor(from / HOUR_MS) * HOUR_MS; h < Math.max(to, from + 1); h += HOUR_MS) hours.push(h);
  return checkId === HOST ? [{ agentId, checkId, hours }] : [{ agentId, checkId, hours }, { agentId, checkId: HOST, hours }];
}

/** Marks the hours overlapping [from, to) of each span's check, and of its host, for recomputation (one batch). */
export function markDirty(src: AvailabilitySource, spans: ReadonlyArray<{ agentId: string; checkId: string; from: number; to: number }>): Promise<void> {
  return src.availability.markDirty(spans.flatMap((s) => dirtyRange(s.agentId, s.checkId, s.from, s.to)));
}

/** The part of a result that decides which hours it changes. */
type MarkedResult = { checkId: string; startedAt: number; intervalMs?: number };

/**
 * A result starting at `startedAt` changes the timeline in [startedAt, startedAt + 2 × its interval) — and, as it
 * cuts short the coverage of the result before it (stored earlier, or arriving late in another batch), up to where
 * that one reached: at most 2 × the longest interval the check has had. Marking less left an hour computed before
 * a late result arrived counting the earlier result as still covering it (found by the property test, seed 714245).
 */
export async function markResults(src: AvailabilitySource, agentId: string, results: ReadonlyArray<MarkedResult>): Promise<void> {
  await src.availability.markDirty(marksOf(agentId, await dirtyHoursOf(src, agentId, results)));
}

const FALLBACK_INTERVAL_MS = 60_000; // a result of a check the store does not know yet: the default interval

/** The hours each check's results touch (a batch of 500 results touches a handful: each is written once). */
async function dirtyHoursOf(src: AvailabilitySource, agentId: string, results: ReadonlyArray<MarkedResult>, into = new Map<string, Set<number>>()): Promise<Map<string, Set<number>>> {
  const stored = await src.availability.checkIntervals(agentId, new Set(results.map((r) => r.checkId)));
  // The longest interval of each check among the stored ones and this batch: how far any earlier result can reach.
  const longest = new Map<string, number>();
  for (const r of results) {
    const known = stored.get(r.checkId);
    const own = r.intervalMs ?? known?.intervalMs ?? FALLBACK_INTERVAL_MS;
    longest.set(r.checkId, Math.max(longest.get(r.checkId) ?? known?.maxIntervalMs ?? 0, own));
  }
  for (const r of results) {
    let set = into.get(r.checkId);
    if (!set) into.set(r.checkId, (set = new Set()));
    const reach = 2 * longest.get(r.checkId)!;
    for (let h = Math.floor(r.startedAt / HOUR_MS) * HOUR_MS; h < r.startedAt + reach; h += HOUR_MS) set.add(h);
  }
  return into;
}

/** Marks of check hours and, once per hour, the host's. */
function marksOf(agentId: string, hours: Map<string, Set<number>>): DirtyHours[] {
  const hostHours = new Set<number>();
  const marks: DirtyHours[] = [];
  for (const [checkId, set] of hours) {
    marks.push({ agentId, checkId, hours: [...set] });
    for (const h of set) hostHours.add(h);
  }
  marks.push({ agentId, checkId: HOST, hours: [...hostHours] });
  return marks;
}

/**
 * Result marks waiting to be written (per repository), for callers that store results outside the ingest (the
 * running collector marks inside the ingest transaction instead: availability/service.ts). Every reader of the
 * dirty set (`flushRollups`, `composeTotals`) writes the queue first, so figures stay exact in between.
 */
const queuedMarks = new WeakMap<object, Array<{ agentId: string; results: ReadonlyArray<MarkedResult> }>>();

export function queueResultMarks(src: AvailabilitySource, agentId: string, results: ReadonlyArray<MarkedResult>): void {
  let queue = queuedMarks.get(src.availability);
  if (!queue) queuedMarks.set(src.availability, (queue = []));
  queue.push({ agentId, results });
}

/** Writes the queued result marks in one transaction; returns how many batches they came from. */
export async function writeQueuedMarks(src: AvailabilitySource): Promise<number> {
  const queue = queuedMarks.get(src.availability);
  if (!queue || queue.length === 0) return 0;
  // Grouped by agent first: a burst of five frames per agent costs one interval lookup per agent and one
  // insert per distinct hour, not one per frame.
  const byAgent = new Map<string, Map<string, Set<number>>>();
  for (const { agentId, results } of queue) {
    let hours = byAgent.get(agentId);
    if (!hours) byAgent.set(agentId, (hours = new Map()));
    await dirtyHoursOf(src, agentId, results, hours);
  }
  await src.availability.markDirty([...byAgent].flatMap(([agentId, hours]) => marksOf(agentId, hours)));
  queuedMarks.delete(src.availability); // only once written: a failed write is retried by the next reader or pass
  return queue.length;
}

/** What a flush reads and writes, in units of work. */
export type FlushSource = AvailabilitySource & Pick<Store, 'unitOfWork'>;

/** Marks every check of an agent (and the host) dirty over [from, to): gaps, SLA role changes. */
export async function markAgent(src: AvailabilitySource, agentId: string, from: number, to: number): Promise<void> {
  await markDirty(src, [...(await checksOfAgent(src, agentId)).map((c) => ({ agentId, checkId: c.checkId, from, to })), { agentId, checkId: HOST, from, to }]);
}

/**
 * Recomputes dirty hours and the local days containing them, then forgets them. Returns the number of
 * dirty hours processed. Runs in transactions of `batchSize` hours until nothing is dirty, or until
 * `maxBatches` transactions ran (the timer's bounded slices: the caller yields and continues later).
 * With `endedBy`, only hours that ended by then: the timer leaves the running hour alone, which every new
 * result marks dirty again at once, so recomputing it on every pass was work no query could use (queries
 * compute a dirty hour from raw results anyway). Each hour is then computed about once, when it is over.
 */
export async function flushRollups(
  src: FlushSource,
  { batchSize = FLUSH_BATCH, maxBatches = Infinity, endedBy }: { batchSize?: number; maxBatches?: number; endedBy?: number } = {},
): Promise<number> {
  await writeQueuedMarks(src);
  const lastHour = endedBy === undefined ? undefined : endedBy - HOUR_MS;
  let processed = 0;
  for (let batches = 0; batches < maxBatches; batches++) {
    // One step in one unit of work: the dirty hours it takes, the raw data it reads and the rows it writes agree.
    const taken = await src.unitOfWork(async () => {
      const dirty = await src.availability.dirtyBatch(batchSize, lastHour);
      if (dirty.length === 0) return 0;
      const rows: RollupWrite = { hours: [], days: [] };
      const reads = new CheckReads();
      const step = stepView(src);
      // Checks before hosts, so a host is built from what its checks' hours just read.
      for (const series of dirty) if (series.checkId !== HOST) await recompute(step, series, rows, reads);
      for (const series of dirty) if (series.checkId === HOST) await recompute(step, series, rows, reads);
      await src.availability.writeRollups(dirty, rows);
      return dirty.reduce((n, d) => n + d.hours.length, 0);
    });
    if (taken === 0) return processed;
    processed += taken;
  }
  return processed;
}

/**
 * The source as one flush step sees it: a check, a host's checks, an agent's gaps over a span and a client's
 * maintenance windows are each read once per step (inside its transaction, so nothing changes meanwhile). A
 * host of 1,000 checks otherwise asked for the same gaps and windows once per check and span.
 */
function stepView(src: AvailabilitySource): AvailabilitySource {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, read: () => T): T => {
    if (!memo.has(key)) memo.set(key, read());
    return memo.get(key) as T;
  };
  const { availability, maintenance } = src;
  const checksOfAgent = (agentId: string) => once(`checks\u0000${agentId}`, () => availability.checksOfAgent(agentId));
  const byId = (agentId: string) => once(`byId\u0000${agentId}`, async () => new Map((await checksOfAgent(agentId)).map((c) => [c.checkId, c])));
  const overrides: Partial<AvailabilitySource['availability']> = {
    // One read of the agent's checks per step serves every check of the step (a slice holds up to 200).
    check: async (agentId, checkId) => (await byId(agentId)).get(checkId),
    checksOfAgent,
    gaps: (agentId, from, to) => once(`gaps\u0000${agentId}\u0000${from}\u0000${to}`, () => availability.gaps(agentId, from, to)),
  };
  return {
    availability: passThrough(availability, overrides),
    maintenance: passThrough(maintenance, { windowsOfClient: (clientId) => once(`windows\u0000${clientId}`, () => maintenance.windowsOfClient(clientId)) }),
  };
}

/**
 * The source as one read of many checks sees it (an overview row: a client's month figure, its incidents, its hosts'
 * heartbeat bars). A client's checks and its maintenance windows are read once, not once per check: what the first
 * read found serves the rest of the view, as if read at its start. And the results, dirty hours, rollups and gaps that
 * checks ask for over the same span in the same turn (the checks run side by side, mapSideBySide) are one statement
 * for all of them, whatever their agents: each answer is what its own read would have returned. Read one by one, ~6
 * statements a check kept a client of 100,000 checks waiting 8 s on SQLite and 30 s on PostgreSQL (bench stores,
 * 2026-12-07); gathered per agent only, still one statement per agent and read kind.
 */
export function readView(src: AvailabilitySource): AvailabilitySource {
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, read: () => T): T => {
    if (!memo.has(key)) memo.set(key, read());
    return memo.get(key) as T;
  };
  const { availability, maintenance } = src;
  const results = gathered((series, from, to, want: { messages?: boolean; latency?: boolean }) => availability.resultsOfSeries(series, from, to, want));
  const dirty = gathered((series, after, before) => availability.dirtyHoursOfSeries(series, after, before));
  const days = gathered((series, from, to) => availability.dayRollupsOfSeries(series, from, to));
  const hours = gathered((series, from, to) => availability.hourRollupsOfSeries(series, from, to));
  // Gaps are the agent's, not a series': gathered by agent (a series of the agent with no check id).
  const gaps = gathered((series, from, to) => availability.gapsOfAgents(series.map((s) => s.agentId), from, to), (s) => s.agentId);
  /** Per client read so far, its checks by agent: an agent found there has exactly those checks (same select, same order). */
  const clientsRead: Array<Promise<Map<string, AvailabilityCheckRecord[]>>> = [];
  const checksOfClient = (clientId: number) => once(`clientChecks\u0000${clientId}`, () => {
    const read = availability.checksOfClient(clientId);
    clientsRead.push(read.then((checks) => {
      const byAgent = new Map<string, AvailabilityCheckRecord[]>();
      for (const c of checks) {
        const list = byAgent.get(c.agentId);
        if (list) list.push(c);
        else byAgent.set(c.agentId, [c]);
      }
      return byAgent;
    }));
    return read;
  });
  // An agent without checks is in no client's list: asked of the store, as before.
  const fromClients = async (agentId: string): Promise<AvailabilityCheckRecord[] | undefined> => {
    for (const read of clientsRead) {
      const checks = (await read).get(agentId);
      if (checks) return checks;
    }
    return undefined;
  };
  const overrides: Partial<AvailabilitySource['availability']> = {
    results: (agentId, checkId, from, to, want = {}) => results(agentId, checkId, from, to, { messages: want.messages === true, latency: want.latency === true }),
    dirtyHoursBetween: (agentId, checkId, after, before) => dirty(agentId, checkId, after, before, null),
    dayRollups: (agentId, checkId, from, to) => days(agentId, checkId, from, to, null),
    hourRollups: (agentId, checkId, from, to) => hours(agentId, checkId, from, to, null),
    gaps: (agentId, from, to) => once(`gaps\u0000${agentId}\u0000${from}\u0000${to}`, () => gaps(agentId, HOST, from, to, null)),
    // A client's month figure asks for its checks three times (the target's weight, the totals, the incidents).
    checksOfClient,
    // A host's checks (its heartbeat bar) and one check, from the client's checks when the view read them: one
    // statement for the client instead of one per host and per check (10,000 of each for a client of 10,000 hosts).
    checksOfAgent: (agentId) => once(`checks\u0000${agentId}`, async () => (await fromClients(agentId)) ?? availability.checksOfAgent(agentId)),
    check: async (agentId, checkId) => {
      const checks = await fromClients(agentId);
      return checks ? checks.find((c) => c.checkId === checkId) : availability.check(agentId, checkId);
    },
  };
  return {
    availability: passThrough(availability, overrides),
    maintenance: passThrough(maintenance, { windowsOfClient: (clientId) => once(`windows\u0000${clientId}`, () => maintenance.windowsOfClient(clientId)) }),
  };
}

/**
 * One series' read, gathered: the reads over the same span (and options) asked for before the next turn of the event
 * loop (setImmediate: every chain that was ready has asked by then) go as one read of all their series. `keyOf` names
 * a series in the read's answer (seriesKey by default).
 */
function gathered<O, T>(
  read: (series: SeriesRef[], from: number, to: number, options: O) => Promise<Map<string, T[]>>,
  keyOf: (s: SeriesRef) => string = (s) => seriesKey(s.agentId, s.checkId),
) {
  const open = new Map<string, { series: Map<string, SeriesRef>; answer: Promise<Map<string, T[]>> }>();
  return async (agentId: string, checkId: string, from: number, to: number, options: O): Promise<T[]> => {
    const key = `${from}\u0000${to}\u0000${JSON.stringify(options)}`;
    let batch = open.get(key);
    if (!batch) {
      const series = new Map<string, SeriesRef>();
      const answer = new Promise<Map<string, T[]>>((resolve, reject) => setImmediate(() => {
        open.delete(key);
        read([...series.values()], from, to, options).then(resolve, reject);
      }));
      open.set(key, (batch = { series, answer }));
    }
    const ref = { agentId, checkId };
    batch.series.set(keyOf(ref), ref);
    // A copy: two asks for one series in one batch must not share a list a caller may change.
    return [...((await batch.answer).get(keyOf(ref)) ?? [])];
  };
}

/** `target` with some methods replaced; the others still called on `target` itself. */
function passThrough<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(obj, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value: unknown = Reflect.get(obj, key, obj);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** The rows of one series' dirty hours and the local days containing them, added to `rows`. */
async function recompute(src: AvailabilitySource, { agentId, checkId, hours }: DirtyHours, rows: RollupWrite, reads: CheckReads): Promise<void> {
  const isHost = checkId === HOST;
  const timeZone = isHost ? (await checksOfAgent(src, agentId))[0]?.timeZone : (await checkInfo(src, agentId, checkId))?.timeZone;
  if (!timeZone) return; // results for a check the store no longer knows: nothing to roll up
  // Hour rows from raw, one read per run of adjacent hours (a steady flush has one run: the current hour).
  const fresh = new Map<number, BucketFigures>();
  for (const run of adjacentRuns(hours)) {
    const figures = await bucketsOf(src, agentId, checkId, run.map((h): [number, number] => [h, h + HOUR_MS]), reads);
    run.forEach((h, i) => {
      fresh.set(h, figures[i]!);
      rows.hours.push({ agentId, checkId, start: h, figures: figures[i]! });
    });
  }
  const days = new Map<number, number>();
  for (const h of hours) for (const [start, end] of localDaysTouching(h, h + HOUR_MS, timeZone)) days.set(start, end);
  for (const [start, end] of days) rows.days.push({ agentId, checkId, start, end, figures: await dayFromHours(src, agentId, checkId, start, end, fresh, reads) });
}

/** Sorted hours split into runs of adjacent hours. */
function adjacentRuns(hours: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const h of [...hours].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && h === last.at(-1)! + HOUR_MS) last.push(h);
    else runs.push([h]);
  }
  return runs;
}

/**
 * A local day's figures as the sum of its hours: the hours just recomputed, the stored rows of the others, raw
 * data only for hours without a row and for the part-hours at the edges of a day in a half-hour zone. Exact,
 * because the timeline is additive over adjacent spans (the same property queries rely on when they join rows
 * and raw spans), and cheap: recomputing the whole day from raw on every flush cost 20+ ms per new result late
 * in the day (1,000 checks at 20 s), more than the flush interval allows. A stored row of an hour that is still
 * dirty (left for a later batch) may be stale; the day row is then recomputed again when that hour is, and
 * queries do not trust it meanwhile. Latency percentiles cannot be summed: day rows leave them empty.
 */
async function dayFromHours(
  src: AvailabilitySource, agentId: string, checkId: string, start: number, end: number, fresh: ReadonlyMap<number, BucketFigures>, reads: CheckReads,
): Promise<BucketFigures> {
  const sum: BucketFigures = { ...emptyTotals(), results: 0, failures: 0, latencyP50: null, latencyP95: null, latencyP99: null };
  const add = (f: Pick<BucketFigures, keyof StateTotals | 'results' | 'failures'>) => {
    addTotals(sum, f);
    sum.results += f.results;
    sum.failures += f.failures;
  };
  const fromRaw = async (from: number, to: number) => {
    if (to > from) add((await bucketsOf(src, agentId, checkId, [[from, to]], reads))[0]!);
  };
  const firstHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
  const endOfHours = Math.floor(end / HOUR_MS) * HOUR_MS;
  const stored = new Map<number, RollupRow>();
  if (firstHour < endOfHours) for (const row of await src.availability.hourRollups(agentId, checkId, firstHour, endOfHours)) stored.set(row.start, row);
  let rawFrom = start;
  for (let h = firstHour; h < endOfHours; h += HOUR_MS) {
    const figures = fresh.get(h) ?? stored.get(h);
    if (!figures) continue;
    await fromRaw(rawFrom, h);
    add(figures);
    rawFrom = h + HOUR_MS;
  }
  await fromRaw(rawFrom, end);
  return sum;
}
