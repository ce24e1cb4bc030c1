/**
 * Availability figures for a check, a host or a client over any window. Whole local days and whole hours
 * come from rollup rows (a year is 365 rows per check); only the ragged edges, spans with no row and spans
 * with a dirty (not yet recomputed) hour are computed from raw results. The sum is exact either way.
 */
import { NinesError } from '../errors.ts';
import { coverageOf, errorBudget, partialData, percentFloor, PPM, targetMet, type ErrorBudget } from './budget.ts';
import { HOST, rawCheckSegments, rawHostSegments, writeQueuedMarks } from './rollups.ts';
import { agentInfo, checkInfo, checksOfClient, clientInfo, coveredChecksOfClient, type AvailabilitySource, type CheckInfo } from './source.ts';
import { addTotals, emptyTotals, totalsOf, type StateTotals } from './timeline.ts';
import { resolveWindow, type WindowSpan } from './windows.ts';
import { totalsOfChecks } from './many-checks.ts';
import { dirtyHoursWindow, fromDayRows, fromHourRows, hourRowsSpan } from './compose.ts';
import { localDaysWithin } from './zoned-time.ts';

export type Scope = 'check' | 'host' | 'client';

export interface AvailabilityFigure extends StateTotals {
  scope: Scope;
  /** check: "agentId/checkId"; host: agent id; client: client id. */
  id: string;
  name: string;
  timeZone: string;
  window: WindowSpan;
  measuredMs: number;
  /** UP / (UP + DOWN); null without data (never 100 % by default). */
  availability: number | null;
  /** The same in percent, rounded down to 3 places, as people see it ("99.912"). */
  availabilityPercent: string | null;
  /** (UP + DOWN) / (UP + DOWN + UNKNOWN); maintenance is neither. */
  coverage: number | null;
  /** Coverage below PARTIAL_COVERAGE_BELOW (90 %): the verdict rests on partial data; null without a verdict. */
  partialData: boolean | null;
  /** The window is not over yet (a running month): figures and verdict are an interim state. */
  running: boolean;
  targetPpm: number;
  met: boolean | null;
  budget: ErrorBudget;
}

/**
 * Totals of one rollup series (a check, or a host with checkId '') over [from, to): rows where they are
 * complete and clean, `raw` for the rest. availability/many-checks.ts composes many checks the same way, from
 * the same two steps (fromDayRows, fromHourRows), with each read made once for all of them.
 */
export async function composeTotals(src: AvailabilitySource, agentId: string, checkId: string, timeZone: string, from: number, to: number, raw: (from: number, to: number) => Promise<StateTotals>): Promise<StateTotals> {
  const total = emptyTotals();
  if (to <= from) return total;
  await writeQueuedMarks(src);
  const window = dirtyHoursWindow(from, to);
  const dirty = new Set(await src.availability.dirtyHoursBetween(agentId, checkId, window.from, window.to));
  for (const span of fromDayRows(total, from, to, localDaysWithin(from, to, timeZone), dirty, await src.availability.dayRollups(agentId, checkId, from, to))) {
    const hours = hourRowsSpan(span);
    const rows = hours ? await src.availability.hourRollups(agentId, checkId, hours.from, hours.to) : [];
    for (const piece of fromHourRows(total, span, dirty, rows)) addTotals(total, await raw(piece.from, piece.to));
  }
  return total;
}

export async function checkTotals(src: AvailabilitySource, check: CheckInfo, from: number, to: number): Promise<StateTotals> {
  return composeTotals(src, check.agentId, check.checkId, check.timeZone, from, to, async (a, b) => totalsOf((await rawCheckSegments(src, check, a, b)).segments));
}

export async function hostTotals(src: AvailabilitySource, agentId: string, timeZone: string, from: number, to: number): Promise<StateTotals> {
  return composeTotals(src, agentId, HOST, timeZone, from, to, async (a, b) => totalsOf((await rawHostSegments(src, agentId, a, b)).segments));
}

/** Weighted totals of the checks a client's SLA covers (weight > 0); weights are integers, so sums stay exact. */
export async function clientTotals(src: AvailabilitySource, clientId: number, from: number, to: number): Promise<StateTotals> {
  const total = emptyTotals();
  const covered = await coveredChecksOfClient(src, clientId);
  const totals = await totalsOfChecks(src, covered, from, to);
  covered.forEach((c, i) => addTotals(total, totals[i]!, c.weight));
  return total;
}

interface ScopeTarget {
  id: string;
  name: string;
  timeZone: string;
  targetPpm: number;
  /** 1 for a check or a host; for a client the sum of its covered checks' weights (its totals are weighted sums). */
  weight: number;
  totals: (from: number, to: number) => Promise<StateTotals>;
}

/** Resolves a scope and id to what can be computed; NOT_FOUND when there is no such thing. */
export async function scopeTarget(src: AvailabilitySource, scope: Scope, id: string): Promise<ScopeTarget & { clientId: number }> {
  if (scope === 'client') {
    const client = await clientInfo(src, id);
    if (!client) throw new NinesError('NOT_FOUND', `client ${id}`);
    const weight = (await checksOfClient(src, client.id)).reduce((sum, c) => sum + c.weight, 0);
    return { id: String(client.id), name: client.name, timeZone: client.timeZone, targetPpm: client.targetPpm, weight, clientId: client.id, totals: (a, b) => clientTotals(src, client.id, a, b) };
  }
  if (scope === 'host') {
    const agent = await agentInfo(src, id);
    if (!agent) throw new NinesError('NOT_FOUND', `host ${id}`);
    const target = (await clientInfo(src, agent.clientId))!.targetPpm;
    return { id, name: agent.name, timeZone: agent.timeZone, targetPpm: target, weight: 1, clientId: agent.clientId, totals: (a, b) => hostTotals(src, id, agent.timeZone, a, b) };
  }
  const slash = id.indexOf('/');
  const check = slash > 0 ? await checkInfo(src, id.slice(0, slash), id.slice(slash + 1)) : undefined;
  if (!check) throw new NinesError('NOT_FOUND', `check ${id} (use agentId/checkId)`);
  const target = (await clientInfo(src, check.clientId))!.targetPpm;
  return { id, name: `${check.agentName} / ${check.name}`, timeZone: check.timeZone, targetPpm: target, weight: 1, clientId: check.clientId, totals: (a, b) => checkTotals(src, check, a, b) };
}

/** A figure from totals: availability, coverage, verdict and error budget (weight: see ScopeTarget; 1 when left out). */
export function figureOf(scope: Scope, target: Pick<ScopeTarget, 'id' | 'name' | 'timeZone' | 'targetPpm'> & { weight?: number }, window: WindowSpan, totals: StateTotals): AvailabilityFigure {
  const measuredMs = totals.upMs + totals.downMs;
  return {
    scope, id: target.id, name: target.name, timeZone: target.timeZone, window, ...totals, measuredMs,
    availability: measuredMs === 0 ? null : totals.upMs / measuredMs,
    availabilityPercent: percentFloor(totals.upMs, measuredMs),
    coverage: coverageOf(totals),
    partialData: partialData(totals),
    running: window.until < window.to,
    targetPpm: target.targetPpm,
    met: targetMet(totals, target.targetPpm),
    budget: errorBudget(totals, target.targetPpm, window.to - window.from, target.weight ?? 1),
  };
}

/**
 * Availability of a check ("agentId/checkId"), host (agent id) or client (id or name) over a window
 * ("24h", "7d", "30d", "month", "YYYY-MM" in the client's time zone, or {from, to}), counted up to `now`.
 */
export async function availabilityFor(src: AvailabilitySource, scope: Scope, id: string, window: string | { from: number; to: number }, now: number): Promise<AvailabilityFigure> {
  const target = await scopeTarget(src, scope, id);
  let span: WindowSpan;
  try {
    span = resolveWindow(window, now, target.timeZone);
  } catch (error) {
    throw new NinesError('BAD_REQUEST', (error as Error).message);
  }
  return figureOf(scope, target, span, await target.totals(span.from, span.until));
}

/** Target of a client as a fraction (0.999) for display. */
export const targetFraction = (ppm: number) => ppm / PPM;
