import type { AgentStatus, ClientAvailability, ClientInfo, FigureSummary, HostBeat, LiveMessage, OverviewResponse } from '@nines/shared';
import { api } from '../api.ts';
import { ago, budget, duration, el, link, percent, percentText, statusBadge, table, time } from '../dom.ts';
import { checkName, resultText, t, language } from '../i18n.ts';
import type { View } from '../view.ts';
import { liveRows } from '../live-rows.ts';
import { maintenanceSection, type MaintenanceWindow } from './maintenance.ts';
import { reportSection } from './client-reports.ts';
import { loadStatusPage, statusPageSection } from './status-page-admin.ts';
import { heartbeatBar } from './heartbeat.ts';

interface ClientDetail {
  client: ClientInfo;
  agents: AgentStatus[];
}
interface IncidentCause { check: string | null; message: string; code: string | null; params: Record<string, string | number> | null }
interface Incident { agentId: string; checkId: string | null; name: string; from: number; to: number; durationMs: number; cause: string; causes?: IncidentCause[]; ongoing: boolean }

/** The cause in the current language; incidents from a collector without `causes` show their stored text. */
function causeText(i: Incident): string {
  return i.causes?.length ? i.causes.map((c) => `${c.check ? `${c.check}: ` : ''}${resultText(c)}`).join('; ') : i.cause;
}

const WINDOWS = ['24h', '7d', '30d', 'month'] as const;

function connection(agent: AgentStatus): HTMLElement {
  if (agent.revoked) return el('span', { class: 'conn revoked' }, `⊘ ${t('host.revoked')}`);
  return agent.connected
    ? el('span', { class: 'conn up', 'data-connected': 'true' }, `● ${t('host.connected')}`)
    : el('span', { class: 'conn down', 'data-connected': 'false' }, `○ ${t('host.disconnected')}, ${ago(agent.lastSeenAt)}`);
}

/** One figure cell: percent rounded down, a mark for met/missed, coverage and maintenance in the tooltip. */
function figureCell(f: FigureSummary | undefined, label: string): HTMLElement {
  if (!f || f.availabilityPercent === null) return el('td', { class: 'num muted', 'data-label': label }, '—');
  const tip = `${t('avail.coverage')}: ${percent(f.coverage, 1)} · ${t('avail.down')}: ${duration(f.downMs)} · ${t('col.budget')}: ${budget(f.budgetWindowLeftMs)} ${t('budget.of', budget(f.budgetWindowMs))}`;
  return el('td', { class: f.met === false ? 'num attention' : 'num', 'data-label': label, title: tip, 'data-window': f.window }, percentText(f.availabilityPercent));
}

const windowLabel = (w: (typeof WINDOWS)[number]) => (w === 'month' ? t('col.month') : w);

function availabilitySection(data: ClientAvailability, client: ClientInfo): HTMLElement {
  const headers = [t('col.name'), ...WINDOWS.map(windowLabel)];
  const row = (name: Node | string, figures: Record<string, FigureSummary>, attrs: Record<string, string>) =>
    el('tr', attrs, el('th', { scope: 'row', 'data-label': t('col.name') }, name), ...WINDOWS.map((w) => figureCell(figures[w], windowLabel(w))));
  const month = data.client.month;
  return el('section', { class: 'card', id: 'availability' },
    el('h2', {}, t('avail.title'), el('small', { class: 'muted' }, t('target.of', percent(client.slaTarget, 1)))),
    month && month.availabilityPercent !== null
      ? el('p', { id: 'month-summary', class: month.met ? 'good' : 'attention' },
        t(month.met ? 'avail.monthMet' : 'avail.monthMissed', percentText(month.availabilityPercent), budget(month.budgetWindowLeftMs), budget(month.budgetWindowMs), budget(month.budgetSoFarMs)),
        month.partialData ? ` ${t('avail.partial', percent(month.coverage, 1))}` : '')
      : el('p', { class: 'muted', id: 'month-summary' }, t('avail.noData')),
    table(headers, [
      row(el('strong', {}, client.name), data.client, { 'data-scope': 'client' }),
      ...data.hosts.map((h) => row(link(`#/host/${encodeURIComponent(h.agentId)}`, h.name), h.figures, { 'data-scope': 'host', 'data-agent': h.agentId })),
      ...data.checks.map((c) => row(el('span', {}, link(`#/check/${encodeURIComponent(c.agentId)}/${encodeURIComponent(c.checkId)}`, c.name),
        c.weight === 0 ? el('small', { class: 'muted' }, ` ${t('avail.notSla')}`) : null), c.figures, { 'data-scope': 'check', 'data-check': `${c.agentId}/${c.checkId}` })),
    ], { id: 'availability-table' }));
}

function incidentsSection(list: Incident[]): HTMLElement {
  const rows = [...list].reverse().map((i) => el('tr', { class: i.ongoing ? 'ongoing' : '' },
    el('td', { 'data-label': t('col.state') }, i.ongoing ? el('strong', { class: 'attention' }, t('inc.ongoing')) : t('inc.resolved')),
    el('th', { scope: 'row', 'data-label': t('col.check') }, i.checkId ? link(`#/check/${encodeURIComponent(i.agentId)}/${encodeURIComponent(i.checkId)}`, i.name) : i.name),
    el('td', { 'data-label': t('inc.from') }, time(i.from)),
    el('td', { 'data-label': t('inc.duration') }, duration(i.durationMs)),
    el('td', { class: 'message', 'data-label': t('inc.cause') }, causeText(i))));
  return el('section', { class: 'card', id: 'incidents' }, el('h2', {}, t('inc.title')),
    rows.length ? table([t('col.state'), t('col.check'), t('inc.from'), t('inc.duration'), t('inc.cause')], rows) : el('p', { class: 'muted' }, t('inc.none')));
}

/** The host's last 24 h under its name: the bar its client's overview row carries (none for a revoked host). */
function hostBeat(beat: HostBeat | undefined): HTMLElement | null {
  return beat ? el('div', { class: 'beats host-beats' }, heartbeatBar(beat, false)) : null;
}

function hostSection(agent: AgentStatus, beat: HostBeat | undefined): HTMLElement {
  const rows = agent.checks.map((c) =>
    el('tr', { 'data-check': `${agent.id}/${c.id}` },
      el('td', { 'data-label': t('col.state') }, statusBadge(c.status)),
      el('th', { scope: 'row', 'data-label': t('col.check') }, link(`#/check/${encodeURIComponent(agent.id)}/${encodeURIComponent(c.id)}`, checkName(c))),
      el('td', { class: 'message', 'data-label': t('col.message') }, resultText(c)),
      el('td', { 'data-label': t('col.last'), 'data-last': String(c.lastResultAt ?? '') }, ago(c.lastResultAt)),
      el('td', { 'data-label': t('col.avail24') }, percent(c.availability24h))));
  return el('section', { class: 'card host', 'data-agent': agent.id },
    el('h2', {}, link(`#/host/${encodeURIComponent(agent.id)}`, agent.name), ' ', connection(agent)),
    hostBeat(beat),
    table([t('col.state'), t('col.check'), t('col.message'), t('col.last'), t('col.avail24')], rows));
}

/** One client: availability over four windows, incidents, maintenance, monthly reports, and its hosts and checks. */
export const clientView: View = async ([id], { root, me }) => {
  const refresh = async () => {
    const isAdmin = me.role === 'admin';
    const [data, figures, incidents, maintenance, statusPage, overview] = await Promise.all([
      api<ClientDetail>('GET', `/api/v1/clients/${id}`),
      api<ClientAvailability>('GET', `/api/v1/clients/${id}/availability`),
      api<{ incidents: Incident[] }>('GET', `/api/v1/incidents?scope=client&id=${id}&window=30d`),
      api<{ windows: MaintenanceWindow[] }>('GET', `/api/v1/maintenance?clientId=${id}`),
      isAdmin ? loadStatusPage(Number(id)) : Promise.resolve(null),
      // The bars come from the overview kept in memory (this client's row alone), not from a scan of raw results.
      api<OverviewResponse>('GET', `/api/v1/overview?client=${id}`),
    ]);
    const beats = new Map((overview.clients[0]?.beats ?? []).map((b) => [b.agentId, b]));
    const hostName = (agentId: string) => data.agents.find((a) => a.id === agentId)?.name ?? agentId;
    root.replaceChildren(
      el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', data.client.name),
      el('h1', {}, data.client.name, el('small', {}, ` ${t('target.of', percent(data.client.slaTarget, 1))} · ${data.client.timezone}`)),
      availabilitySection(figures, data.client),
      reportSection(data.client, figures.month, me.role === 'admin'),
      incidentsSection(incidents.incidents),
      maintenanceSection(data.client.id, maintenance.windows, hostName, me.role === 'admin', refresh),
      ...(isAdmin ? [statusPageSection(data.client.id, data.agents, statusPage, refresh)] : []),
      el('h2', {}, t('client.hosts')),
      ...data.agents.map((a) => hostSection(a, beats.get(a.id))),
    );
    root.dataset.lang = language();
    agentIds = new Set(data.agents.map((a) => a.id));
  };
  let agentIds = new Set<string>();
  await refresh();
  // A refresh rebuilds the view: not while an admin is typing into one of its forms.
  const typing = () => ['#maint-form', '#status-page', '#reports'].some((s) => root.querySelector(s)?.contains(document.activeElement));
  /** The client's overview row, pushed when it changed: each host's bar that changed is replaced in place, no request. */
  const applyBeats = (m: LiveMessage & { type: 'overview' }) => {
    if (m.client.id !== Number(id)) return true;
    for (const beat of m.bars) root.querySelector(`.card.host[data-agent="${CSS.escape(beat.agentId)}"] .host-beats`)?.replaceChildren(heartbeatBar(beat, false));
    return true;
  };
  // A result in a state already shown updates its row in place; a new state or a (dis)connection refreshes.
  const rows = liveRows(root);
  return { apply: (m) => (m.type === 'overview' ? applyBeats(m) : rows.apply(m)), wants: (m) => m.type !== 'overview' && agentIds.has(m.agentId) && !typing(), refresh };
};
