import type { LiveMessage } from '@nines/shared';
import { ago } from './dom.ts';
import { resultText } from './i18n.ts';

/**
 * A check's new result put into the rows that show it (`tr[data-check]` with a status badge, a `.message` and a
 * `[data-last]` cell): the message and "last" time change in place, no request. A new state is not applied here:
 * it moves the figures beside it (24 h availability, incidents), so the caller refreshes. False then, and when no
 * row shows the check.
 */
export function applyCheckInPlace(root: HTMLElement, m: LiveMessage): boolean {
  if (m.type !== 'check') return false;
  const rows = [...root.querySelectorAll<HTMLTableRowElement>(`tr[data-check="${CSS.escape(`${m.agentId}/${m.checkId}`)}"]`)]
    .filter((row) => row.querySelector('[data-status]') && row.querySelector('.message') && row.querySelector('[data-last]'));
  if (rows.length === 0) return false;
  if (rows.some((row) => row.querySelector<HTMLElement>('[data-status]')!.dataset.status !== m.status)) return false;
  for (const row of rows) {
    row.querySelector('.message')!.textContent = resultText(m);
    const last = row.querySelector<HTMLElement>('[data-last]')!;
    last.textContent = ago(m.at);
    last.dataset.last = String(m.at);
  }
  return true;
}
