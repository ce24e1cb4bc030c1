/** Numbers, percentages, durations and dates for people, per locale and in the client's time zone. */
import { LOCALES, MESSAGES, type Lang } from './messages.ts';

export class Formatter {
  private readonly locale: string;
  private readonly units;
  constructor(readonly lang: Lang, readonly timeZone: string) {
    this.locale = LOCALES[lang];
    this.units = MESSAGES[lang].units;
  }

  /** A decimal string already rounded as intended ("99.912") shown in the locale: "99,912 %" / "99.912%". */
  percent(decimal: string | null): string | null {
    if (decimal === null) return null;
    const places = decimal.split('.')[1]?.length ?? 0;
    const n = new Intl.NumberFormat(this.locale, { minimumFractionDigits: places, maximumFractionDigits: places }).format(Number(decimal));
    return this.lang === 'de' ? `${n} %` : `${n}%`;
  }

  /** A fraction (0.9731) as a percentage rounded down to one place. */
  fractionFloor(value: number | null): string | null {
    if (value === null) return null;
    return this.percent((Math.floor(value * 1000) / 10).toFixed(1));
  }

  number(value: number, digits = 0): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: digits }).format(value);
  }

  /**
   * "1 h 03 min 12 s". `round` says which way the last second goes: downtime rounds up and budgets round
   * down, so the shown numbers never contradict the met / not met verdict.
   */
  duration(ms: number, round: 'up' | 'down'): string {
    const total = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const u = this.units;
    if (h > 0) return `${this.number(h)} ${u.h} ${String(m).padStart(2, '0')} ${u.min} ${String(s).padStart(2, '0')} ${u.s}`;
    if (m > 0) return `${m} ${u.min} ${String(s).padStart(2, '0')} ${u.s}`;
    return `${s} ${u.s}`;
  }

  dateTime(at: number): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
  }

  date(at: number): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, dateStyle: 'long' }).format(at);
  }

  monthTitle(at: number): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, month: 'long', year: 'numeric' }).format(at);
  }

  bytes(n: number): string {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = n;
    let i = 0;
    while (v >= 1000 && i < units.length - 1) (v /= 1000), i++;
    return `${this.number(v, i === 0 ? 0 : 1)} ${units[i]}`;
  }
}
