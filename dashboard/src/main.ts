import type { LiveMessage, Me } from '@nines/shared';
import { api, ApiError } from './api.ts';
import { connectLive, type LiveState } from './live.ts';
import { el, errorBox, link, present } from './dom.ts';
import { setLanguage, t, language, type Language } from './i18n.ts';
import type { MountedView, View } from './view.ts';
import { loginView } from './views/login.ts';
import { overviewView } from './views/overview.ts';
import { clientView } from './views/client.ts';
import { hostView } from './views/host.ts';
import { checkView } from './views/check.ts';
import { adminView } from './views/admin.ts';
import { alertView } from './views/alert.ts';
import { wallView } from './views/wall.ts';
import { focusPart, keepingFocus, keepingFocusNow } from './focus.ts';

const LIVE_REFRESH_DELAY_MS = 300; // bursts of results (an agent replaying its spool) become one refresh
const LIVE_REFRESH_GAP_MS = 2_000; // and a stream of them at most one every 2 s

/** Hash routes: the page never reloads, and every view has an address to bookmark or share. */
const routes: [RegExp, View][] = [
  [/^#?\/?(?:\?(.*))?$/, overviewView],
  [/^#\/client\/(\d+)$/, clientView],
  [/^#\/host\/([^/]+)$/, hostView],
  [/^#\/check\/([^/]+)\/([^/]+)$/, checkView],
  [/^#\/admin$/, adminView],
  [/^#\/alerts\/(\d+)$/, alertView],
  [/^#\/wall(?:\?(.*))?$/, wallView],
];

const header = document.getElementById('header')!;
const main = document.getElementById('main')!;
let me: Me | null = null;
let mounted: MountedView | null = null;
let stopLive: (() => void) | null = null;
let liveState: LiveState = 'connecting';
let refreshTimer: number | undefined;
let lastRefreshAt = 0;

function renderHeader(): void {
  const liveText = liveState === 'live' ? `● ${t('live.live')}` : t(liveState === 'connecting' ? 'live.connecting' : 'live.reconnecting');
  const languageSelect = el('select', { 'aria-label': 'Language / Sprache', id: 'language' },
    ...(['de', 'en'] as const).map((l) => el('option', { value: l, selected: l === language() }, t(`lang.${l}`))));
  languageSelect.addEventListener('change', () => {
    const chosen = languageSelect.value as Language;
    setLanguage(chosen);
    void api('PUT', '/api/v1/session/language', { language: chosen }).catch(() => undefined);
    void navigate();
  });
  header.replaceChildren(...present(
    el('a', { href: '#/', class: 'brand' }, el('strong', {}, 'Nines')),
    el('nav', { 'aria-label': 'main' }, link('#/', t('nav.overview')), me ? link('#/wall', t('nav.wall')) : null, me?.role === 'admin' ? link('#/admin', t('nav.admin')) : null),
    el('span', { id: 'live', class: `live ${liveState}`, role: 'status', 'aria-live': 'polite', 'data-state': liveState }, liveText),
    el('span', { class: 'spacer' }),
    languageSelect,
    me ? el('span', { class: 'user' }, me.username) : null,
    me ? el('button', { type: 'button', id: 'logout', onclick: () => void logout() }, t('logout')) : null,
  ));
}

/**
 * `moveFocus`: the person went somewhere (a link, the address, a login): focus goes to the new view's heading, so
 * the next Tab starts in the content and a screen reader reads where they are. Not on a redraw in place (language).
 */
async function navigate(moveFocus = false): Promise<void> {
  mounted?.dispose?.();
  mounted = null;
  // A refresh the last view asked for is not this one's.
  window.clearTimeout(refreshTimer);
  refreshTimer = undefined;
  renderHeader();
  if (!me) return;
  const hash = location.hash || '#/';
  const match = routes.map(([re, view]) => [re.exec(hash), view] as const).find(([m]) => m);
  const root = el('div', { class: 'view' });
  main.replaceChildren(root);
  if (!match) {
    root.append(el('p', {}, t('notFound')));
    return;
  }
  try {
    const view = await match[1](match[0]!.slice(1), { me, root });
    if (main.contains(root)) {
      mounted = view;
      if (moveFocus) focusPart(root.querySelector<HTMLElement>('h1') ?? main);
    } else view.dispose?.();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin();
    root.replaceChildren(error instanceof ApiError && error.status === 404 ? el('p', { role: 'alert' }, t('notFound')) : errorBox(error));
  }
}

/**
 * A live message: applied in place when the view can; else at most one refresh per LIVE_REFRESH_GAP_MS, the first
 * LIVE_REFRESH_DELAY_MS after the message that asked. A throttle, not a debounce: results arrive every few
 * milliseconds on a big estate, and a debounce restarted by each would never refresh at all.
 */
function onLive(message: LiveMessage): void {
  const view = mounted;
  if (!view || keepingFocusNow(() => view.apply?.(message)) || !view.wants(message) || refreshTimer !== undefined) return;
  const wait = Math.max(LIVE_REFRESH_DELAY_MS, lastRefreshAt + LIVE_REFRESH_GAP_MS - Date.now());
  refreshTimer = window.setTimeout(() => {
    refreshTimer = undefined;
    if (mounted !== view) return;
    lastRefreshAt = Date.now();
    void keepingFocus(() => view.refresh()).catch(() => undefined);
  }, wait);
}

function setLiveState(state: LiveState): void {
  liveState = state;
  keepingFocusNow(renderHeader);
}

function showLogin(): void {
  stopLive?.();
  stopLive = null;
  me = null;
  mounted = null;
  renderHeader();
  main.replaceChildren(loginView(async (session) => {
    me = session;
    await start(true);
  }));
}

async function logout(): Promise<void> {
  await api('DELETE', '/api/v1/session').catch(() => undefined);
  showLogin();
}

async function start(moveFocus = false): Promise<void> {
  setLanguage(me!.language);
  stopLive?.();
  stopLive = connectLive(onLive, setLiveState, () => void keepingFocus(async () => mounted?.refresh()).catch(() => undefined));
  await navigate(moveFocus);
}

async function boot(): Promise<void> {
  setLanguage(null);
  try {
    me = await api<Me>('GET', '/api/v1/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin();
    main.replaceChildren(errorBox(error));
    return;
  }
  await start();
}

window.addEventListener('hashchange', () => void navigate(true));
// The skip link's #main would be a route here (hash routing): it moves focus to the content instead.
document.querySelector('a.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
void boot();
