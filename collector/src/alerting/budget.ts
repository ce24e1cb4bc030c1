import type { ErrorBudget } from '../availability/index.ts';
import type { Severity } from './state-machine.ts';

/** One threshold of a client's monthly error budget that has been passed. */
export interface BudgetCrossing {
  /** Percent of the month's budget (50, 100, …). */
  percent: number;
  /** Alert subject: one alert per client, month and threshold. */
  subject: string;
  severity: Severity;
  message: string;
  metrics: Record<string, number>;
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/**
 * Pure: which thresholds the month's spent downtime has passed. The budget is the downtime the target allows
 * over the whole month (less maintenance), so 50 % means half of what the month may lose is lost already, and
 * 100 % means the target is missed for the month whatever happens next. Passing 100 % or more is CRIT; less is WARN.
 */
export function budgetCrossings(month: string, budget: ErrorBudget, availabilityPercent: string | null, thresholds: readonly number[]): BudgetCrossing[] {
  if (budget.windowBudgetMs <= 0) return []; // a 100 % target or a month all in maintenance: no budget to burn
  const spentPercent = (budget.spentMs / budget.windowBudgetMs) * 100;
  return thresholds
    .filter((percent) => spentPercent >= percent)
    .map((percent) => ({
      percent,
      subject: `${month}:${percent}`,
      severity: percent >= 100 ? 'CRIT' : 'WARN',
      message:
        `${Math.floor(spentPercent)} % of the ${month} error budget spent (threshold ${percent} %): ${minutes(budget.spentMs)} of ${minutes(budget.windowBudgetMs)} min ` +
        `allowed for ${budget.targetPpm / 10_000} %` + (availabilityPercent === null ? '' : `, availability so far ${availabilityPercent} %`),
      metrics: { spent_ms: budget.spentMs, budget_ms: budget.windowBudgetMs, threshold_pct: percent, spent_pct: Math.floor(spentPercent), target_ppm: budget.targetPpm },
    }));
}

/** The month an alert subject ('YYYY-MM:percent') belongs to. */
export function monthOfSubject(subject: string): string {
  return subject.slice(0, subject.indexOf(':'));
}
