import type { ClientSummary, LiveMessage, OverviewResponse } from '@nines/shared';
import { api } from '../api.ts';
import { el, percentText, statusBadge } from '../dom.ts';
import { resultText, t } from '../i18n.ts';
import { needsAttention, withRow } from '../overview-rows.ts';
import type { View } from '../view.ts';

/** How long a page of tiles stays before the next, unless the address says otherwise (#/wall?rotate=30). */
const ROTATE_DEFAULT_S = 15;
const PROBLEMS_SHOWN = 2;
/** The grid's gap (style.css .wall-grid) and the room the pager line needs. */
const GAP_PX = 16;
const PAGER_PX = 48;

function tile(row: ClientSummary): HTMLElement {
  const month = row.availabilityMonthPercent === null ? '—' : percentText(row.availabilityMonthPercent);
  const problems = row.problems.slice(0, PROBLEMS_SHOWN).map((p) => el('li', {}, statusBadge(p.status), ` ${p.agentName} · ${p.checkName}`, p.message ? el('span', { class: 'muted' }, ` — ${resultText(p)}`) : null));
  const silent = row.agentsSilent > 0 ? el('li', {}, t('wall.silent', row.agentsSilent)) : null;
  return el('article', { class: `tile ${row.worst ?? 'NONE'}`, 'data-client': String(row.id), 'data-worst': row.worst ?? 'NONE' },
    el('h2', {}, statusBadge(row.worst), ' ', row.name),
    el('p', { class: row.monthMet === false ? 'month attention' : 'month' }, `${t('col.month')}: ${month}`),
    problems.length || silent ? el('ul', {}, ...problems, silent) : el('p', { class: 'muted' }, t('wall.allOk')));
}

/**
 * The wall: for a screen on the wall or a TV. Large type, no controls, the clients as tiles worst first, pages
 * turning by themselves when they do not fit; live rows applied in place (no request after the first).
 */
export const wallView: View = async (params, { root }) => {
  const rotateS = Math.max(3, Number(new URLSearchParams(params[0] ?? '').get('rotate')) || ROTATE_DEFAULT_S);
  document.body.classList.add('wall-mode');
  const summary = el('p', { class: 'wall-summary', role: 'status', 'aria-live': 'polite' });
  const grid = el('div', { class: 'wall-grid', id: 'wall' });
  const pager = el('p', { class: 'wall-pager', id: 'wall-pager' });
  // No visible title on a TV, but a page heading for screen readers (the header with the nav is hidden here).
  root.append(el('h1', { class: 'sr' }, t('nav.wall')), summary, grid, pager);
  let data: OverviewResponse = { generatedAt: 0, clients: [] };
  let page = 0;

  // Tiles per page: as many as fit the screen; measured from the first tile, since type size follows the screen.
  const perPage = () => {
    const first = grid.firstElementChild as HTMLElement | null;
    if (!first) return Math.max(1, data.clients.length);
    // n tiles take n × size + (n − 1) × gap; the pager below needs its line.
    const columns = Math.max(1, Math.floor((grid.clientWidth + GAP_PX) / (first.offsetWidth + GAP_PX)));
    const rows = Math.max(1, Math.floor((window.innerHeight - grid.getBoundingClientRect().top - PAGER_PX + GAP_PX) / (first.offsetHeight + GAP_PX)));
    return columns * rows;
  };
  const draw = () => {
    const bad = data.clients.filter(needsAttention).length;
    summary.textContent = bad === 0 ? t('overview.allGood', data.clients.length) : t('overview.attention', bad, data.clients.length);
    summary.className = bad === 0 ? 'wall-summary good' : 'wall-summary bad';
    grid.replaceChildren(...data.clients.map(tile));
    const size = perPage();
    const pages = Math.max(1, Math.ceil(data.clients.length / size));
    page %= pages;
    [...grid.children].forEach((node, i) => ((node as HTMLElement).hidden = Math.floor(i / size) !== page));
    pager.textContent = pages > 1 ? t('wall.page', page + 1, pages) : '';
    pager.dataset.page = String(page + 1);
    pager.dataset.pages = String(pages);
  };
  const refresh = async () => {
    data = await api<OverviewResponse>('GET', '/api/v1/overview');
    draw();
  };
  await refresh();
  const timer = window.setInterval(() => {
    page++;
    draw();
  }, rotateS * 1000);
  const onResize = () => draw();
  window.addEventListener('resize', onResize);
  return {
    apply: (m: LiveMessage) => {
      if (m.type === 'overview') {
        data = withRow(data, m.client, m.at);
        draw();
      }
      return true;
    },
    wants: () => false,
    refresh,
    dispose: () => {
      window.clearInterval(timer);
      window.removeEventListener('resize', onResize);
      document.body.classList.remove('wall-mode');
    },
  };
};
