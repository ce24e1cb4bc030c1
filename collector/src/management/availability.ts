/**
 * The availability figures the dashboard shows, taken from the availability engine (collector/src/availability):
 * this month per client for the overview, and 24 h / 7 d / 30 d / this month per client, host and check for
 * the client view. Nothing is computed twice: a client's figure is the weighted sum of its checks' totals,
 * exactly as the engine's clientTotals adds them.
 */
import type { ClientAvailability, FigureSummary } from '@nines/shared';
import {
  addTotals, availabilityFor, checkTotals, emptyTotals, checksOfClient, coveredChecksOfClient, agentsOfClient, clientInfo, figureOf, hostTotals, ongoingIncidentCount, resolveWindow,
  type AvailabilityFigure, type AvailabilitySource, type StateTotals,
} from '../availability/index.ts';
import { monotonicMs, reuseMs, type Elapsed } from './reuse.ts';

export const DASHBOARD_WINDOWS = ['24h', '7d', '30d', 'month'] as const;
export type DashboardWindow = (typeof DASHBOARD_WINDOWS)[number];

/**
 * How far back the overview looks for incidents still open. An ongoing DOWN span ends at now whatever its start,
 * and the engine reads the result before the window too, so a short window finds every open one at little cost.
 */
const OPEN_INCIDENT_LOOKBACK_MS = 3_600_000;

export function figureSummary(f: AvailabilityFigure): FigureSummary {
  return {
    window: f.window.label, from: f.window.from, until: f.window.until, availability: f.availability, availabilityPercent: f.availabilityPercent,
    met: f.met, coverage: f.coverage, downMs: f.downMs, maintenanceMs: f.maintenanceMs, budgetRemainingMs: f.budget.remainingMs,
    partialData: f.partialData, budgetWindowMs: f.budget.windowBudgetMs, budgetSoFarMs: f.budget.elapsedBudgetMs,
    budgetWindowLeftMs: f.measuredMs === 0 ? null : f.budget.windowRemainingMs,
  };
}

export interface MonthFigure {
  availability: number | null;
  availabilityPercent: string | null;
  met: boolean | null;
  coverage: number | null;
  partialData: boolean | null;
  /** The whole month's budget, the pro-rata part for the days so far, and the month's budget less the downtime so far. */
  errorBudgetMonthMs: number;
  errorBudgetSoFarMs: number;
  errorBudgetLeftMs: number | null;
  openIncidents: number;
}

/** This calendar month (client's time zone) and the incidents open now, for one overview row. */
export async function monthFigure(src: AvailabilitySource, clientId: number, now: number): Promise<MonthFigure> {
  const f = await availabilityFor(src, 'client', String(clientId), 'month', now);
  const openIncidents = await ongoingIncidentCount(src, await coveredChecksOfClient(src, clientId), now - OPEN_INCIDENT_LOOKBACK_MS, now);
  return {
    availability: f.availability, availabilityPercent: f.availabilityPercent, met: f.met, coverage: f.coverage, partialData: f.partialData,
    errorBudgetMonthMs: f.budget.windowBudgetMs, errorBudgetSoFarMs: f.budget.elapsedBudgetMs,
    errorBudgetLeftMs: f.measuredMs === 0 ? null : f.budget.windowRemainingMs, openIncidents,
  };
}

/**
 * Month figures per client, reused for a few seconds. Every live result makes every open dashboard refetch
 * the overview, and the month figure of 40 clients × 50 checks costs a few hundred ms on a busy 2-core box
 * (bench/dashboard.ts); a figure a few seconds old changes nothing a person reads off a monthly percentage.
 * Check states and problems in the same row are always current.
 */
export const MONTH_FIGURE_TTL_MS = 10_000;

/** Reused for MONTH_FIGURE_TTL_MS, or for ten times what the figure took to compute when that is longer (reuse.ts). */
export class MonthFigureCache {
  private readonly entries = new Map<number, { at: number; costMs: number; figure: MonthFigure }>();
  constructor(private readonly ttlMs = MONTH_FIGURE_TTL_MS, private readonly elapsed: Elapsed = monotonicMs) {}

  async get(clientId: number, now: number, compute: () => Promise<MonthFigure>): Promise<MonthFigure> {
    const hit = this.entries.get(clientId);
    if (hit && now >= hit.at && now - hit.at < reuseMs(this.ttlMs, hit.costMs)) return hit.figure;
    const started = this.elapsed();
    const figure = await compute();
    this.entries.set(clientId, { at: now, costMs: this.elapsed() - started, figure });
    return figure;
  }
}

/** Every figure of the client view in one pass: each check's totals once per window, the client's summed from them. */
export async function clientAvailability(src: AvailabilitySource, clientId: number, now: number): Promise<ClientAvailability> {
  const client = await clientInfo(src, String(clientId));
  if (!client) throw new Error(`client ${clientId} has no availability record`);
  const spans = Object.fromEntries(DASHBOARD_WINDOWS.map((w) => [w, resolveWindow(w, now, client.timeZone)])) as Record<DashboardWindow, ReturnType<typeof resolveWindow>>;
  const clientSums = Object.fromEntries(DASHBOARD_WINDOWS.map((w) => [w, emptyTotals()])) as Record<DashboardWindow, StateTotals>;
  const target = { id: String(client.id), name: client.name, timeZone: client.timeZone, targetPpm: client.targetPpm };
  const clientChecks = await checksOfClient(src, client.id);
  const clientTarget = { ...target, weight: clientChecks.reduce((sum, c) => sum + c.weight, 0) };

  const checks = (await Promise.all(clientChecks.map(async (c) => {
    const figures: Record<string, FigureSummary> = {};
    for (const w of DASHBOARD_WINDOWS) {
      const span = spans[w];
      const totals = await checkTotals(src, c, span.from, span.until);
      if (c.weight > 0) addTotals(clientSums[w], totals, c.weight);
      figures[w] = figureSummary(figureOf('check', { ...target, id: `${c.agentId}/${c.checkId}`, name: c.name }, span, totals));
    }
    return { agentId: c.agentId, checkId: c.checkId, name: c.name, weight: c.weight, figures };
  })));
  const hosts = (await Promise.all((await agentsOfClient(src, client.id)).map(async (a) => {
    const figures: Record<string, FigureSummary> = {};
    for (const w of DASHBOARD_WINDOWS) {
      const span = spans[w];
      figures[w] = figureSummary(figureOf('host', { ...target, id: a.id, name: a.name }, span, await hostTotals(src, a.id, client.timeZone, span.from, span.until)));
    }
    return { agentId: a.id, name: a.name, figures };
  })));
  const clientFigures: Record<string, FigureSummary> = {};
  for (const w of DASHBOARD_WINDOWS) clientFigures[w] = figureSummary(figureOf('client', clientTarget, spans[w], clientSums[w]));
  return { clientId: client.id, month: spans.month.label, targetPpm: client.targetPpm, client: clientFigures, hosts, checks };
}
