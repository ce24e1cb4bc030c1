/**
 * Keyboard focus across redraws. Views rebuild their DOM on refresh (a live change, an action's answer); the
 * element a keyboard user was on is then gone and focus falls back to <body>, so the next Tab starts at the top
 * of the page. These helpers put focus back on the same control in the new DOM, or on the nearest part of the
 * page that still exists.
 */

interface FocusKey {
  /** The element's own id, when it has one. */
  id: string;
  /** Ids of its ancestors, nearest first: where to look, and where to fall back to. */
  scopes: string[];
  /** What identifies an element without id among its scope's elements of the same tag. */
  signature: string;
  tag: string;
}

const signatureOf = (e: Element) => [e.tagName, e.getAttribute('href') ?? '', e.getAttribute('class') ?? '', e.getAttribute('name') ?? '', e.textContent?.trim() ?? ''].join('|');

function keyOf(active: Element): FocusKey {
  const scopes: string[] = [];
  for (let p = active.parentElement; p && p !== document.body; p = p.parentElement) if (p.id) scopes.push(p.id);
  return { id: active.id, scopes, signature: signatureOf(active), tag: active.tagName.toLowerCase() };
}

/** Focuses an element that is not focusable by itself (a section, a heading) without adding it to the Tab order. */
export function focusPart(node: HTMLElement): void {
  if (!node.hasAttribute('tabindex') && node.tabIndex < 0) node.setAttribute('tabindex', '-1');
  node.focus({ preventScroll: false });
}

function restore(key: FocusKey): void {
  if (key.id) {
    const same = document.getElementById(key.id);
    if (same) return same.focus();
  }
  for (const scope of key.scopes) {
    const container = document.getElementById(scope);
    if (!container) continue;
    const match = [...container.querySelectorAll<HTMLElement>(key.tag)].find((e) => signatureOf(e) === key.signature);
    if (match) return match.focus();
    // The control itself is gone (an "acknowledge" button after acknowledging): its part of the page.
    return focusPart(container);
  }
}

/** What has focus now, to be found again after a redraw; null when nothing but <body> has it. */
function focusedKey(): FocusKey | null {
  const active = document.activeElement;
  return active && active !== document.body ? keyOf(active) : null;
}

/** After a redraw: if it took the focused element away, focuses its counterpart in the new DOM. */
function restoreIfLost(key: FocusKey | null): void {
  if (key && (!document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected)) restore(key);
}

/**
 * Runs `redraw`; if it took the focused element away, focuses its counterpart in the new DOM. The redraw waits for
 * the API, and the person may Tab on meanwhile: what counts is the element focused last before the DOM went, not
 * the one focused when the redraw began (a keyboard user who had moved to a link was thrown back to the range
 * choice they had left, and their Enter landed there).
 */
export async function keepingFocus<T>(redraw: () => Promise<T>): Promise<T> {
  let key = focusedKey();
  const follow = (event: FocusEvent) => {
    if (event.target instanceof Element && event.target !== document.body) key = keyOf(event.target);
  };
  document.addEventListener('focusin', follow);
  try {
    return await redraw();
  } finally {
    document.removeEventListener('focusin', follow);
    restoreIfLost(key);
  }
}

/**
 * The same for a redraw done at once: a live message applied in place (the overview puts a client's row in and
 * redraws its table), the header redrawn when the live connection's state changes. Without it a keyboard user on
 * a link there lost focus to <body> whenever a message came.
 */
export function keepingFocusNow<T>(redraw: () => T): T {
  const key = focusedKey();
  try {
    return redraw();
  } finally {
    restoreIfLost(key);
  }
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab and Shift+Tab go round inside a modal dialog. The browser already makes the page behind it inert; without
 * this, Tab past the last button would leave the page for the browser's own controls.
 */
export function trapTab(dialog: HTMLDialogElement): void {
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const inside = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (inside.length === 0) return;
    const first = inside[0]!;
    const last = inside[inside.length - 1]!;
    if (event.shiftKey && document.activeElement === first) (event.preventDefault(), last.focus());
    else if (!event.shiftKey && document.activeElement === last) (event.preventDefault(), first.focus());
  });
}
