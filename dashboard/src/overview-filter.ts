import type { ClientSummary, HostBeat } from '@nines/shared';
import { needsAttention } from './overview-rows.ts';

export const STATE_FILTERS = ['all', 'problems', 'CRIT', 'WARN', 'UNKNOWN'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

/** The overview's filter, kept in the URL hash (#/?client=…&label=…&state=…) so that a reload or a link keeps it. */
export interface OverviewFilter {
  /** Text searched in the client's name, its hosts and its problems. */
  client: string;
  /** A label of the client's checks; '' for any. */
  label: string;
  state: StateFilter;
}

/** The filter from the hash's query; anything unknown falls back to "all", so an old or mangled link still opens. */
export function parseFilter(query: string): OverviewFilter {
  const p = new URLSearchParams(query);
  const state = p.get('state') ?? 'all';
  return {
    client: (p.get('client') ?? '').trim(),
    label: p.get('label') ?? '',
    state: (STATE_FILTERS as readonly string[]).includes(state) ? (state as StateFilter) : 'all',
  };
}

/** The hash for a filter: just "#/" when nothing is filtered. */
export function filterHash(f: OverviewFilter): string {
  const p = new URLSearchParams();
  if (f.client) p.set('client', f.client);
  if (f.label) p.set('label', f.label);
  if (f.state !== 'all') p.set('state', f.state);
  const query = p.toString();
  return query ? `#/?${query}` : '#/';
}

function matchesText(row: ClientSummary, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return row.name.toLowerCase().includes(q)
    || row.hostNames.some((name) => name.toLowerCase().includes(q))
    || row.problems.some((p) => `${p.agentName} ${p.checkName} ${p.message ?? ''}`.toLowerCase().includes(q));
}

function matchesState(row: ClientSummary, state: StateFilter): boolean {
  if (state === 'all') return true;
  if (state === 'problems') return needsAttention(row);
  return row.counts[state] > 0;
}

export function matchesFilter(row: ClientSummary, f: OverviewFilter): boolean {
  return matchesText(row, f.client) && (f.label === '' || row.labels.includes(f.label)) && matchesState(row, f.state);
}

/**
 * The hosts of a shown row whose bars are drawn (with a label chosen, only the hosts that carry it, the worst of
 * them: the list carries those), and how many hosts there are in all: the rest is "+N hosts", a link away.
 */
export function hostsShown(row: ClientSummary, f: OverviewFilter): { bars: HostBeat[]; total: number } {
  if (f.label === '') return { bars: row.beats, total: row.hostNames.length };
  // Own keys only: a label named "constructor" is not the object's.
  return { bars: row.beats.filter((b) => b.labels.includes(f.label)), total: Object.hasOwn(row.labelHosts, f.label) ? row.labelHosts[f.label]! : 0 };
}

/** Every label of every client, sorted: the label select's options. */
export function allLabels(rows: readonly ClientSummary[]): string[] {
  return [...new Set(rows.flatMap((r) => r.labels))].sort((a, b) => a.localeCompare(b));
}
