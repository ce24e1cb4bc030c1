/** Small helpers the plain-words findings share: sentences joined from clauses, counts, windows of time. */
import type { MessageLanguage } from '../messages/format.ts';

const H = 3_600_000;
const D = 24 * H;

/** "a, b and c." from clauses, the first letter raised: one sentence however many findings there are. */
export function sentence(clauses: readonly string[], and = 'and'): string {
  const joined = list(clauses, and);
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;
}

/** "a, b and c" (German "a, b und c"): no serial comma, as both languages write it in plain prose. */
export function list(items: readonly string[], and = 'and'): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}` : (items[0] ?? '');
}

export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whole days, at least one: a client reads "for 9 days", not "9 d 4 h". */
export function daysSince(ms: number): number {
  return Math.max(1, Math.floor(ms / D));
}

/** "in the last 24 hours" / "in den letzten 24 Stunden"; whole days from two days on, minutes below an hour. */
export function windowPhrase(ms: number, lang: MessageLanguage): string {
  const de = lang === 'de';
  if (ms < H) {
    const min = Math.max(1, Math.round(ms / 60_000));
    return de ? `in den letzten ${min} Minuten` : `in the last ${min} minutes`;
  }
  if (ms >= 2 * D && ms % D === 0) return de ? `in den letzten ${ms / D} Tagen` : `in the last ${ms / D} days`;
  const h = Math.round(ms / H);
  if (h === 1) return de ? 'in der letzten Stunde' : 'in the last hour';
  return de ? `in den letzten ${h} Stunden` : `in the last ${h} hours`;
}
