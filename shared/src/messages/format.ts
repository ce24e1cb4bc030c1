/** Number, size and duration formatting for result messages, per language. */

export type MessageLanguage = 'de' | 'en';

/** A decimal number as the language writes it: 12.5 / 12,5. Integers stay plain (no thousands separator in ports or counts). */
export function num(value: number, lang: MessageLanguage, digits?: number): string {
  const text = digits === undefined ? String(value) : value.toFixed(digits);
  return lang === 'de' ? text.replace('.', ',') : text;
}

export function gib(bytes: number, lang: MessageLanguage): string {
  return `${num(Math.round((bytes / 1024 ** 3) * 10) / 10, lang, 1)} GiB`;
}

export function bytes(value: number, lang: MessageLanguage): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${num(scaled, lang, 1)} ${units[unit]}`;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/**
 * "3 d 4 h" in English, "3 T 4 h" in German, as humanDuration in time.ts spells English (kept apart so the
 * dashboard bundle of these renderers does not pull in TypeBox through time.ts).
 */
export function duration(ms: number, lang: MessageLanguage): string {
  const abs = Math.abs(ms);
  const day = lang === 'de' ? 'T' : 'd';
  if (abs >= D) {
    const h = Math.floor((abs % D) / H);
    return h ? `${Math.floor(abs / D)} ${day} ${h} h` : `${Math.floor(abs / D)} ${day}`;
  }
  if (abs >= H) {
    const m = Math.floor((abs % H) / M);
    return m ? `${Math.floor(abs / H)} h ${m} min` : `${Math.floor(abs / H)} h`;
  }
  if (abs >= M) return `${Math.floor(abs / M)} min`;
  if (abs >= S) return `${Math.floor(abs / S)} s`;
  return `${abs} ms`;
}

/** "2026-11-25 03:12 UTC": a moment the agent names for any reader, whatever their zone. */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 48,000 / 48.000: a count large enough that grouping helps it read. */
export function grouped(value: number, lang: MessageLanguage): string {
  const digits = String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');
  return value < 0 ? `-${digits}` : digits;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The time left, as a person would say it: "4 d 23 h", "23 h", "40 min" ("4 T 23 Std." in German). Days alone
 * ("4 d") would hide that 4 d 23 h is nearly five; hours are rounded down so it never sounds later than it is.
 */
export function timeLeft(leftMs: number, lang: MessageLanguage): string {
  const [d, h, min] = lang === 'de' ? ['T', 'Std.', 'Min.'] : ['d', 'h', 'min'];
  if (leftMs < 3_600_000) return `${Math.max(1, Math.floor(leftMs / 60_000))} ${min}`;
  const days = Math.floor(leftMs / 86_400_000);
  const hours = Math.floor((leftMs - days * 86_400_000) / 3_600_000);
  if (days === 0) return `${hours} ${h}`;
  return hours === 0 ? `${days} ${d}` : `${days} ${d} ${hours} ${h}`;
}
