import type { Catalog } from './catalog.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration as people write it in a mail: "12 Min.", "1 Std. 5 Min.", "2 Tg. 3 Std." (de) / "12 min", "1 h 5 min" (en).
 * Started minutes count (an outage is never made shorter than it was); at most the two largest units are named.
 */
export function formatDuration(ms: number, catalog: Catalog): string {
  const u = catalog.units;
  if (ms < MINUTE) return u.underAMinute;
  const minutes = Math.ceil(ms / MINUTE);
  const days = Math.floor(minutes / (DAY / MINUTE));
  const hours = Math.floor((minutes % (DAY / MINUTE)) / 60);
  const rest = minutes % 60;
  const parts = days > 0 ? [[days, u.day], [hours, u.hour]] : hours > 0 ? [[hours, u.hour], [rest, u.minute]] : [[rest, u.minute]];
  return parts
    .filter(([n], i) => i === 0 || n !== 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}
