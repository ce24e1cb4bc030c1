import { api } from '../api.ts';
import { el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import type { ChannelInfo } from './recipients.ts';
import { schemaFields } from './schema-form.ts';

/**
 * The channels (admins): which can send here, and for those with collector-wide settings (a Telegram bot token,
 * the ntfy server) a form built from their settings schema. Saved settings replace the config file's
 * `channels.<kind>`; credentials are shown only by their first characters and must be entered again to change.
 */
export function channelsSection(channels: ChannelInfo[], refresh: () => Promise<void>): HTMLElement {
  const outcome = el('p', { class: 'outcome', role: 'status' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  const configurable = channels.filter((c) => c.settingsSchema !== null);
  const rows = channels.map((c) => el('tr', { 'data-channel': c.kind },
    el('th', { scope: 'row', 'data-label': t('rcp.channel') }, c.label),
    el('td', { 'data-label': t('ch.state'), class: c.ready ? 'ok' : 'error' }, c.ready ? t('ch.ready') : c.problem ?? t('rcp.notReady')),
    el('td', { 'data-label': t('ch.settings') },
      c.settings ? Object.entries(c.settings).map(([k, v]) => `${k}: ${String(v)}`).join(' · ') : '—',
      c.settingsFrom ? el('small', {}, ` (${t(c.settingsFrom === 'management' ? 'ch.fromManagement' : 'ch.fromFile')})`) : null)));
  if (configurable.length === 0) return el('section', { class: 'card', id: 'admin-channels' }, el('h2', {}, t('ch.title')), table([t('rcp.channel'), t('ch.state'), t('ch.settings')], rows, { id: 'channels' }));

  const kind = el('select', { id: 'ch-kind' }, ...configurable.map((c) => el('option', { value: c.kind }, c.label)));
  const fieldsBox = el('span', { class: 'target', id: 'ch-settings' });
  let fields = schemaFields('ch-set', configurable[0]!.settingsSchema!);
  const show = () => {
    fields = schemaFields('ch-set', (configurable.find((c) => c.kind === kind.value) ?? configurable[0]!).settingsSchema!);
    fieldsBox.replaceChildren(...fields.nodes);
  };
  kind.addEventListener('change', show);
  show();
  const form = el('form', { class: 'inline', id: 'ch-form' },
    el('span', { class: 'field' }, el('label', { for: 'ch-kind' }, t('rcp.channel')), kind), fieldsBox,
    el('button', { type: 'submit' }, t('ch.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api('PUT', `/api/v1/channels/${encodeURIComponent(kind.value)}/settings`, fields.read()).then(refresh, fail);
  });
  return el('section', { class: 'card', id: 'admin-channels' }, el('h2', {}, t('ch.title')), el('p', { class: 'muted' }, t('ch.hint')),
    table([t('rcp.channel'), t('ch.state'), t('ch.settings')], rows, { id: 'channels' }), el('h3', {}, t('ch.edit')), form, outcome);
}
