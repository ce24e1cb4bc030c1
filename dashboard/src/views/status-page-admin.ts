import type { AgentStatus, StatusPageConfig, StatusNoticeKind } from '@nines/shared';
import { api, ApiError } from '../api.ts';
import { el, table, time } from '../dom.ts';
import { checkbox, field, localInput } from '../form.ts';
import { checkName, t } from '../i18n.ts';

interface StatusNotice { id: number; kind: StatusNoticeKind; title: { de: string; en?: string }; from: number; to: number | null }
interface StatusPageAdmin { path: string; config: StatusPageConfig; notices: StatusNotice[] }

/** The client's status page as the consultant sets it up, or null when it has none yet. */
export async function loadStatusPage(clientId: number): Promise<StatusPageAdmin | null> {
  try {
    return await api<StatusPageAdmin>('GET', `/api/v1/clients/${clientId}/status-page`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * The client's public status page (admins): which checks it shows under which names (German required, English
 * optional), the link to hand out (and a new one, which ends the old), and the notices written for it. What the
 * client sees is the page itself: "Open" shows it as they would.
 */
export function statusPageSection(clientId: number, agents: AgentStatus[], page: StatusPageAdmin | null, refresh: () => Promise<void>): HTMLElement {
  const outcome = el('p', { class: 'outcome', role: 'status', id: 'sp-outcome' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  const base = `/api/v1/clients/${clientId}/status-page`;
  const shown = new Map((page?.config.services ?? []).map((s) => [s.check, s.name]));

  const enabled = checkbox('sp-enabled', t('sp.enabled'), page?.config.enabled ?? true);
  const titleDe = el('input', { id: 'sp-title-de', value: page?.config.title?.de ?? '', placeholder: t('sp.titleHint') });
  const titleEn = el('input', { id: 'sp-title-en', value: page?.config.title?.en ?? '' });
  const rows = agents.flatMap((a) => a.checks.map((c) => {
    const key = `${a.id}/${c.id}`;
    const name = shown.get(key);
    const pick = el('input', { type: 'checkbox', 'data-pick': key, 'aria-label': `${a.name}: ${checkName(c)}` });
    pick.checked = name !== undefined;
    const de = el('input', { 'data-name-de': key, value: name?.de ?? '', placeholder: checkName(c), 'aria-label': t('sp.nameDe') });
    const en = el('input', { 'data-name-en': key, value: name?.en ?? '', 'aria-label': t('sp.nameEn') });
    return el('tr', { 'data-check': key }, el('td', {}, pick), el('th', { scope: 'row' }, `${a.name}: ${checkName(c)}`), el('td', {}, de), el('td', {}, en));
  }));
  const form = el('form', { id: 'sp-form' }, el('div', { class: 'inline' }, enabled.node, field('sp-title-de', t('sp.titleDe'), titleDe), field('sp-title-en', t('sp.titleEn'), titleEn)),
    table([t('sp.shown'), t('col.check'), t('sp.nameDe'), t('sp.nameEn')], rows), el('button', { type: 'submit' }, t('sp.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    outcome.textContent = '';
    const services = rows.filter((r) => r.querySelector<HTMLInputElement>('[data-pick]')!.checked).map((r) => {
      const key = r.dataset.check!;
      const de = r.querySelector<HTMLInputElement>('[data-name-de]')!;
      const en = r.querySelector<HTMLInputElement>('[data-name-en]')!.value.trim();
      // The placeholder is the check's own name: taken when no friendly one was typed, so the consultant sees what the client will.
      return { check: key, name: { de: de.value.trim() || de.placeholder, ...(en ? { en } : {}) } };
    });
    const title = titleDe.value.trim() ? { de: titleDe.value.trim(), ...(titleEn.value.trim() ? { en: titleEn.value.trim() } : {}) } : undefined;
    api('PUT', base, { enabled: enabled.input.checked, ...(title ? { title } : {}), services }).then(refresh, fail);
  });

  const parts: HTMLElement[] = [el('h2', {}, t('sp.title')), el('p', { class: 'muted' }, t('sp.hint'))];
  if (page) {
    const url = `${location.origin}${page.path}`;
    const rotate = el('button', { type: 'button', id: 'sp-rotate' }, t('sp.rotate'));
    rotate.addEventListener('click', () => {
      if (window.confirm(t('sp.rotateConfirm'))) api('POST', `${base}/rotate`).then(refresh, fail);
    });
    parts.push(el('div', { class: 'inline' },
      el('input', { id: 'sp-link', readonly: true, value: url, size: '60', 'aria-label': t('sp.link') }),
      el('a', { class: 'button', id: 'sp-open', href: url, target: '_blank', rel: 'noopener' }, page.config.enabled ? t('sp.open') : t('sp.openOff')), rotate));
  }
  parts.push(form);
  if (page) parts.push(noticesPart(base, page.notices, refresh, fail));
  parts.push(outcome);
  return el('section', { class: 'card', id: 'status-page' }, ...parts);
}

function noticesPart(base: string, notices: StatusNotice[], refresh: () => Promise<void>, fail: (e: Error) => void): HTMLElement {
  const rows = notices.map((n) => el('tr', { 'data-notice': String(n.id) },
    el('td', {}, t(`sp.kind.${n.kind}`)), el('th', { scope: 'row' }, n.title.de), el('td', {}, `${time(n.from)} – ${n.to === null ? '…' : time(n.to)}`),
    el('td', {}, el('button', { type: 'button', class: 'danger', onclick: () => void api('DELETE', `${base}/notices/${n.id}`).then(refresh, fail) }, t('admin.delete')))));
  const kind = el('select', { id: 'spn-kind' }, ...(['maintenance', 'incident', 'info'] as const).map((k) => el('option', { value: k }, t(`sp.kind.${k}`))));
  const titleDe = el('input', { id: 'spn-title-de', required: true });
  const titleEn = el('input', { id: 'spn-title-en' });
  const bodyDe = el('textarea', { id: 'spn-body-de', rows: '2' });
  const from = el('input', { id: 'spn-from', type: 'datetime-local', required: true });
  const to = el('input', { id: 'spn-to', type: 'datetime-local' });
  const form = el('form', { class: 'inline', id: 'spn-form' }, field('spn-kind', t('sp.kind'), kind), field('spn-title-de', t('sp.titleDe'), titleDe), field('spn-title-en', t('sp.titleEn'), titleEn),
    field('spn-body-de', t('sp.body'), bodyDe), field('spn-from', t('sp.from'), from), field('spn-to', t('sp.to'), to), el('button', { type: 'submit' }, t('sp.addNotice')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      kind: kind.value, title: { de: titleDe.value.trim(), ...(titleEn.value.trim() ? { en: titleEn.value.trim() } : {}) },
      ...(bodyDe.value.trim() ? { body: { de: bodyDe.value.trim() } } : {}), from: localInput(from.value), to: to.value ? localInput(to.value) : null,
    };
    api('POST', `${base}/notices`, body).then(refresh, fail);
  });
  return el('div', { id: 'sp-notices' }, el('h3', {}, t('sp.notices')), notices.length ? table([t('sp.kind'), t('sp.titleDe'), t('maint.when'), t('col.actions')], rows) : el('p', { class: 'muted' }, t('sp.noNotices')), form);
}
