import type { AgentStatus, ClientInfo } from '@nines/shared';
import { api } from '../api.ts';
import { ago, el, link, percent, statusBadge, table } from '../dom.ts';
import { t } from '../i18n.ts';
import type { View } from '../view.ts';

interface ClientDetail {
  client: ClientInfo;
  agents: AgentStatus[];
}

function connection(agent: AgentStatus): HTMLElement {
  if (agent.revoked) return el('span', { class: 'conn revoked' }, `⊘ ${t('host.revoked')}`);
  return agent.connected
    ? el('span', { class: 'conn up', 'data-connected': 'true' }, `● ${t('host.connected')}`)
    : el('span', { class: 'conn down', 'data-connected': 'false' }, `○ ${t('host.disconnected')}, ${ago(agent.lastSeenAt)}`);
}

function hostSection(agent: AgentStatus): HTMLElement {
  const rows = agent.checks.map((c) =>
    el('tr', { 'data-check': `${agent.id}/${c.id}` },
      el('td', { 'data-label': t('col.state') }, statusBadge(c.status)),
      el('th', { scope: 'row', 'data-label': t('col.check') }, link(`#/check/${encodeURIComponent(agent.id)}/${encodeURIComponent(c.id)}`, c.name)),
      el('td', { class: 'message', 'data-label': t('col.message') }, c.message ?? ''),
      el('td', { 'data-label': t('col.last') }, ago(c.lastResultAt)),
      el('td', { 'data-label': t('col.avail24') }, percent(c.availability24h))));
  return el('section', { class: 'card host', 'data-agent': agent.id },
    el('h2', {}, link(`#/host/${encodeURIComponent(agent.id)}`, agent.name), ' ', connection(agent)),
    table([t('col.state'), t('col.check'), t('col.message'), t('col.last'), t('col.avail24')], rows));
}

/** One client: its hosts and their checks. */
export const clientView: View = async ([id], { root }) => {
  const refresh = async () => {
    const data = await api<ClientDetail>('GET', `/api/v1/clients/${id}`);
    root.replaceChildren(
      el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', data.client.name),
      el('h1', {}, data.client.name, el('small', {}, ` ${t('target.of', percent(data.client.slaTarget, 1))} · ${data.client.timezone}`)),
      ...data.agents.map(hostSection),
    );
    agentIds = new Set(data.agents.map((a) => a.id));
  };
  let agentIds = new Set<string>();
  await refresh();
  return { wants: (m) => agentIds.has(m.agentId), refresh };
};
