import type { CheckKind } from '@nines/shared';
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';

// Type-checked against the shared registry (a new kind is a compile error here) without bundling TypeBox.
const KINDS: Record<CheckKind, true> = {
  http: true, tcp: true, disk: true, dns: true, tls: true, ping: true, service: true, process: true, memory: true, load: true, command: true, patch: true, backup: true,
  smart: true, firewall: true, logins: true, antivirus: true, encryption: true, admins: true, eventlog: true, 'backup-integrity': true, 'backup-churn': true,
};
const CHECK_KINDS = Object.keys(KINDS);

interface AssignedChecks { version: number; checks: { id: string; kind: string }[]; pushed: boolean }

/**
 * Creates or edits one collector-assigned check as JSON. The collector validates it against the
 * same shared schemas the agent uses and answers with the field that is wrong.
 */
export function checkEditor(agentId: string, checkId: string | null, onSaved: () => Promise<void>): HTMLElement {
  const base = `/api/v1/agents/${encodeURIComponent(agentId)}`;
  const idInput = el('input', { id: 'check-id', 'aria-label': 'id', placeholder: 'id (a-z 0-9 . _ -)', value: checkId ?? '', readonly: checkId !== null });
  const kind = el('select', { id: 'check-kind', 'aria-label': t('col.kind') }, ...CHECK_KINDS.map((k) => el('option', { value: k }, k)));
  const text = el('textarea', { id: 'check-json', rows: '8', spellcheck: 'false', 'aria-label': t('check.json') });
  const outcome = el('p', { role: 'status', class: 'outcome' });
  text.value = JSON.stringify({ kind: 'http', name: 'Website', url: 'https://example.com', interval: '60s' }, null, 2);
  kind.addEventListener('change', () => {
    try {
      text.value = JSON.stringify({ ...(JSON.parse(text.value) as object), kind: kind.value }, null, 2);
    } catch {
      // leave the text alone: the user is mid-edit
    }
  });
  if (checkId !== null) {
    void api<AssignedChecks>('GET', `${base}/config`).then((config) => {
      const current = config.checks.find((c) => c.id === checkId);
      if (!current) return;
      text.value = JSON.stringify(current, null, 2);
      kind.value = current.kind;
    });
  }
  const save = (event: Event) => {
    event.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text.value);
    } catch (error) {
      outcome.className = 'outcome error';
      outcome.textContent = `JSON: ${(error as Error).message}`;
      return;
    }
    api<AssignedChecks>('PUT', `${base}/checks/${encodeURIComponent(idInput.value.trim())}`, body).then(
      (saved) => {
        outcome.className = 'outcome ok';
        outcome.textContent = t('check.saved', saved.version, t(saved.pushed ? 'check.pushed' : 'check.queued'));
        return onSaved();
      },
      (error: Error) => {
        outcome.className = 'outcome error';
        outcome.textContent = error.message;
      },
    );
  };
  const remove = () => {
    api<AssignedChecks>('DELETE', `${base}/checks/${encodeURIComponent(checkId!)}`).then(
      () => (location.hash = `#/host/${encodeURIComponent(agentId)}`),
      (error: Error) => (outcome.textContent = error.message),
    );
  };
  return el('section', { class: 'card editor' },
    el('h2', {}, t(checkId === null ? 'check.add' : 'check.edit')),
    el('form', { onsubmit: save }, el('div', { class: 'inline' }, idInput, kind), el('label', { for: 'check-json' }, t('check.json')), text,
      el('div', { class: 'inline' }, el('button', { type: 'submit' }, t('check.save')),
        checkId !== null ? el('button', { type: 'button', class: 'danger', onclick: remove }, t('check.delete')) : null)),
    outcome);
}
