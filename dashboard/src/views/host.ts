import type { AgentDetail, CheckDetail } from '@nines/shared';
import { api } from '../api.ts';
import { ago, bytes, duration, el, link, percent, present, statusBadge, table, time } from '../dom.ts';
import { checkName, resultText, t } from '../i18n.ts';
import type { View } from '../view.ts';
import { liveRows } from '../live-rows.ts';
import { checkEditor } from './check-editor.ts';

interface PackageInfo { name?: string; from?: string; to?: string; version?: string; security?: boolean; repository?: string }

function packagesOf(details: unknown): PackageInfo[] {
  if (Array.isArray(details)) return details as PackageInfo[];
  const nested = (details as { packages?: unknown } | null)?.packages;
  return Array.isArray(nested) ? (nested as PackageInfo[]) : [];
}

function patchSection(check: CheckDetail): HTMLElement {
  const m = check.metrics;
  const packages = packagesOf(check.details);
  return el('section', { class: 'card', 'data-section': 'patch' },
    el('h2', {}, t('host.patches'), ' ', statusBadge(check.status)),
    el('p', {}, t('host.pending', m.pending ?? '—', m.security ?? '—'), ' · ',
      (m.reboot_required ?? 0) > 0 ? el('strong', { class: 'attention' }, `⟳ ${t('host.reboot')}`) : t('host.noReboot')),
    check.message ? el('p', { class: 'muted' }, resultText(check)) : null,
    packages.length ? el('details', {}, el('summary', {}, `${t('host.packages')} (${packages.length})`),
      el('ul', { class: 'packages' }, ...packages.map((p) => el('li', {}, p.security ? el('strong', {}, '🔒 ') : null, p.name ?? '?', ' ',
        el('span', { class: 'muted' }, [p.from, p.to ?? p.version].filter(Boolean).join(' → ')))))) : null);
}

function backupSection(agentId: string, checks: CheckDetail[]): HTMLElement {
  return el('section', { class: 'card', 'data-section': 'backup' }, el('h2', {}, t('host.backups')),
    table([t('col.state'), t('col.check'), t('col.message'), t('col.last')], checks.map((c) =>
      el('tr', {}, el('td', {}, statusBadge(c.status)),
        el('th', { scope: 'row' }, link(`#/check/${encodeURIComponent(agentId)}/${encodeURIComponent(c.id)}`, checkName(c))),
        el('td', {}, c.metrics.age_s !== undefined ? t('host.backupAge', duration(c.metrics.age_s * 1000)) : '', ' ',
          c.metrics.size_bytes !== undefined ? el('span', { class: 'muted' }, t('host.size', bytes(c.metrics.size_bytes))) : null, ' ', resultText(c)),
        el('td', {}, ago(c.lastResultAt))))));
}

/** One host (agent): connection, clock, spool, its checks, backups and updates. */
export const hostView: View = async ([rawId], { root, me }) => {
  const id = decodeURIComponent(rawId!);
  const refresh = async () => {
    const { agent, checks } = await api<AgentDetail>('GET', `/api/v1/agents/${encodeURIComponent(id)}`);
    const facts: [string, string | Node][] = [
      [t('col.connection'), agent.revoked ? t('host.revoked') : agent.connected ? `● ${t('host.connected')}` : `○ ${t('host.disconnected')}`],
      [t('col.lastSeen'), `${time(agent.lastSeenAt)} (${ago(agent.lastSeenAt)})`],
      [t('host.clockOffset'), agent.clockOffsetMs === null ? '—' : `${agent.clockOffsetMs} ms`],
      [t('col.version'), agent.updateAvailable ? `${agent.agentVersion ?? '—'} · ${t('host.updateAvailable', agent.updateAvailable)}` : agent.agentVersion ?? '—'],
      [t('host.platform'), `${agent.platform ?? '—'}${agent.hostname ? ` · ${agent.hostname}` : ''}`],
      [t('host.backlog'), String(agent.backlog)],
    ];
    const rows = checks.map((c) =>
      el('tr', { 'data-check': `${agent.id}/${c.id}` },
        el('td', { 'data-label': t('col.state') }, statusBadge(c.status)),
        el('th', { scope: 'row', 'data-label': t('col.check') }, link(`#/check/${encodeURIComponent(agent.id)}/${encodeURIComponent(c.id)}`, checkName(c))),
        el('td', { 'data-label': t('col.kind') }, c.kind, el('small', { class: 'muted' }, ` ${t(c.assigned ? 'host.assigned' : 'host.local')}`),
          // Each label leads to the overview filtered by it.
          ...c.labels.map((l) => el('a', { class: 'label-chip', href: `#/?label=${encodeURIComponent(l)}` }, l))),
        el('td', { class: 'message', 'data-label': t('col.message') }, resultText(c)),
        el('td', { 'data-label': t('col.last'), 'data-last': String(c.lastResultAt ?? '') }, ago(c.lastResultAt)),
        el('td', { 'data-label': t('col.avail24') }, percent(c.availability24h))));
    const patch = checks.find((c) => c.kind === 'patch');
    const backups = checks.filter((c) => c.kind === 'backup');
    root.replaceChildren(...present(
      el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', link(`#/client/${agent.clientId}`, agent.client), ' › ', agent.name),
      el('h1', {}, agent.name),
      el('dl', { class: 'facts card' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      el('section', { class: 'card' }, el('h2', {}, t('host.checks')),
        table([t('col.state'), t('col.check'), t('col.kind'), t('col.message'), t('col.last'), t('col.avail24')], rows)),
      backups.length ? backupSection(agent.id, backups) : null,
      patch ? patchSection(patch) : null,
      me.role === 'admin' && !agent.revoked ? checkEditor(agent.id, null, refresh) : null,
      me.role === 'admin' && !agent.revoked ? adminActions(agent.id, agent.name, refresh) : null,
    ));
  };

  await refresh();
  // A result in a state already shown updates its row in place; a new state or a (dis)connection refreshes.
  const rows = liveRows(root);
  return { apply: (m) => rows.apply(m), wants: (m) => m.type !== 'overview' && m.agentId === id, refresh };
};

function adminActions(agentId: string, name: string, refresh: () => Promise<void>): HTMLElement {
  const input = el('input', { value: name, 'aria-label': t('admin.rename'), id: 'agent-name' });
  const problem = el('p', { class: 'error', role: 'alert' });
  return el('section', { class: 'card' }, el('h2', {}, t('nav.admin')),
    el('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      api('PATCH', `/api/v1/agents/${encodeURIComponent(agentId)}`, { name: input.value }).then(refresh, (err: Error) => (problem.textContent = err.message));
    } }, input, el('button', { type: 'submit' }, t('admin.rename'))),
    el('button', { type: 'button', class: 'danger', onclick: () => {
      if (!confirm(t('admin.confirmRevoke'))) return;
      api('DELETE', `/api/v1/agents/${encodeURIComponent(agentId)}`).then(refresh, (err: Error) => (problem.textContent = err.message));
    } }, t('admin.revoke')),
    problem);
}
