import type { ClientInfo } from '@nines/shared';
import { api } from '../api.ts';
import { el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { schemaFields, type ObjectSchema } from './schema-form.ts';

/** A contact point as GET /api/v1/recipients returns it (collector/src/http/routes/recipients.ts): its target described, secrets masked. */
export interface Recipient {
  id: number; clientId: number | null; name: string; channel: string; contact: string; ready: boolean;
  delivery: { lastSentAt: number | null; lastError: string | null; pending: number; givenUp: number }; audience: 'technical' | 'plain'; language: 'de' | 'en'; timezone: string;
  quietHours: { from: string; to: string } | null; minSeverity: 'WARN' | 'CRIT'; reminders: boolean; resolved: boolean; escalationOnly: boolean; enabled: boolean;
  /** Gets the client's report mails (collectors before issue 21 send no such field). */
  reports?: boolean;
}

/** A channel kind as GET /api/v1/channels returns it: whether it is set up here, and its target's JSON schema. */
export interface ChannelInfo {
  kind: string; label: string; ready: boolean; problem: string | null;
  target: ObjectSchema;
  /** Collector-wide settings (null: none, or e-mail's smtp: in the file), as saved or from the file, credentials masked. */
  settingsSchema: ObjectSchema | null; settings: Record<string, unknown> | null; settingsFrom: 'management' | 'file' | null;
}

const yes = (b: boolean) => (b ? '✓' : '—');

/**
 * Contact points (admins): who is told, over which channel, and how. POST /api/v1/recipients creates or updates by
 * client + channel + target; each row has a "send test message" button that sends at once and says what came back.
 */
export function recipientsSection(recipients: Recipient[], channels: ChannelInfo[], clients: ClientInfo[], refresh: () => Promise<void>): HTMLElement {
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const outcome = el('p', { class: 'outcome', role: 'status' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  const told = (text: string) => ((outcome.className = 'outcome ok'), (outcome.textContent = text));
  const label = new Map(channels.map((c) => [c.kind, c.label]));
  const sendTest = (r: Recipient) => {
    outcome.className = 'outcome';
    outcome.textContent = t('rcp.testing');
    api<{ contact: string }>('POST', `/api/v1/recipients/${r.id}/test`).then((answer) => told(t('rcp.testSent', answer.contact)), fail);
  };
  const rows = recipients.map((r) => el('tr', { 'data-recipient': r.contact, 'data-channel': r.channel, class: r.enabled ? '' : 'muted' },
    el('th', { scope: 'row', 'data-label': t('col.name') }, r.name, el('br'), el('small', {}, `${label.get(r.channel) ?? r.channel}: ${r.contact}`),
      r.ready ? null : el('small', { class: 'error' }, ` (${t('rcp.notReady')})`),
      r.delivery.lastError ? el('small', { class: 'error delivery-error' }, el('br'), `${t(r.delivery.givenUp ? 'rcp.givenUp' : 'rcp.retrying')}: ${r.delivery.lastError}`) : null),
    el('td', { 'data-label': t('col.client') }, r.clientId === null ? t('admin.allClients') : clientName.get(r.clientId) ?? String(r.clientId)),
    el('td', { 'data-label': t('rcp.audience') }, t(`rcp.${r.audience}`), ` · ${r.language}`),
    el('td', { 'data-label': t('rcp.minSeverity') }, t(`status.${r.minSeverity}`)),
    el('td', { 'data-label': t('rcp.quiet') }, r.quietHours ? `${r.quietHours.from}–${r.quietHours.to} (${r.timezone})` : '—'),
    el('td', { 'data-label': t('rcp.flags') }, `${t('rcp.reminders')} ${yes(r.reminders)} · ${t('rcp.resolved')} ${yes(r.resolved)} · ${t('rcp.escalationOnly')} ${yes(r.escalationOnly)}${r.reports === undefined ? '' : ` · ${t('rcp.reports')} ${yes(r.reports)}`}`,
      r.enabled ? null : el('small', {}, ` (${t('rcp.disabled')})`)),
    el('td', {},
      el('button', { type: 'button', class: 'test', onclick: () => sendTest(r) }, t('rcp.test')), ' ',
      el('button', { type: 'button', class: 'danger', onclick: () => void api('DELETE', `/api/v1/recipients/${r.id}`).then(refresh, fail) }, t('admin.delete')))));

  const input = (id: string, attrs: Record<string, string | boolean> = {}) => el('input', { id, ...attrs });
  const name = input('rcp-name', { required: true });
  const channel = el('select', { id: 'rcp-channel' }, ...channels.map((c) => el('option', { value: c.kind }, c.ready ? c.label : `${c.label} (${t('rcp.notReady')})`)));
  const targetBox = el('span', { class: 'target', id: 'rcp-target' });
  let target = schemaFields('rcp-target', channels[0]!.target);
  const showTarget = () => {
    target = schemaFields('rcp-target', (channels.find((c) => c.kind === channel.value) ?? channels[0]!).target);
    targetBox.replaceChildren(...target.nodes);
  };
  channel.addEventListener('change', showTarget);
  showTarget();
  const client = el('select', { id: 'rcp-client' }, el('option', { value: '' }, t('admin.allClients')), ...clients.map((c) => el('option', { value: c.name }, c.name)));
  const audience = el('select', { id: 'rcp-audience' }, el('option', { value: 'technical' }, t('rcp.technical')), el('option', { value: 'plain' }, t('rcp.plain')));
  const lang = el('select', { id: 'rcp-lang' }, el('option', { value: 'de' }, 'Deutsch'), el('option', { value: 'en' }, 'English'));
  const zone = input('rcp-zone', { value: 'Europe/Berlin' });
  const severity = el('select', { id: 'rcp-severity' }, el('option', { value: 'WARN' }, t('status.WARN')), el('option', { value: 'CRIT' }, t('status.CRIT')));
  const quietFrom = input('rcp-quiet-from', { type: 'time' });
  const quietTo = input('rcp-quiet-to', { type: 'time' });
  const reminders = input('rcp-reminders', { type: 'checkbox', checked: true });
  const resolved = input('rcp-resolved', { type: 'checkbox', checked: true });
  const escalation = input('rcp-escalation', { type: 'checkbox' });
  // Monthly report mails: by default a client's e-mail contact points get them; say yes or no to decide otherwise.
  const reportsChoice = el('select', { id: 'rcp-reports' },
    el('option', { value: '' }, t('rcp.reportsDefault')), el('option', { value: 'true' }, t('rcp.reportsYes')), el('option', { value: 'false' }, t('rcp.reportsNo')));
  const field = (id: string, label: string, node: HTMLElement) => el('span', { class: 'field' }, el('label', { for: id }, label), node);
  const box = (id: string, label: string, node: HTMLElement) => el('label', { class: 'check', for: id }, node, ' ', label);
  const form = el('form', { class: 'inline', id: 'rcp-form' },
    field('rcp-name', t('col.name'), name), field('rcp-channel', t('rcp.channel'), channel), targetBox, field('rcp-client', t('col.client'), client),
    field('rcp-audience', t('rcp.audience'), audience), field('rcp-lang', t('col.language'), lang), field('rcp-zone', t('col.zone'), zone),
    field('rcp-severity', t('rcp.minSeverity'), severity), field('rcp-quiet-from', t('rcp.quietFrom'), quietFrom), field('rcp-quiet-to', t('rcp.quietTo'), quietTo),
    box('rcp-reminders', t('rcp.reminders'), reminders), box('rcp-resolved', t('rcp.resolved'), resolved), box('rcp-escalation', t('rcp.escalationOnly'), escalation),
    field('rcp-reports', t('rcp.reports'), reportsChoice),
    el('button', { type: 'submit' }, t('rcp.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (Boolean(quietFrom.value) !== Boolean(quietTo.value)) return fail(new Error(t('rcp.quietBoth')));
    api('POST', '/api/v1/recipients', {
      name: name.value, channel: channel.value, target: target.read(), audience: audience.value, language: lang.value, timezone: zone.value, minSeverity: severity.value,
      reminders: reminders.checked, resolved: resolved.checked, escalationOnly: escalation.checked,
      ...(reportsChoice.value ? { reports: reportsChoice.value === 'true' } : {}),
      ...(client.value ? { client: client.value } : {}),
      ...(quietFrom.value ? { quietHours: { from: quietFrom.value, to: quietTo.value } } : {}),
    }).then(refresh, fail);
  });
  return el('section', { class: 'card', id: 'admin-recipients' }, el('h2', {}, t('rcp.title')),
    el('p', { class: 'muted' }, t('rcp.hint')),
    recipients.length
      ? table([t('col.name'), t('col.client'), t('rcp.audience'), t('rcp.minSeverity'), t('rcp.quiet'), t('rcp.flags'), t('col.actions')], rows, { id: 'recipients' })
      : el('p', { class: 'muted' }, t('rcp.none')),
    el('h3', {}, t('rcp.new')), form, outcome);
}
