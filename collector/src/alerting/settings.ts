import { parseDuration, type AlertingConfig } from '@nines/shared';
import type { Thresholds } from './state-machine.ts';

/** Alerting tuning with every default filled in; durations in ms. */
export interface AlertSettings extends Thresholds {
  /** Transitions for one recipient within this window go into one digest mail. */
  groupWindowMs: number;
  /** Reminder while an unacknowledged alert keeps firing; null = never. */
  reminderEveryMs: number | null;
  /** Escalation recipients are told when a firing alert stays unacknowledged this long; null = never. */
  escalateAfterMs: number | null;
  /** Delivery retries: base · 2^(attempt-1), capped at retryMaxMs, at most maxAttempts tries. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How often time-driven work runs (silence, reminders, escalation, delivery). */
  tickMs: number;
  brand: string;
  deadManUrl: string | null;
  deadManEveryMs: number;
  /** Shares (percent) of a client's monthly error budget that alert once per month each; 100 = the target is missed. */
  budgetThresholds: number[];
  /** How often the month's error budgets are looked at. */
  budgetEveryMs: number;
  /** The fallback SMTP tells the consultant once sends failed this many times in a row, over at least fallbackAfterTimeMs. */
  fallbackAfter: number;
  fallbackAfterTimeMs: number;
}

export const ALERT_DEFAULTS: AlertSettings = {
  failuresToFire: 3, // the default: three failures in a row before anyone is woken
  successesToResolve: 2,
  flapWindowMs: 30 * 60_000,
  flapChanges: 6, // six pass/fail flips in 30 min: one "flapping" mail instead of six
  unknownSeverity: 'WARN', // a probe that cannot decide is worth a look, not a night call
  groupWindowMs: 30_000,
  reminderEveryMs: 4 * 3_600_000,
  escalateAfterMs: 3_600_000,
  retryBaseMs: 30_000,
  retryMaxMs: 30 * 60_000,
  maxAttempts: 20, // with the cap: about 8 h of retrying before a digest is given up
  tickMs: 5_000,
  brand: 'Nines',
  deadManUrl: null,
  deadManEveryMs: 5 * 60_000,
  budgetThresholds: [50, 100], // half the month's budget gone is worth a look; all of it means the target is missed
  budgetEveryMs: 5 * 60_000,
  fallbackAfter: 3,
  fallbackAfterTimeMs: 10 * 60_000, // a short SMTP hiccup heals by retrying; ten minutes of failure is worth a word
};

export function alertSettingsFrom(config: AlertingConfig | undefined): AlertSettings {
  const c = config ?? {};
  const duration = (value: string | number | undefined, fallback: number) => (value === undefined ? fallback : parseDuration(value));
  const optional = (value: string | number | null | undefined, fallback: number | null) =>
    value === undefined ? fallback : value === null ? null : parseDuration(value);
  return {
    failuresToFire: c.failuresToFire ?? ALERT_DEFAULTS.failuresToFire,
    successesToResolve: c.successesToResolve ?? ALERT_DEFAULTS.successesToResolve,
    flapWindowMs: duration(c.flapWindow, ALERT_DEFAULTS.flapWindowMs),
    flapChanges: c.flapChanges ?? ALERT_DEFAULTS.flapChanges,
    unknownSeverity: ALERT_DEFAULTS.unknownSeverity,
    groupWindowMs: duration(c.groupWindow, ALERT_DEFAULTS.groupWindowMs),
    reminderEveryMs: optional(c.reminderEvery, ALERT_DEFAULTS.reminderEveryMs),
    escalateAfterMs: optional(c.escalateAfter, ALERT_DEFAULTS.escalateAfterMs),
    retryBaseMs: duration(c.retryBase, ALERT_DEFAULTS.retryBaseMs),
    retryMaxMs: duration(c.retryMax, ALERT_DEFAULTS.retryMaxMs),
    maxAttempts: c.maxAttempts ?? ALERT_DEFAULTS.maxAttempts,
    tickMs: duration(c.tick, ALERT_DEFAULTS.tickMs),
    brand: c.brand ?? ALERT_DEFAULTS.brand,
    deadManUrl: c.deadManUrl ?? null,
    deadManEveryMs: duration(c.deadManEvery, ALERT_DEFAULTS.deadManEveryMs),
    budgetThresholds: [...new Set(c.budgetThresholds ?? ALERT_DEFAULTS.budgetThresholds)].sort((a, b) => a - b),
    budgetEveryMs: duration(c.budgetEvery, ALERT_DEFAULTS.budgetEveryMs),
    fallbackAfter: c.fallbackAfter ?? ALERT_DEFAULTS.fallbackAfter,
    fallbackAfterTimeMs: duration(c.fallbackAfterTime, ALERT_DEFAULTS.fallbackAfterTimeMs),
  };
}
