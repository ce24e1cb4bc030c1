/**
 * When a job is due: a local clock time in an IANA zone, daily, on a weekday or on a day of the month.
 *
 * The arithmetic is croner's (`new Cron(pattern, { timezone, paused: true }).nextRun(from)`): a pure computation
 * of the next instant, DST-correct through Intl, with no timer of its own. node-cron and cron-parser were the
 * alternatives: node-cron computes with real timers and cannot take an injected clock; cron-parser would do, but
 * croner has no dependencies and its DST rule is the one we want — a time the spring-forward skips runs at the
 * first instant after the gap (02:30 on 2026-03-29 in Berlin runs at 03:00 CEST), a time the autumn repeats runs
 * once, at its first occurrence (02:30 CEST on 2026-10-25). The scheduler keys runs by slot in the database, so
 * even a rule that named an instant twice would run it once.
 */
import { Cron } from 'croner';
import { WEEKDAYS } from '@nines/shared';
import { isValidTimeZone } from '../availability/zoned-time.ts';

export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTimeRule {
  /** Local clock time HH:MM. */
  at: string;
  timezone: string;
  /** Only on this weekday. */
  weekday?: Weekday;
  /** Only on this day of the month (1–28, so every month has it). */
  dayOfMonth?: number;
}

/** The slots of a job: `next(after)` is the first due instant strictly after `after` (ms UTC). */
export interface Schedule {
  next(afterMs: number): number;
  /** The rule in words, for logs and the Schedules card: "monday 07:00 Europe/Berlin". */
  readonly description: string;
}

/** The schedule of a local-time rule; throws a clear error for a bad time, zone or day. */
export function localTimeSchedule(rule: LocalTimeRule): Schedule {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(rule.at);
  if (!match) throw new Error(`invalid time "${rule.at}" (use HH:MM, 00:00–23:59)`);
  if (!isValidTimeZone(rule.timezone)) throw new Error(`unknown time zone "${rule.timezone}" (use an IANA name such as Europe/Berlin)`);
  if (rule.weekday !== undefined && rule.dayOfMonth !== undefined) throw new Error('give a weekday or a day of the month, not both');
  if (rule.dayOfMonth !== undefined && !(Number.isInteger(rule.dayOfMonth) && rule.dayOfMonth >= 1 && rule.dayOfMonth <= 28)) {
    throw new Error(`invalid day of the month ${rule.dayOfMonth} (use 1–28, which every month has)`);
  }
  if (rule.weekday !== undefined && !WEEKDAYS.includes(rule.weekday)) throw new Error(`invalid weekday "${rule.weekday}" (use ${WEEKDAYS.join(', ')})`);
  // Cron counts weekdays from Sunday = 0.
  const weekday = rule.weekday === undefined ? '*' : String((WEEKDAYS.indexOf(rule.weekday) + 1) % 7);
  const day = rule.dayOfMonth === undefined ? '*' : String(rule.dayOfMonth);
  const cron = new Cron(`${Number(match[2])} ${Number(match[1])} ${day} * ${weekday}`, { timezone: rule.timezone, paused: true });
  const on = rule.weekday ?? (rule.dayOfMonth === undefined ? 'daily' : `day ${rule.dayOfMonth} of the month`);
  return {
    description: `${on} ${rule.at} ${rule.timezone}`,
    next(afterMs: number): number {
      const next = cron.nextRun(new Date(afterMs));
      if (!next) throw new Error(`no run of "${on} ${rule.at}" after ${new Date(afterMs).toISOString()}`);
      return next.getTime();
    },
  };
}
