/** Quiet hours in a recipient's own time zone: mail due inside them waits until they end. */
export interface QuietHours {
  from: string;
  to: string;
}

const MINUTE = 60_000;

/** Minutes since local midnight (and the seconds part in ms) of `at` in `timeZone`. */
export function localMinuteOfDay(at: number, timeZone: string): { minute: number; subMinuteMs: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const minute = Number(parts.find((p) => p.type === 'minute')!.value);
  return { minute: hour * 60 + minute, subMinuteMs: at % MINUTE };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether `at` lies in the quiet hours [from, to), which may span midnight (22:00–07:00). */
export function inQuietHours(at: number, quiet: QuietHours, timeZone: string): boolean {
  const { minute } = localMinuteOfDay(at, timeZone);
  const from = minutes(quiet.from);
  const to = minutes(quiet.to);
  if (from === to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The earliest time ≥ `at` outside the quiet hours: the next `to` in local time, also across a daylight-saving change. */
export function quietHoursEnd(at: number, quiet: QuietHours | null, timeZone: string): number {
  if (!quiet || !inQuietHours(at, quiet, timeZone)) return at;
  let candidate = at;
  for (let guard = 0; guard < 4 && inQuietHours(candidate, quiet, timeZone); guard++) {
    const { minute, subMinuteMs } = localMinuteOfDay(candidate, timeZone);
    const wait = (minutes(quiet.to) - minute + 1440) % 1440 || 1440;
    candidate = candidate - subMinuteMs + wait * MINUTE;
    // A daylight-saving change in between shifts local time by the offset change: land on `to` in local time.
    let drift = minutes(quiet.to) - localMinuteOfDay(candidate, timeZone).minute;
    if (drift > 720) drift -= 1440;
    if (drift < -720) drift += 1440;
    candidate += drift * MINUTE;
  }
  return candidate;
}
