import type { AgentStatus, LiveMessage, StatusResponse } from '@nines/shared';
import { api, ApiError } from './api.ts';
import { connectLive, type LiveState } from './live.ts';

const main = document.getElementById('main')!;
const liveBadge = document.getElementById('live')!;
const logoutButton = document.getElementById('logout') as HTMLButtonElement;
let agents: AgentStatus[] = [];
let stopLive: (() => void) | null = null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());
const percent = (a: number | null) => (a === null ? '—' : `${(Math.floor(a * 100_000) / 1000).toFixed(3)} %`);

function statusBadge(status: string): HTMLElement {
  return el('span', { class: `status ${status}`, 'data-status': status }, status);
}

function render(): void {
  main.replaceChildren();
  if (agents.length === 0) main.append(el('p', {}, 'No agents yet. Create an enrollment token with `nines-collector enroll-token create --client <name>`.'));
  for (const agent of agents) {
    const rows = agent.checks.map((c) =>
      el('tr', { 'data-check': `${agent.id}/${c.id}` }, el('td', {}, statusBadge(c.status)), el('td', {}, c.name), el('td', { class: 'message' }, c.message ?? ''),
        el('td', {}, time(c.lastResultAt)), el('td', {}, percent(c.availability24h))),
    );
    main.append(
      el('section', { class: 'agent', 'data-agent': agent.id },
        el('h2', {}, `${agent.client} / ${agent.name}`,
          el('span', { class: 'meta', 'data-connected': String(agent.connected) }, agent.connected ? '● connected' : `○ disconnected, last seen ${time(agent.lastSeenAt)}`)),
        el('table', {}, el('thead', {}, el('tr', {}, ...['Status', 'Check', 'Message', 'Last result', '24 h'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows)),
      ),
    );
  }
}

function applyLive(message: LiveMessage): void {
  const agent = agents.find((a) => a.id === message.agentId);
  if (!agent) return void refresh();
  if (message.type === 'agent') {
    agent.connected = message.connected;
    agent.lastSeenAt = message.lastSeenAt;
  } else {
    const check = agent.checks.find((c) => c.id === message.checkId);
    if (!check) return void refresh();
    Object.assign(check, { status: message.status, message: message.message, lastResultAt: message.at });
  }
  render();
  if (message.type === 'check') document.querySelector(`[data-check="${CSS.escape(`${message.agentId}/${message.checkId}`)}"]`)?.classList.add('flash');
}

async function refresh(): Promise<void> {
  agents = (await api<StatusResponse>('GET', '/api/v1/status')).agents;
  render();
}

function setLiveState(state: LiveState): void {
  liveBadge.textContent = state === 'live' ? '● live' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
  liveBadge.className = state === 'reconnecting' ? 'live down' : 'live';
}

function showLogin(error?: string): void {
  stopLive?.();
  logoutButton.hidden = true;
  liveBadge.textContent = '';
  const user = el('input', { name: 'username', autocomplete: 'username', required: '', 'aria-label': 'Username', placeholder: 'Username' });
  const pass = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: '', 'aria-label': 'Password', placeholder: 'Password' });
  const form = el('form', { class: 'login' }, el('h2', {}, 'Log in'), user, pass, el('button', { type: 'submit' }, 'Log in'));
  if (error) form.append(el('p', { class: 'error', role: 'alert' }, error));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api('POST', '/api/v1/session', { username: user.value, password: pass.value }).then(start, (e: Error) => showLogin(e.message));
  });
  main.replaceChildren(form);
  user.focus();
}

async function start(): Promise<void> {
  try {
    await refresh();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showLogin();
    throw error;
  }
  logoutButton.hidden = false;
  stopLive = connectLive(applyLive, setLiveState, () => void refresh());
}

logoutButton.addEventListener('click', () => void api('DELETE', '/api/v1/session').then(() => showLogin()));
void start();
