import { OVERVIEW_BARS_PER_ROW, type HeartbeatCell, type HostBeat } from '@nines/shared';
import { duration, el, link, percentText } from '../dom.ts';
import { locale, t } from '../i18n.ts';

export const HOSTS_SHOWN = OVERVIEW_BARS_PER_ROW; // bars per client row, worst first; the client page has every host

const clockFormats = new Map<string, Intl.DateTimeFormat>();
/** "14:00" in the browser's zone and the user's language. */
function clock(ms: number): string {
  let f = clockFormats.get(locale());
  if (!f) clockFormats.set(locale(), (f = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' })));
  return f.format(ms);
}

const PARTS = [['downMs', 'state.DOWN'], ['upMs', 'state.UP'], ['maintenanceMs', 'state.MAINTENANCE'], ['unknownMs', 'state.UNKNOWN']] as const;

/** A cell's tooltip: its hour and how long of it was in which state, worst first ("14:00–15:00: Down 12 min, Up 48 min"). */
export function cellTitle(c: HeartbeatCell): string {
  const parts = c.state === 'NONE' ? [t('beat.NONE')] : PARTS.filter(([k]) => c[k] > 0).map(([k, label]) => `${t(label)} ${duration(c[k])}`);
  return `${clock(c.from)}–${clock(c.to)}: ${parts.join(', ')}`;
}

/** What a screen reader says for a bar: "pc-01 · 24 h: 99.312 % up, down in 2 of 24 hours". */
export function barLabel(b: HostBeat): string {
  return b.upPercent === null ? t('beats.noData', b.name) : t('beats.summary', b.name, percentText(b.upPercent), b.downCells, b.cells.length);
}

/**
 * One host's bar: a cell per hour, oldest left, coloured by its worst state (grey: no data), each with its tooltip.
 * The bar is one image to assistive technology, named by its summary; the cells are decoration to it. Where the
 * host's name stands right above it (the client page's host cards), `named` false leaves out the name link.
 */
export function heartbeatBar(b: HostBeat, named = true): HTMLElement {
  const cells = b.cells.map((c) => el('span', { class: `beat ${c.state}`, 'data-state': c.state, 'data-from': String(c.from), title: cellTitle(c) }));
  return el('div', { class: 'beat-host', 'data-host': b.agentId },
    named ? el('span', { class: 'beat-name' }, link(`#/host/${encodeURIComponent(b.agentId)}`, b.name)) : null,
    el('span', { class: 'beat-bar', role: 'img', 'aria-label': barLabel(b) }, ...cells));
}

/** The bars of a client's hosts (at most HOSTS_SHOWN of `total`, the rest one link away). */
export function heartbeatBars(hosts: readonly HostBeat[], total: number, clientId: number): HTMLElement | null {
  if (hosts.length === 0) return null;
  const shown = hosts.slice(0, HOSTS_SHOWN);
  const more = total > shown.length ? link(`#/client/${clientId}`, t('beats.more', total - shown.length)) : null;
  return el('div', { class: 'beats' }, ...shown.map((b) => heartbeatBar(b)), more);
}
