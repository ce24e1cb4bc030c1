import type uPlot from 'uplot';
import type { AgentDetail, CheckHistory } from '@nines/shared';
import { api } from '../api.ts';
import { el, link, present, statusBadge, table, time, percentText } from '../dom.ts';
import { checkName, resultText, t } from '../i18n.ts';
import { chartMetric, metricChart, statusBand } from '../charts.ts';
import { checkEditor } from './check-editor.ts';
import { alertOfCheck, alertPanel } from './alert-panel.ts';
import type { AvailabilityFigureLite } from './figures.ts';
import type { View } from '../view.ts';
import { keepingFocus } from '../focus.ts';
import { percentiles, transitionsSection } from './check-states.ts';

const RANGES = [['24h', 86_400_000], ['7d', 7 * 86_400_000], ['30d', 30 * 86_400_000]] as const;
const RECENT_SHOWN = 50;
const FIGURE_WINDOWS = ['24h', '7d', '30d', 'month'] as const;

/** One check: status timeline, metric chart with percentiles, its state transitions, raw results one click away; admins can edit it here. */
export const checkView: View = async ([rawAgent, rawCheck], { root, me }) => {
  const agentId = decodeURIComponent(rawAgent!);
  const checkId = decodeURIComponent(rawCheck!);
  let range: (typeof RANGES)[number] = RANGES[0];
  let chart: uPlot | null = null;

  const refresh = async () => {
    const to = Date.now();
    const from = to - range[1];
    const scopeId = encodeURIComponent(`${agentId}/${checkId}`);
    const [detail, history, alert, ...figures] = await Promise.all([
      api<AgentDetail>('GET', `/api/v1/agents/${encodeURIComponent(agentId)}`),
      api<CheckHistory>('GET', `/api/v1/agents/${encodeURIComponent(agentId)}/checks/${encodeURIComponent(checkId)}/history?from=${from}&to=${to}`),
      alertOfCheck(agentId, checkId),
      ...FIGURE_WINDOWS.map((w) => api<AvailabilityFigureLite>('GET', `/api/v1/availability?scope=check&id=${scopeId}&window=${w}`).catch(() => null)),
    ]);
    const check = detail.checks.find((c) => c.id === checkId);
    if (!check) throw Object.assign(new Error(t('notFound')), { status: 404 });
    const rangeSelect = el('select', { 'aria-label': t('check.range'), id: 'range' }, ...RANGES.map((r) => el('option', { value: r[0], selected: r === range }, r[0])));
    rangeSelect.addEventListener('change', () => {
      range = RANGES.find((r) => r[0] === rangeSelect.value) ?? RANGES[0];
      void keepingFocus(refresh);
    });
    const chartBox = el('div', { class: 'chart' });
    const metric = chartMetric(history.points);
    const spread = metric ? percentiles(history.points, metric) : null;
    const recent = history.points.slice(-RECENT_SHOWN).reverse().map((p) =>
      el('tr', {}, el('td', {}, statusBadge(p.status)), el('td', {}, time(p.at)), el('td', { class: 'message' }, resultText(p))));
    chart?.destroy();
    chart = null;
    root.replaceChildren(...present(
      el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', link(`#/client/${detail.agent.clientId}`, detail.agent.client), ' › ',
        link(`#/host/${encodeURIComponent(agentId)}`, detail.agent.name), ' › ', checkName(check)),
      el('h1', {}, checkName(check), ' ', statusBadge(check.status)),
      el('p', { class: 'message', id: 'check-message' }, resultText(check)),
      el('p', { class: 'muted' }, `${check.kind} · ${t('col.last')}: ${time(check.lastResultAt)}`),
      el('dl', { class: 'facts card', id: 'check-availability' }, ...FIGURE_WINDOWS.flatMap((w, i) => [
        el('dt', {}, w === 'month' ? t('col.month') : w), el('dd', { 'data-window': w }, percentText(figures[i]?.availabilityPercent ?? null))])),
      alert ? alertPanel(alert, me.role === 'admin', refresh) : null,
      el('section', { class: 'card' }, el('h2', {}, t('check.timeline'), ' ', rangeSelect),
        history.points.length ? statusBand(history.states, from, to) : el('p', {}, t('check.noData')),
        metric && history.points.length ? el('h3', {}, metric) : null, chartBox, spread ? el('p', { id: 'percentiles', 'data-p50': String(spread.p50), 'data-p95': String(spread.p95), 'data-max': String(spread.max) },
          t('check.percentiles', spread.p50, spread.p95, spread.max, spread.count)) : null),
      transitionsSection(history.states),
      // The raw results stay one click away.
      el('details', { class: 'card', id: 'raw' }, el('summary', {}, t('check.recent')), table([t('col.state'), t('col.time'), t('col.message')], recent, { id: 'recent' })),
      me.role === 'admin' && check.assigned ? checkEditor(agentId, checkId, refresh) : null,
    ));
    if (metric && history.points.length) chart = metricChart(chartBox, history.points, metric);
  };

  await refresh();
  return { wants: (m) => m.type !== 'overview' && m.agentId === agentId && (m.type === 'agent' || m.checkId === checkId), refresh, dispose: () => chart?.destroy() };
};
