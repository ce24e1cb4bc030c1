import { api } from '../api.ts';
import { localInput } from '../form.ts';
import { duration, el, table, time } from '../dom.ts';
import { t } from '../i18n.ts';

export interface MaintenanceWindow {
  id: number; clientId: number; agentId: string | null; checkId: string | null; title: string; recurrence: 'once' | 'daily' | 'weekly';
  startsAt: number; endsAt: number | null; localTime: string | null; durationMs: number | null; weekdays: number | null; timeZone: string;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function when(w: MaintenanceWindow): string {
  if (w.recurrence === 'once') return `${time(w.startsAt)} – ${time(w.endsAt)}`;
  const days = w.recurrence === 'daily' ? t('maint.daily') : WEEKDAYS.filter((_, i) => ((w.weekdays ?? 0) >> i) & 1).map((d) => t(`wd.${d}`)).join(', ');
  return `${days} ${w.localTime} (${w.timeZone}), ${duration(w.durationMs ?? 0)}`;
}


/** Maintenance windows of a client: everyone sees them; admins create and delete (POST/DELETE /api/v1/maintenance). */
export function maintenanceSection(clientId: number, windows: MaintenanceWindow[], hostName: (agentId: string) => string, isAdmin: boolean, refresh: () => Promise<void>): HTMLElement {
  const outcome = el('p', { class: 'outcome', role: 'status', id: 'maint-outcome' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  const rows = windows.map((w) => el('tr', { 'data-window': String(w.id) },
    el('th', { scope: 'row', 'data-label': t('col.name') }, w.title || '—'),
    el('td', { 'data-label': t('maint.when') }, when(w)),
    el('td', { 'data-label': t('maint.scope') }, w.agentId === null ? t('maint.allHosts') : `${hostName(w.agentId)}${w.checkId ? ` / ${w.checkId}` : ''}`),
    isAdmin ? el('td', {}, el('button', { type: 'button', class: 'danger', onclick: () => void api('DELETE', `/api/v1/maintenance/${w.id}`).then(refresh, fail) }, t('admin.delete'))) : null));
  const headers = [t('col.name'), t('maint.when'), t('maint.scope'), ...(isAdmin ? [t('col.actions')] : [])];
  const section = el('section', { class: 'card', id: 'maintenance' }, el('h2', {}, t('maint.title')),
    windows.length ? table(headers, rows) : el('p', { class: 'muted' }, t('maint.none')));
  if (!isAdmin) return section;

  const title = el('input', { id: 'maint-title', placeholder: t('maint.titleHint') });
  const recurrence = el('select', { id: 'maint-recurrence' }, ...(['once', 'daily', 'weekly'] as const).map((r) => el('option', { value: r }, t(`maint.${r}`))));
  const start = el('input', { id: 'maint-start', type: 'datetime-local', required: true });
  const end = el('input', { id: 'maint-end', type: 'datetime-local' });
  const localTime = el('input', { id: 'maint-time', type: 'time', value: '02:00' });
  const minutes = el('input', { id: 'maint-minutes', type: 'number', min: '1', value: '120' });
  const days = WEEKDAYS.map((d) => el('input', { type: 'checkbox', value: d, 'aria-label': t(`wd.${d}`), checked: d === 'sun' }));
  const form = el('form', { class: 'inline', id: 'maint-form' },
    el('span', { class: 'field' }, el('label', { for: 'maint-title' }, t('col.name')), title),
    el('span', { class: 'field' }, el('label', { for: 'maint-recurrence' }, t('maint.repeat')), recurrence),
    el('span', { class: 'field' }, el('label', { for: 'maint-start' }, t('maint.start')), start),
    el('span', { class: 'field' }, el('label', { for: 'maint-end' }, t('maint.end')), end),
    el('span', { class: 'field' }, el('label', { for: 'maint-time' }, t('maint.localTime')), localTime),
    el('span', { class: 'field' }, el('label', { for: 'maint-minutes' }, t('maint.minutes')), minutes),
    el('span', { class: 'field' }, t('maint.weekdays'), el('span', { class: 'days' }, ...days.map((box, i) => el('label', {}, box, t(`wd.${WEEKDAYS[i]!}`))))),
    el('button', { type: 'submit' }, t('admin.create')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const once = recurrence.value === 'once';
    // Fields that do not apply are left out, not sent as null: the route's schema coerces a null integer to 0
    // (Fastify's AJV coercion over the nullable union), which would read as "ends at 1970".
    const body: Record<string, unknown> = { clientId, title: title.value, recurrence: recurrence.value, startsAt: localInput(start.value) };
    if (end.value) body.endsAt = localInput(end.value);
    if (!once) Object.assign(body, { localTime: localTime.value, durationMs: Number(minutes.value) * 60_000 });
    if (recurrence.value === 'weekly') body.weekdays = days.reduce((bits, box, i) => bits | (box.checked ? 1 << i : 0), 0);
    if (!Number.isFinite(body.startsAt as number)) return fail(new Error(t('maint.needStart')));
    api('POST', '/api/v1/maintenance', body).then(refresh, fail);
  });
  section.append(el('h3', {}, t('maint.new')), form, outcome);
  return section;
}
