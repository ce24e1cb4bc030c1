/**
 * Figures of many checks at once (a client's month figure and its open incidents, for the overview): the same
 * composition as one check's (compose.ts), with each read made once for all the checks that need it over the same
 * span, a few statements per chunk of checks. Read check by check, ~6 statements and a chain of promises each, a
 * client of 100,000 checks took 6–7 s for its month figure on SQLite (bench stores, 2026-12-07).
 */
import { seriesKey, type SeriesRef } from '../store/availability.ts';
import { dirtyHoursWindow, fromDayRows, fromHourRows, hourRowsSpan } from './compose.ts';
import { localDaysWithin } from './zoned-time.ts';
import { HOST, writeQueuedMarks } from './rollups.ts';
import { lookbackMs, maintenanceSpansIn, windowsOfClient, type AvailabilitySource, type CheckInfo } from './source.ts';
import { addTotals, checkSegments, emptyTotals, totalsOf, type Segment, type Span, type StateTotals } from './timeline.ts';

/** Checks read together (`chunk`): statements of a few thousand series stay quick, and one chunk's rows are all held at once. */
const CHUNK = 2_000;

const keyOf = (c: SeriesRef) => seriesKey(c.agentId, c.checkId);

/** Each check's totals over [from, to), in the checks' order; what checkTotals would give each one. */
export async function totalsOfChecks(src: AvailabilitySource, checks: readonly CheckInfo[], from: number, to: number, chunk = CHUNK): Promise<StateTotals[]> {
  if (to <= from) return checks.map(() => emptyTotals());
  await writeQueuedMarks(src);
  const out: StateTotals[] = [];
  for (let i = 0; i < checks.length; i += chunk) out.push(...await chunkTotals(src, checks.slice(i, i + chunk), from, to));
  return out;
}

async function chunkTotals(src: AvailabilitySource, checks: readonly CheckInfo[], from: number, to: number): Promise<StateTotals[]> {
  const dirtyWindow = dirtyHoursWindow(from, to);
  const [dirtyOf, daysOf] = await Promise.all([
    src.availability.dirtyHoursOfSeries(checks, dirtyWindow.from, dirtyWindow.to),
    src.availability.dayRollupsOfSeries(checks, from, to),
  ]);
  const totals = checks.map(() => emptyTotals());
  const dirty = checks.map((c) => new Set(dirtyOf.get(keyOf(c))));
  const days = new Map<string, Array<[number, number]>>(); // per time zone: the same for all the checks in it
  const daysIn = (timeZone: string) => days.get(timeZone) ?? days.set(timeZone, localDaysWithin(from, to, timeZone)).get(timeZone)!;
  const rests = checks.map((c, i) => fromDayRows(totals[i]!, from, to, daysIn(c.timeZone), dirty[i]!, daysOf.get(keyOf(c)) ?? []));

  // The hour rows of every span the day rows left, one read per distinct span.
  const hourAsks = rests.flatMap((rest, i) => rest.map((span) => ({ i, span, hours: hourRowsSpan(span) })));
  const withHours = hourAsks.filter((a) => a.hours !== null);
  const hourRows = await readGrouped(withHours.map((a) => ({ ref: checks[a.i]!, span: a.hours! })), (series, a, b) => src.availability.hourRollupsOfSeries(series, a, b));
  const rowsOf = new Map(withHours.map((a, k) => [a, hourRows[k]!]));
  const rawAsks: Array<{ check: CheckInfo; from: number; to: number; i: number }> = [];
  for (const ask of hourAsks) {
    for (const piece of fromHourRows(totals[ask.i]!, ask.span, dirty[ask.i]!, rowsOf.get(ask) ?? [])) rawAsks.push({ check: checks[ask.i]!, ...piece, i: ask.i });
  }
  const segments = await rawSegments(src, rawAsks);
  rawAsks.forEach((ask, k) => addTotals(totals[ask.i]!, totalsOf(segments[k]!)));
  return totals;
}

/**
 * How many of the checks are DOWN at `now` in a DOWN span that reaches it, from their raw results since `from`: the
 * incidents that incidents() would list as ongoing over [from, now), counted without reading their causes.
 */
export async function ongoingIncidentCount(src: AvailabilitySource, checks: readonly CheckInfo[], from: number, now: number, chunk = CHUNK): Promise<number> {
  if (now <= from) return 0;
  let count = 0;
  for (let i = 0; i < checks.length; i += chunk) {
    for (const segments of await rawSegments(src, checks.slice(i, i + chunk).map((check) => ({ check, from, to: now })))) {
      const last = segments.at(-1);
      if (last?.state === 'DOWN' && last.to === now) count++;
    }
  }
  return count;
}

/** Each ask's segments from raw results, gaps and maintenance (rawCheckSegments' timeline), results and gaps read per distinct span. */
async function rawSegments(src: AvailabilitySource, asks: ReadonlyArray<{ check: CheckInfo; from: number; to: number }>): Promise<Segment[][]> {
  const clients = [...new Set(asks.map((a) => a.check.clientId))];
  const [results, gaps, windows] = await Promise.all([
    readGrouped(asks.map((a) => ({ ref: a.check, span: { from: a.from - lookbackMs(a.check), to: a.to } })), (series, a, b) => src.availability.resultsOfSeries(series, a, b)),
    readGrouped(asks.map((a) => ({ ref: { agentId: a.check.agentId, checkId: HOST }, span: a })), (series, a, b) => src.availability.gapsOfAgents(series.map((s) => s.agentId), a, b), (s) => s.agentId),
    Promise.all(clients.map(async (id) => [id, await windowsOfClient(src, id)] as const)).then((pairs) => new Map(pairs)),
  ]);
  const out: Segment[][] = [];
  for (const [k, { check, from, to }] of asks.entries()) {
    const maintenance = maintenanceSpansIn(windows.get(check.clientId)!, check, from, to);
    out.push(checkSegments({ results: results[k]!, intervalMs: check.intervalMs, gaps: gaps[k]!, maintenance }, from, to));
  }
  return out;
}

/** Each ask's rows, read with one call of `read` per distinct span for all the series asking for it; [] for a series without rows. */
async function readGrouped<T>(
  asks: ReadonlyArray<{ ref: SeriesRef; span: Span }>,
  read: (series: SeriesRef[], from: number, to: number) => Promise<Map<string, T[]>>,
  key: (ref: SeriesRef) => string = keyOf,
): Promise<T[][]> {
  const groups = new Map<string, { span: Span; series: Map<string, SeriesRef> }>();
  for (const { ref, span } of asks) {
    const id = `${span.from}\u0000${span.to}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { span, series: new Map() }));
    group.series.set(key(ref), { agentId: ref.agentId, checkId: ref.checkId });
  }
  const answers = new Map<string, Map<string, T[]>>();
  for (const [id, { span, series }] of groups) answers.set(id, await read([...series.values()], span.from, span.to));
  // A copy per ask: two asks of one series in one group must not share a list.
  return asks.map(({ ref, span }) => [...(answers.get(`${span.from}\u0000${span.to}`)!.get(key(ref)) ?? [])]);
}
