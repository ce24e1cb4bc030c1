import { api } from '../api.ts';
import { duration, el, link, present, time } from '../dom.ts';
import { t } from '../i18n.ts';
import { keepingFocus } from '../focus.ts';

/** An alert as GET /api/v1/alerts returns it (docs/alerting.md). */
export interface Alert {
  id: number; clientId: number; agentId: string; kind: 'check' | 'agentSilent' | 'hostDown' | 'agentQuota' | 'budget'; checkId: string | null; checkKind: string | null;
  state: 'OK' | 'PENDING' | 'FIRING' | 'FLAPPING' | 'RESOLVING'; severity: 'WARN' | 'CRIT' | null; message: string; incident: number; incidentSince: number | null;
  announcedAt: number | null; ackedAt: number | null; ackedBy: string | null; silencedUntil: number | null; updatedAt: number;
}
export interface Transition { id: number; event: string; from: string; to: string; severity: string | null; message: string; at: number; held: string | null }

const SILENCE_CHOICES = ['1h', '4h', '24h', '7d'] as const;

const active = (a: Alert) => a.state !== 'OK';

/**
 * An alert's state, and for admins the acknowledge and silence buttons (POST /api/v1/alerts/:id/ack, /silence).
 * Client users see the state only: the collector refuses them those actions anyway (403).
 */
export function alertPanel(alert: Alert, isAdmin: boolean, onChange: () => Promise<void>, options: { linkToCheck?: boolean; transitions?: Transition[] } = {}): HTMLElement {
  const now = Date.now();
  const outcome = el('p', { class: 'outcome', role: 'status' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  // The view is redrawn after an action: focus stays on the control, or on this alert's section when it is gone.
  const changed = () => keepingFocus(onChange);
  const silenced = alert.silencedUntil !== null && alert.silencedUntil > now;
  const facts: [string, Node | string][] = [
    [t('alert.state'), el('span', { class: `alert-state ${alert.state}`, 'data-alert-state': alert.state }, t(`alert.${alert.state}`))],
    [t('alert.severity'), alert.severity ? t(`status.${alert.severity}`) : '—'],
    [t('col.message'), alert.message || '—'],
    // Since when the problem is there (the failing result's time), and apart from it when it was told.
    [t('alert.since'), time(alert.incidentSince ?? alert.updatedAt)],
    [t('alert.announced'), alert.announcedAt === null ? '—' : time(alert.announcedAt)],
    [t('alert.acked'), el('span', { 'data-acked': alert.ackedAt === null ? 'no' : 'yes' }, alert.ackedAt === null ? t('alert.notAcked') : t('alert.ackedBy', alert.ackedBy ?? '?', time(alert.ackedAt)))],
    [t('alert.silenced'), silenced ? t('alert.silencedUntil', time(alert.silencedUntil)) : '—'],
  ];
  const silenceFor = el('select', { 'aria-label': t('alert.silenceFor'), class: 'silence-for' }, ...SILENCE_CHOICES.map((d) => el('option', { value: d }, d)));
  const actions = isAdmin
    ? el('div', { class: 'inline alert-actions' },
      active(alert) && alert.ackedAt === null
        ? el('button', { type: 'button', class: 'ack', onclick: () => void api('POST', `/api/v1/alerts/${alert.id}/ack`).then(changed, fail) }, t('alert.ack'))
        : null,
      silenceFor,
      el('button', { type: 'button', class: 'silence', onclick: () => void api('POST', `/api/v1/alerts/${alert.id}/silence`, { for: silenceFor.value }).then(changed, fail) }, t('alert.silence')))
    : null;
  const checkLink = options.linkToCheck ? el('p', {}, subjectLink(alert)) : null;
  const history = options.transitions?.length
    ? el('details', {}, el('summary', {}, t('alert.history', options.transitions.length)),
      el('ul', { class: 'transitions' }, ...options.transitions.slice().reverse().map((tr) =>
        el('li', {}, `${time(tr.at)}: ${stateText(tr.from)} → ${stateText(tr.to)}`, tr.held ? el('span', { class: 'muted' }, ` (${tr.held})`) : null, tr.message ? el('span', { class: 'muted' }, ` — ${tr.message}`) : null))))
    : null;
  return el('section', { class: `card alert ${alert.state}`, id: `alert-${alert.id}`, 'data-alert': String(alert.id) }, ...present(
    // People read how long it has been going on; the alert's row id and incident counter are the collector's business.
    el('h2', {}, t('alert.title'), active(alert) ? el('small', { class: 'muted', 'data-alert-for': '' }, t('alert.for', duration(now - (alert.announcedAt ?? alert.updatedAt)))) : null),
    el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    actions, outcome, checkLink, history,
  ));
}

const STATES = new Set<string>(['OK', 'PENDING', 'FIRING', 'FLAPPING', 'RESOLVING']);
/** A transition's state in words; anything unexpected is shown as it came rather than hidden. */
function stateText(state: string): string {
  return STATES.has(state) ? t(`alert.${state as Alert['state']}`) : state;
}

/** Where an alert's subject lives: its check, its host (agent silent, host down) or its client (error budget). */
function subjectLink(alert: Alert): HTMLElement {
  if (alert.kind === 'check' && alert.checkId) return link(`#/check/${encodeURIComponent(alert.agentId)}/${encodeURIComponent(alert.checkId)}`, t('alert.toCheck'));
  if (alert.kind === 'budget') return link(`#/client/${alert.clientId}`, t('alert.toClient'));
  return link(`#/host/${encodeURIComponent(alert.agentId)}`, t('alert.toHost'));
}

/** The alert of one check, if the collector has one (alerts exist once a check was evaluated). */
export async function alertOfCheck(agentId: string, checkId: string): Promise<Alert | null> {
  const { alerts } = await api<{ alerts: Alert[] }>('GET', '/api/v1/alerts');
  return alerts.find((a) => a.kind === 'check' && a.agentId === agentId && a.checkId === checkId) ?? null;
}
