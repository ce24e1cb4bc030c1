import type { Me } from '@nines/shared';
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';

export function loginView(onLoggedIn: (me: Me) => Promise<void>): HTMLElement {
  const user = el('input', { name: 'username', id: 'username', autocomplete: 'username', required: true });
  const pass = el('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const problem = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'login card' },
    el('h1', {}, t('login.title')),
    el('label', { for: 'username' }, t('login.username')), user,
    el('label', { for: 'password' }, t('login.password')), pass,
    el('button', { type: 'submit' }, t('login.submit')), problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.textContent = '';
    api<Me>('POST', '/api/v1/session', { username: user.value, password: pass.value }).then(onLoggedIn, (e: Error) => {
      problem.textContent = e.message;
      pass.select();
    });
  });
  queueMicrotask(() => user.focus());
  return form;
}
