import uPlot from 'uplot';
import type { HistoryPoint, Status } from '@nines/shared';
import { el } from './dom.ts';
import { t, locale } from './i18n.ts';
import { chartTimeFormat } from './chart-time.ts';

/** The metric a check's chart shows: its latency when it has one, else its first numeric metric. */
export function chartMetric(points: readonly HistoryPoint[]): string | null {
  const keys = new Set(points.flatMap((p) => Object.keys(p.metrics)));
  if (keys.has('latency_ms')) return 'latency_ms';
  return [...keys].sort()[0] ?? null;
}

export interface Segment { from: number; to: number; status: Status }

/** Consecutive results with the same status, merged: a day of minute checks becomes a handful of spans. */
export function segments(points: readonly HistoryPoint[], to: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const end = points[i + 1]?.at ?? to;
    const last = out.at(-1);
    if (last && last.status === p.status) last.to = end;
    else out.push({ from: p.at, to: end, status: p.status });
  }
  return out;
}

/** A horizontal band of status spans; each span names its status and times, so colour is never the only cue. */
export function statusBand(points: readonly HistoryPoint[], from: number, to: number): HTMLElement {
  const span = Math.max(1, to - from);
  const fmt = (ms: number) => new Date(ms).toLocaleString(locale());
  const band = el('div', { class: 'band', role: 'img', 'aria-label': t('check.timeline') });
  const list = segments(points, to);
  const leading = list[0] ? list[0].from - from : span;
  if (leading > 0) band.append(el('span', { class: 'seg NONE', style: `width:${(leading / span) * 100}%` }));
  for (const s of list) {
    const text = `${t(`status.${s.status}`)}: ${fmt(s.from)} – ${fmt(s.to)}`;
    band.append(el('span', { class: `seg ${s.status}`, style: `width:${((s.to - s.from) / span) * 100}%`, title: text, 'data-status': s.status }, el('span', { class: 'sr' }, text)));
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
