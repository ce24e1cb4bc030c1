import type { HistoryPoint, StateSpan } from '@nines/shared';
import { duration, el, table, time } from '../dom.ts';
import { t } from '../i18n.ts';

/** Transitions listed at most (newest first); the band above shows the whole range. */
const TRANSITIONS_SHOWN = 50;

/** Nearest-rank percentiles of a metric over the points that carry it; null without any. */
export function percentiles(points: readonly HistoryPoint[], metric: string): { p50: number; p95: number; max: number; count: number } | null {
  const values = points.map((p) => p.metrics[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (values.length === 0) return null;
  const rank = (p: number) => values[Math.max(0, Math.ceil((p / 100) * values.length) - 1)]!;
  return { p50: rank(50), p95: rank(95), max: values.at(-1)!, count: values.length };
}

/**
 * The check's states as a list of transitions: when it went down, came back, had no data; how long each lasted.
 * The API's spans are already one per state change (neighbours differ: the timeline merges them).
 */
export function transitionsSection(states: readonly StateSpan[]): HTMLElement {
  const rows = states.slice(-TRANSITIONS_SHOWN).reverse().map((s) =>
    el('tr', { 'data-state': s.state },
      el('td', {}, el('span', { class: `seg-label ${s.state}` }, t(`state.${s.state}`))),
      el('td', {}, time(s.from)), el('td', {}, time(s.to)), el('td', {}, duration(s.to - s.from))));
  return el('section', { class: 'card', id: 'transitions' }, el('h2', {}, t('check.transitions')),
    rows.length ? table([t('col.state'), t('inc.from'), t('check.until'), t('inc.duration')], rows) : el('p', { class: 'muted' }, t('check.noData')),
    states.length > TRANSITIONS_SHOWN ? el('p', { class: 'muted' }, t('check.moreTransitions', states.length - TRANSITIONS_SHOWN)) : null);
}
