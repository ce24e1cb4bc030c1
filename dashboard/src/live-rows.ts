import type { LiveMessage } from '@nines/shared';
import { ago } from './dom.ts';
import { resultText } from './i18n.ts';

type CheckMessage = Extract<LiveMessage, { type: 'check' }>;

interface Row {
  status: HTMLElement;
  message: HTMLElement;
  last: HTMLElement;
}

/**
 * A view's rows that show checks (`tr[data-check]` with a status badge, a `.message` and a `[data-last]` cell), and
 * a check's new results put into them in place, without a request. At 1,000 results a second this is the hot path:
 * the rows are found through an index built once per drawing of the view (not a selector over the whole page per
 * result), and the writes wait for the next animation frame, where each check's newest result is written once.
 */
export function liveRows(root: HTMLElement): { apply(m: LiveMessage): boolean } {
  let index = new Map<string, Row[]>();
  let indexedFirst: ChildNode | null | undefined; // the view's first node when indexed; a redraw replaces it
  const pending = new Map<string, CheckMessage>();
  let frame: number | null = null;

  const rowsOf = (key: string): Row[] => {
    if (indexedFirst !== root.firstChild) {
      index = new Map();
      for (const tr of root.querySelectorAll<HTMLTableRowElement>('tr[data-check]')) {
        const status = tr.querySelector<HTMLElement>('[data-status]');
        const message = tr.querySelector<HTMLElement>('.message');
        const last = tr.querySelector<HTMLElement>('[data-last]');
        if (!status || !message || !last) continue;
        const k = tr.dataset.check!;
        index.set(k, [...(index.get(k) ?? []), { status, message, last }]);
      }
      indexedFirst = root.firstChild;
    }
    return index.get(key) ?? [];
  };

  const write = () => {
    frame = null;
    for (const [key, m] of pending) {
      for (const row of index.get(key) ?? []) {
        if (!row.last.isConnected) continue;
        row.message.textContent = resultText(m);
        row.last.textContent = ago(m.at);
        row.last.dataset.last = String(m.at);
      }
    }
    pending.clear();
  };

  return {
    /**
     * True when the result was taken in place. A new state is not: it moves the figures beside it (24 h
     * availability, incidents), so the caller refreshes. False then, and when no row shows the check.
     */
    apply(m: LiveMessage): boolean {
      if (m.type !== 'check') return false;
      const key = `${m.agentId}/${m.checkId}`;
      const rows = rowsOf(key);
      if (rows.length === 0 || rows.some((row) => !row.status.isConnected || row.status.dataset.status !== m.status)) return false;
      pending.set(key, m);
      frame ??= requestAnimationFrame(write);
      return true;
    },
  };
}
