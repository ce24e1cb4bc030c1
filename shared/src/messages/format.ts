/** Number, size and duration formatting for result messages, per language. */
import { humanDuration } from '../time.ts';

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

/** "3 d 4 h" in English, "3 T 4 h" in German: only the day unit differs. */
export function duration(ms: number, lang: MessageLanguage): string {
  const text = humanDuration(ms);
  return lang === 'de' ? text.replace(/(\d) d\b/, '$1 T') : text;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
