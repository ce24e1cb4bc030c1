import type { ClientSummary, LiveMessage, OverviewResponse } from '@nines/shared';
import { api } from '../api.ts';
import { ICON, el, link, percent, percentText, statusBadge, budget, table } from '../dom.ts';
import { resultText, t } from '../i18n.ts';
import type { View } from '../view.ts';
import { needsAttention, withRow } from '../overview-rows.ts';
import { allLabels, filterHash, hostsShown, matchesFilter, parseFilter, STATE_FILTERS, type OverviewFilter, type StateFilter } from '../overview-filter.ts';
import { heartbeatBars } from './heartbeat.ts';

const PROBLEMS_SHOWN = 3; // per row; the client view lists all

/** A number that only matters when non-zero: zero is shown quietly, anything else stands out. */
function count(n: number | null, label: string): HTMLElement {
  if (n === null) return el('td', { class: 'num muted', 'data-label': label }, '—');
  return el('td', { class: n > 0 ? 'num attention' : 'num muted', 'data-label': label }, String(n));
}

function availabilityCell(row: ClientSummary): HTMLElement {
  const label = t('col.month');
  const target = el('small', {}, ` ${t('target.of', percent(row.slaTarget, 1))}`);
  // Not computed (the figure failed) shows "—"; computed without measured time says so: no figure, no verdict.
  if (row.errorBudgetMonthMs === null) {
    return el('td', { 'data-label': label, 'data-month': 'none' }, el('span', { class: 'muted', title: t('na.availability') }, '—'), target);
  }
  if (row.availabilityMonthPercent === null) {
    return el('td', { 'data-label': label, 'data-month': 'none' }, el('span', { class: 'muted' }, t('avail.none')), target);
  }
  // The verdict is the collector's exact integer comparison, not a float compare here.
  const mark = row.monthMet ? el('span', { class: 'met', title: t('sla.met') }, '✓ ') : el('span', { class: 'attention', title: t('sla.missed') }, '✕ ');
  const partial = row.monthPartialData
    ? el('small', { class: 'muted', 'data-partial': 'true', title: t('avail.partial', percent(row.monthCoverage, 1)) }, ` · ${t('avail.partialShort')}`) : null;
  return el('td', { 'data-label': label, 'data-month': row.availabilityMonthPercent, class: row.monthMet ? '' : 'attention' }, mark, percentText(row.availabilityMonthPercent), partial, target);
}

/** What is left of the whole month's budget, of how much; the pro-rata part of the days so far in the tooltip. */
function budgetCell(row: ClientSummary): HTMLElement {
  const label = t('col.budget');
  if (row.errorBudgetLeftMs === null || row.errorBudgetMonthMs === null) return el('td', { 'data-label': label }, el('span', { class: 'muted' }, '—'));
  return el('td', { 'data-label': label, 'data-budget-left': String(row.errorBudgetLeftMs), title: t('budget.soFar', budget(row.errorBudgetSoFarMs)) },
    el('span', { class: row.errorBudgetLeftMs < 0 ? 'attention' : '' }, budget(row.errorBudgetLeftMs)),
    el('small', { class: 'muted' }, ` ${t('budget.of', budget(row.errorBudgetMonthMs))}`));
}

/**
 * The security posture as one mark and the number of security checks not OK ("✕ 2"); which state counts how
 * many is in the tooltip and the accessible name. It is this narrow on purpose: the German overview must fit 1400 px.
 */
function securityCell(row: ClientSummary): HTMLElement {
  const label = t('col.security');
  const { worst, counts } = row.security;
  if (worst === null) return el('td', { class: 'security muted', 'data-label': label, 'data-security': 'NONE', title: t('security.none'), 'aria-label': t('security.none') }, '—');
  const total = counts.OK + counts.WARN + counts.CRIT + counts.UNKNOWN;
  const notOk = total - counts.OK;
  const parts = [counts.CRIT ? t('security.crit', counts.CRIT) : '', counts.WARN ? t('security.warn', counts.WARN) : '', counts.UNKNOWN ? t('security.unknown', counts.UNKNOWN) : ''].filter(Boolean);
  const text = notOk === 0 ? t('security.allOk', total) : t('security.notOk', notOk, total, parts.join(', '));
  return el('td', { class: 'security', 'data-label': label, 'data-security': worst, title: text, 'aria-label': text },
    el('span', { class: `mark ${worst}`, 'aria-hidden': 'true' }, ICON[worst]), notOk ? el('span', { 'aria-hidden': 'true' }, ` ${notOk}`) : null);
}

function barsOf(row: ClientSummary, filter: OverviewFilter): HTMLElement | null {
  const { bars, total } = hostsShown(row, filter);
  return heartbeatBars(bars, total, row.id);
}

function rowOf(row: ClientSummary, filter: OverviewFilter): HTMLTableRowElement {
  const problems = row.problems.slice(0, PROBLEMS_SHOWN).map((p) =>
    el('li', {}, statusBadge(p.status), ' ', link(`#/host/${encodeURIComponent(p.agentId)}`, p.agentName), ' · ',
      link(`#/check/${encodeURIComponent(p.agentId)}/${encodeURIComponent(p.checkId)}`, p.checkName),
      p.message ? el('span', { class: 'muted' }, ` — ${resultText(p)}`) : null));
  const more = row.problems.length > PROBLEMS_SHOWN ? el('li', {}, link(`#/client/${row.id}`, `+${row.problems.length - PROBLEMS_SHOWN}`)) : null;
  return el('tr', { 'data-client': String(row.id), 'data-worst': row.worst ?? 'NONE' },
    el('td', { 'data-label': t('col.state') }, statusBadge(row.worst)),
    el('th', { scope: 'row', 'data-label': t('col.client') }, link(`#/client/${row.id}`, row.name)),
    // The hosts' bars under the problems, not in a column of their own (the German overview must fit 1400 px), and not
    // in the row header, whose text a screen reader repeats for every cell of the row.
    el('td', { class: 'problems', 'data-label': t('col.problems') }, problems.length ? el('ul', {}, ...problems, more) : el('span', { class: 'muted' }, '—'),
      barsOf(row, filter)),
    availabilityCell(row),
    budgetCell(row),
    count(row.openIncidents, t('col.incidents')),
    count(row.backupsOverdue, t('col.backups')),
    securityCell(row),
    count(row.securityUpdates, t('col.patches')),
    count(row.rebootRequired, t('col.reboot')),
    count(row.agentsSilent, t('col.silent')),
    el('td', { class: 'num', 'data-label': t('col.hosts') }, link(`#/client/${row.id}`, String(row.hosts))),
  );
}

const STATE_LABEL: Record<StateFilter, () => string> = {
  all: () => t('filter.allStates'), problems: () => t('filter.problems'), CRIT: () => t('status.CRIT'), WARN: () => t('status.WARN'), UNKNOWN: () => t('status.UNKNOWN'),
};

/**
 * Every client as a row, worst first: "is anything wrong anywhere, and is everyone on track this month?" Filtered
 * by client text, label and state; the filter lives in the hash (#/?client=…&label=…&state=…), so a reload keeps it.
 */
export const overviewView: View = async (params, { root }) => {
  let filter = parseFilter(params[0] ?? '');
  const search = el('input', { type: 'search', id: 'search', placeholder: t('overview.search'), 'aria-label': t('filter.client'), value: filter.client });
  const labelSelect = el('select', { id: 'label-filter', 'aria-label': t('filter.label') });
  const stateSelect = el('select', { id: 'state-filter', 'aria-label': t('filter.state') },
    ...STATE_FILTERS.map((s) => el('option', { value: s, selected: s === filter.state }, STATE_LABEL[s]())));
  const summary = el('p', { class: 'summary', role: 'status' });
  const list = el('div', { id: 'overview' });
  root.append(
    el('div', { class: 'toolbar' }, el('h1', {}, t('overview.title')), el('div', { class: 'filters', role: 'search' }, search, labelSelect, stateSelect)),
    summary, list,
  );
  let data: OverviewResponse = { generatedAt: 0, clients: [] };

  /** The label options: every label there is, and the chosen one even when no client has it (any more). */
  const drawLabels = () => {
    const labels = allLabels(data.clients);
    if (filter.label && !labels.includes(filter.label)) labels.push(filter.label);
    const wanted = ['', ...labels];
    const have = [...labelSelect.options].map((o) => o.value);
    if (wanted.length === have.length && wanted.every((v, i) => v === have[i])) return;
    labelSelect.replaceChildren(...wanted.map((l) => el('option', { value: l, selected: l === filter.label }, l === '' ? t('filter.allLabels') : l)));
  };

  const draw = () => {
    drawLabels();
    const rows = data.clients.filter((r) => matchesFilter(r, filter));
    const bad = data.clients.filter(needsAttention).length;
    summary.textContent = bad === 0 ? t('overview.allGood', data.clients.length) : t('overview.attention', bad, data.clients.length);
    summary.className = bad === 0 ? 'summary good' : 'summary bad';
    if (data.clients.length === 0) return list.replaceChildren(el('p', {}, t('overview.empty')));
    if (rows.length === 0) return list.replaceChildren(el('p', {}, t('overview.none')));
    const headers = ['col.state', 'col.client', 'col.problems', 'col.month', 'col.budget', 'col.incidents', 'col.backups', 'col.security', 'col.patches', 'col.reboot', 'col.silent', 'col.hosts'] as const;
    list.replaceChildren(table(headers.map((h) => t(h)), rows.map((r) => rowOf(r, filter)), { class: 'overview' }));
  };
  /** A changed filter is drawn and written to the hash without a new history entry or a navigation. */
  const onFilter = () => {
    filter = { client: search.value.trim(), label: labelSelect.value, state: stateSelect.value as StateFilter };
    history.replaceState(null, '', filterHash(filter));
    draw();
  };
  const refresh = async () => {
    data = await api<OverviewResponse>('GET', '/api/v1/overview');
    draw();
    root.dataset.renderedAt = String(data.generatedAt);
    performance.mark('nines:overview-rendered');
  };
  search.addEventListener('input', onFilter);
  labelSelect.addEventListener('change', onFilter);
  stateSelect.addEventListener('change', onFilter);
  await refresh();
  // The collector pushes a client's row when it changed: put it in place and re-sort, no request. Results and
  // connection messages change nothing here by themselves: their effect arrives as the row.
  const apply = (m: LiveMessage) => {
    if (m.type !== 'overview') return true;
    data = withRow(data, m.client, m.at);
    draw();
    root.dataset.renderedAt = String(data.generatedAt);
    performance.mark('nines:overview-rendered');
    return true;
  };
  return { apply, wants: () => false, refresh };
};
