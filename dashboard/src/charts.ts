import uPlot from 'uplot';
import type { HistoryPoint, StateSpan } from '@nines/shared';
import { el, time } from './dom.ts';
import { t, locale } from './i18n.ts';
import { chartTimeFormat } from './chart-time.ts';

/** The metric a check's chart shows: its latency when it has one, else its first numeric metric. */
export function chartMetric(points: readonly HistoryPoint[]): string | null {
  const keys = new Set(points.flatMap((p) => Object.keys(p.metrics)));
  if (keys.has('latency_ms')) return 'latency_ms';
  return [...keys].sort()[0] ?? null;
}

/**
 * A horizontal band of the check's availability states as the figures count them (from the API, never
 * recomputed here): a stopped agent shows as an UNKNOWN stretch, not as the last result stretched on.
 * Each span names its state and times, so colour is never the only cue.
 */
export function statusBand(states: readonly StateSpan[], from: number, to: number): HTMLElement {
  const span = Math.max(1, to - from);
  const band = el('div', { class: 'band', role: 'img', 'aria-label': t('check.timeline') });
  for (const s of states) {
    const text = `${t(`state.${s.state}`)}: ${time(s.from)} – ${time(s.to)}`;
    band.append(el('span', { class: `seg ${s.state}`, style: `width:${((s.to - s.from) / span) * 100}%`, title: text, 'data-state': s.state, 'data-from': String(s.from), 'data-to': String(s.to) }, el('span', { class: 'sr' }, text)));
  }
  return band;
}

/** A uPlot line chart of one metric over time; returns the chart so the view can destroy it. */
export function metricChart(container: HTMLElement, points: readonly HistoryPoint[], metric: string): uPlot {
  const xs = points.map((p) => p.at / 1000);
  const ys = points.map((p) => p.metrics[metric] ?? null);
  const width = Math.max(280, container.clientWidth || 800);
  const times = chartTimeFormat(locale());
  return new uPlot(
    {
      width, height: 220,
      scales: { x: { time: true } },
      series: [{ value: (_u, s) => (s === null ? '—' : times.point(s * 1000)) }, { label: metric, stroke: '#1f5fbf', width: 1.5, spanGaps: false, points: { show: points.length < 200 } }],
      // x values are seconds (uPlot's time scale); the step uPlot chose for the ticks is too.
      axes: [{ values: (_u, splits, _axis, _space, step) => times.ticks(splits.map((s) => s * 1000), step * 1000) }, { label: metric }],
      legend: { show: true },
    },
    [xs, ys],
    container,
  );
}
