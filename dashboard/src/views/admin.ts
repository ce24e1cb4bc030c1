import type { ApiTokenCreated, ApiTokenInfo, ClientInfo, EnrollTokenCreated, UserInfo } from '@nines/shared';
import { api } from '../api.ts';
import { field } from '../form.ts';
import { el, link, percent, table, time } from '../dom.ts';
import { t } from '../i18n.ts';
import type { View } from '../view.ts';
import { recipientsSection, type ChannelInfo, type Recipient } from './recipients.ts';
import { channelsSection } from './channels.ts';
import { reportSettingsSection, type ReportSettingsInfo } from './report-settings.ts';

/** A form that posts, reports the server's validation message in place, and refreshes the view on success. */
function submitForm(form: HTMLFormElement, outcome: HTMLElement, send: () => Promise<unknown>, after: (result: unknown) => void | Promise<void>): HTMLFormElement {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    outcome.textContent = '';
    send().then(after, (error: Error) => {
      outcome.className = 'outcome error';
      outcome.textContent = error.message;
    });
  });
  return form;
}

function copyButton(text: string): HTMLElement {
  const button = el('button', { type: 'button', class: 'copy' }, t('admin.copy'));
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(() => (button.textContent = t('admin.copied')));
  });
  return button;
}

function clientsSection(clients: ClientInfo[], refresh: () => Promise<void>): HTMLElement {
  const name = el('input', { id: 'client-name', required: true });
  const zone = el('input', { id: 'client-zone', value: 'Europe/Berlin' });
  const lang = el('select', { id: 'client-lang' }, el('option', { value: 'de' }, 'Deutsch'), el('option', { value: 'en' }, 'English'));
  const target = el('input', { id: 'client-target', type: 'number', step: '0.01', min: '50', max: '100', value: '99.9' });
  const outcome = el('p', { class: 'outcome', role: 'status' });
  const form = submitForm(el('form', { class: 'inline' }, field('client-name', t('col.name'), name), field('client-zone', t('col.zone'), zone),
    field('client-lang', t('col.language'), lang), field('client-target', `${t('col.target')} (%)`, target), el('button', { type: 'submit' }, t('admin.create'))),
  outcome, () => api('POST', '/api/v1/clients', { name: name.value, timezone: zone.value, language: lang.value, slaTarget: Number(target.value) / 100 }), refresh);
  return el('section', { class: 'card', id: 'admin-clients' }, el('h2', {}, t('admin.clients')),
    table([t('col.name'), t('col.zone'), t('col.language'), t('col.target')], clients.map((c) =>
      el('tr', {}, el('th', { scope: 'row' }, link(`#/client/${c.id}`, c.name)), el('td', {}, c.timezone), el('td', {}, c.language), el('td', {}, percent(c.slaTarget, 2))))),
    el('h3', {}, t('admin.newClient')), form, outcome);
}

function enrollSection(clients: ClientInfo[]): HTMLElement {
  const client = el('select', { id: 'enroll-client' }, ...clients.map((c) => el('option', { value: String(c.id) }, c.name)));
  const outcome = el('div', { class: 'outcome', role: 'status', id: 'enroll-outcome' });
  const form = submitForm(el('form', { class: 'inline' }, field('enroll-client', t('admin.enrollFor'), client), el('button', { type: 'submit' }, t('admin.enrollCreate'))),
    outcome, () => api<EnrollTokenCreated>('POST', '/api/v1/enrollment-tokens', { clientId: Number(client.value) }), (result) => {
      const created = result as EnrollTokenCreated;
      outcome.className = 'outcome';
      // Windows first: most of the consultant's client machines are Windows desktops.
      outcome.replaceChildren(el('p', {}, t('admin.enrollHint')), ...(['windows', 'linux', 'macos'] as const).map((os) =>
        el('div', { class: 'command', 'data-os': os }, el('strong', {}, t(`admin.os.${os}`)), el('code', { 'data-os': os }, created.commands[os]), copyButton(created.commands[os]),
          el('p', { class: 'note' }, t(`admin.osNote.${os}`)))));
    });
  return el('section', { class: 'card', id: 'admin-enroll' }, el('h2', {}, t('admin.enroll')), form, outcome);
}

function usersSection(users: UserInfo[], clients: ClientInfo[], refresh: () => Promise<void>): HTMLElement {
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const username = el('input', { id: 'user-name', required: true, autocomplete: 'off' });
  const password = el('input', { id: 'user-password', type: 'password', required: true, minlength: '12', autocomplete: 'new-password' });
  const role = el('select', { id: 'user-role' }, el('option', { value: 'client' }, t('role.client')), el('option', { value: 'admin' }, t('role.admin')));
  const client = el('select', { id: 'user-client' }, ...clients.map((c) => el('option', { value: String(c.id) }, c.name)));
  const outcome = el('p', { class: 'outcome', role: 'status' });
  const form = submitForm(el('form', { class: 'inline' }, field('user-name', t('col.user'), username), field('user-password', t('login.password'), password),
    field('user-role', t('col.role'), role), field('user-client', t('col.client'), client), el('button', { type: 'submit' }, t('admin.create'))),
  outcome, () => api('POST', '/api/v1/users', { username: username.value, password: password.value, role: role.value, clientId: role.value === 'client' ? Number(client.value) : null }), refresh);
  const remove = (u: UserInfo) => el('button', { type: 'button', class: 'danger', onclick: () => void api('DELETE', `/api/v1/users/${u.id}`).then(refresh, (e: Error) => (outcome.textContent = e.message)) }, t('admin.delete'));
  return el('section', { class: 'card', id: 'admin-users' }, el('h2', {}, t('admin.users')),
    table([t('col.user'), t('col.role'), t('col.client'), t('col.actions')], users.map((u) =>
      el('tr', {}, el('th', { scope: 'row' }, u.username), el('td', {}, t(`role.${u.role}`)),
        el('td', {}, u.clientId === null ? t('admin.allClients') : clientName.get(u.clientId) ?? String(u.clientId)), el('td', {}, remove(u))))),
    el('h3', {}, t('admin.newUser')), form, outcome);
}

/** Token lifetimes offered in the form, in days; 0 = does not expire. */
const TOKEN_LIFETIMES_DAYS = [30, 90, 365, 0] as const;
const DAY_MS = 86_400_000;

function tokensSection(tokens: ApiTokenInfo[], refresh: () => Promise<void>): HTMLElement {
  const name = el('input', { id: 'token-name', required: true });
  // Least privilege first: a script that only reads should not be handed a token that can change things.
  const scope = el('select', { id: 'token-scope' }, ...(['read', 'write', 'admin'] as const).map((s) => el('option', { value: s }, t(`scope.${s}`))));
  const lifetime = el('select', { id: 'token-expiry' }, ...TOKEN_LIFETIMES_DAYS.map((days) => el('option', { value: String(days) }, days === 0 ? t('admin.tokenNoExpiry') : t('dur.d', days))));
  const outcome = el('div', { class: 'outcome', role: 'status' });
  const form = submitForm(el('form', { class: 'inline' }, field('token-name', t('col.name'), name), field('token-scope', t('col.scope'), scope),
    field('token-expiry', t('admin.tokenValidFor'), lifetime), el('button', { type: 'submit' }, t('admin.create'))),
  outcome, () => {
    const days = Number(lifetime.value);
    return api<ApiTokenCreated>('POST', '/api/v1/tokens', { name: name.value, scope: scope.value, expiresAt: days === 0 ? null : Date.now() + days * DAY_MS });
  }, async (result) => {
    await refresh();
    const created = result as ApiTokenCreated;
    document.getElementById('token-outcome')?.replaceChildren(el('p', {}, t('admin.tokenShown')), el('code', {}, created.token), copyButton(created.token));
  });
  const remove = (tok: ApiTokenInfo) => el('button', { type: 'button', class: 'danger', onclick: () => void api('DELETE', `/api/v1/tokens/${tok.id}`).then(refresh) }, t('admin.delete'));
  return el('section', { class: 'card', id: 'admin-tokens' }, el('h2', {}, t('admin.tokens')),
    table([t('col.name'), t('col.user'), t('col.scope'), t('col.created'), t('col.used'), t('col.expires'), t('col.actions')], tokens.map((tok) =>
      el('tr', { 'data-token': String(tok.id) }, el('th', { scope: 'row' }, tok.name), el('td', {}, tok.username), el('td', { 'data-scope': tok.scope }, t(`scope.${tok.scope}`)),
        el('td', {}, time(tok.createdAt)), el('td', {}, time(tok.lastUsedAt)),
        el('td', { 'data-expires': tok.expiresAt === null ? '' : String(tok.expiresAt) }, tok.expiresAt === null ? t('never') : time(tok.expiresAt)), el('td', {}, remove(tok))))),
    el('h3', {}, t('admin.newToken')), form, el('div', { id: 'token-outcome', role: 'status' }), outcome);
}

interface ScheduleInfo {
  job: string;
  schedule: string;
  nextAt: number;
  lastRunAt: number | null;
  lastOutcome: 'running' | 'ok' | 'failed' | null;
  lastError: string | null;
}

/** The scheduled jobs (reports by the calendar): when each runs next, how the last run went and why it failed. */
function schedulesSection(schedules: ScheduleInfo[]): HTMLElement {
  // Jobs this dashboard knows by name; a job added later shows its id until it has a label.
  const jobName = (job: string) => (job === 'weekly-overview' || job === 'client-reports' ? t(`job.${job}`) : job);
  return el('section', { class: 'card', id: 'admin-schedules' }, el('h2', {}, t('admin.schedules')),
    schedules.length === 0 ? el('p', {}, t('admin.noSchedules')) : table([t('col.job'), t('col.rule'), t('col.nextRun'), t('col.lastRun'), t('col.outcome'), t('col.error')], schedules.map((s) =>
      el('tr', { 'data-job': s.job }, el('th', { scope: 'row' }, jobName(s.job)), el('td', {}, s.schedule), el('td', { 'data-next-at': String(s.nextAt) }, time(s.nextAt)), el('td', {}, time(s.lastRunAt)),
        el('td', { 'data-outcome': s.lastOutcome ?? '' }, s.lastOutcome === null ? '—' : t(`outcome.${s.lastOutcome}`)), el('td', {}, s.lastError ?? '')))));
}

/** Management (admins): clients, enrollment, alert recipients, users, API tokens, report settings, schedules. Hosts and checks are managed on their own pages. */
export const adminView: View = async (_params, { root }) => {
  const refresh = async () => {
    const [clients, users, tokens, recipients, channels, schedules, reportSettings] = await Promise.all([
      api<ClientInfo[]>('GET', '/api/v1/clients'), api<UserInfo[]>('GET', '/api/v1/users'), api<ApiTokenInfo[]>('GET', '/api/v1/tokens'),
      api<{ recipients: Recipient[] }>('GET', '/api/v1/recipients'), api<{ channels: ChannelInfo[] }>('GET', '/api/v1/channels'),
      api<{ schedules: ScheduleInfo[] }>('GET', '/api/v1/schedules'), api<ReportSettingsInfo>('GET', '/api/v1/report-settings'),
    ]);
    root.replaceChildren(el('h1', {}, t('nav.admin')), enrollSection(clients), clientsSection(clients, refresh), channelsSection(channels.channels, refresh), recipientsSection(recipients.recipients, channels.channels, clients, refresh),
      usersSection(users, clients, refresh), tokensSection(tokens, refresh), reportSettingsSection(reportSettings, refresh), schedulesSection(schedules.schedules));
  };
  await refresh();
  return { wants: () => false, refresh };
};
