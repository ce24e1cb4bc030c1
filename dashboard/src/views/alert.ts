import type { AgentDetail } from '@nines/shared';
import { api } from '../api.ts';
import { el, link, present, statusBadge } from '../dom.ts';
import { resultText, t } from '../i18n.ts';
import type { View } from '../view.ts';
import { alertPanel, type Alert, type Transition } from './alert-panel.ts';

/** `#/alerts/:id`, where the alert emails link: the alert, its history, its check, and (admins) acknowledge / silence. */
export const alertView: View = async ([rawId], { root, me }) => {
  const id = Number(rawId);
  let agentId = '';
  const refresh = async () => {
    const { alert, transitions } = await api<{ alert: Alert; transitions: Transition[] }>('GET', `/api/v1/alerts/${id}`);
    agentId = alert.agentId;
    if (alert.kind === 'budget') {
      // A client's month, not a host: subject "YYYY-MM:<percent>" (docs/alerting.md).
      const [month = '', percent = ''] = (alert.checkId ?? '').split(':');
      root.replaceChildren(...present(
        el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', link(`#/client/${alert.clientId}`, t('alert.toClient')), ' › ', t('alert.title')),
        el('h1', {}, t('alert.budget', month, percent)),
        alertPanel(alert, me.role === 'admin', refresh, { linkToCheck: true, transitions }),
      ));
      return;
    }
    const detail = await api<AgentDetail>('GET', `/api/v1/agents/${encodeURIComponent(alert.agentId)}`);
    const check = alert.kind === 'check' && alert.checkId ? detail.checks.find((c) => c.id === alert.checkId) : undefined;
    const what = alert.kind === 'hostDown' ? t('alert.hostDown') : alert.kind === 'agentQuota' ? t('alert.agentQuota') : t('alert.agentSilent');
    const subject = check ? `${detail.agent.name} · ${check.name}` : `${detail.agent.name} · ${what}`;
    root.replaceChildren(...present(
      el('p', { class: 'crumbs' }, link('#/', t('nav.overview')), ' › ', link(`#/client/${detail.agent.clientId}`, detail.agent.client), ' › ',
        link(`#/host/${encodeURIComponent(detail.agent.id)}`, detail.agent.name), ' › ', t('alert.title')),
      el('h1', {}, subject, ' ', check ? statusBadge(check.status) : null),
      check ? el('p', { class: 'message', id: 'check-message' }, resultText(check)) : null,
      alertPanel(alert, me.role === 'admin', refresh, { linkToCheck: true, transitions }),
    ));
  };
  await refresh();
  return { wants: (m) => m.type !== 'overview' && m.agentId === agentId, refresh };
};
