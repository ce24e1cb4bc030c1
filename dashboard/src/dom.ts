import type { Status } from '@nines/shared';
import { t, locale, language } from './i18n.ts';

type Child = Node | string | null | undefined | false;

/** Builds an element; attributes starting with "on" become listeners. Strings are always text, never HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((e: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export function link(href: string, ...children: Child[]): HTMLAnchorElement {
  return el('a', { href }, ...children);
}

export const ICON: Record<Status, string> = { OK: '✓', WARN: '!', CRIT: '✕', UNKNOWN: '?' };

/** Status by icon and word as well as by colour, for colour-blind users and grey-scale printouts. */
export function statusBadge(status: Status | null): HTMLElement {
  const s = status ?? 'UNKNOWN';
  return el('span', { class: `status ${s}`, 'data-status': s }, el('span', { 'aria-hidden': 'true' }, ICON[s]), ' ', t(`status.${s}`));
}

const TIME_FORMAT: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A point in time as people write it in the language: de "02.12.2026, 14:05", en "02/12/2026, 14:05"; the browser's zone. */
export function time(ms: number | null): string {
  if (ms === null) return '—';
  let format = timeFormats.get(locale());
  if (!format) timeFormats.set(locale(), (format = new Intl.DateTimeFormat(locale(), TIME_FORMAT)));
  return format.format(ms);
}

export function ago(ms: number | null, now = Date.now()): string {
  if (ms === null) return t('never');
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return t('ago.s', s);
  if (s < 5400) return t('ago.m', Math.round(s / 60));
  if (s < 129_600) return t('ago.h', Math.round(s / 3600));
  return t('ago.d', Math.round(s / 86_400));
}

/** Availability rounds down, as the SLA arithmetic does: 99.9996 % is not 100 %. */
export function percent(fraction: number | null, digits = 3): string {
  if (fraction === null) return '—';
  const f = 10 ** digits;
  return `${(Math.floor(fraction * 100 * f) / f).toLocaleString(locale(), { minimumFractionDigits: digits })} %`;
}

/** A percentage the collector already rounded down ("99.912"), in the user's number format. */
export function percentText(value: string | null): string {
  if (value === null) return '—';
  return `${language() === 'de' ? value.replace('.', ',') : value} %`;
}

/** A signed duration for error budgets: "−12 min" when overspent. */
export function budget(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 0 ? `−${duration(-ms)}` : duration(ms);
}

export function bytes(n: number | undefined): string {
  if (n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toLocaleString(locale(), { maximumFractionDigits: 1 })} ${units[i]}`;
}

export function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 120) return t('dur.m', m);
  const h = Math.round(m / 60);
  return h < 72 ? t('dur.h', h) : t('dur.d', Math.round(h / 24));
}

export function table(headers: string[], rows: HTMLTableRowElement[], attrs: Record<string, string> = {}): HTMLElement {
  return el('div', { class: 'table-wrap' },
    el('table', attrs, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows)));
}

export function errorBox(error: unknown): HTMLElement {
  return el('p', { class: 'error', role: 'alert' }, (error as Error).message ?? String(error));
}

/** Children without the null/false placeholders of conditional parts, for replaceChildren. */
export function present(...children: Child[]): (Node | string)[] {
  return children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false);
}
