/** Named windows (rolling 24 h / 7 d / 30 d, calendar months in the client's time zone) as spans of time. */
import { monthOf, monthRange } from './zoned-time.ts';

export interface WindowSpan {
  /** As asked: "24h", "7d", "30d", "month" (the current one), "YYYY-MM", or "custom". */
  label: string;
  from: number;
  /** Nominal end; may lie in the future for the current month. */
  to: number;
  /** min(to, now): figures never count the future. */
  until: number;
}

const ROLLING: Record<string, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
export const WINDOW_NAMES = ['24h', '7d', '30d', 'month', 'YYYY-MM'] as const;

/** The span a window names at `now` in a time zone; throws with the reason for anything else. */
export function resolveWindow(window: string | { from: number; to: number }, now: number, timeZone: string): WindowSpan {
  if (typeof window === 'object') {
    if (!Number.isInteger(window.from) || !Number.isInteger(window.to) || window.to <= window.from) throw new Error('a custom window needs integer from < to');
    return { label: 'custom', from: window.from, to: window.to, until: Math.min(window.to, now) };
  }
  const rolling = ROLLING[window];
  if (rolling) return { label: window, from: now - rolling, to: now, until: now };
  const month = window === 'month' ? monthOf(now, timeZone) : window;
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`unknown window "${window}" (use ${WINDOW_NAMES.join(', ')})`);
  const [from, to] = monthRange(month, timeZone);
  return { label: month, from, to, until: Math.max(from, Math.min(to, now)) };
}
