import type { ClientSummary, ClientInfo as ClientRow, HostBeat } from '@nines/shared';
import { compareClientRows, OVERVIEW_BARS_PER_ROW } from '@nines/shared';
import type { Store } from '../store/store.ts';
import { addMonthFigures, summarizeClients } from '../management/overview.ts';
import { monthFigure, MonthFigureCache, MONTH_FIGURE_TTL_MS } from '../management/availability.ts';
import { addHostBeats, barsForList } from '../management/overview-beats.ts';
import { HostBeats } from './host-beats.ts';
import { readView } from '../availability/rollups.ts';
import { monotonicMs, reuseMs, type Elapsed } from '../management/reuse.ts';

/** Changes are pushed at most this often per client; the rows a request reads are never older than their last change. */
export const OVERVIEW_FLUSH_MS = 500;
/**
 * A row no event marked is still recomputed after this long, or after ten times what its last computation took when
 * that is longer (reuse.ts: a client of 10,000 hosts took ~5 s): client and agent renames, revocations and check
 * assignments come through the API without an event, and the month figures move with the clock.
 */
export const OVERVIEW_MAX_AGE_MS = MONTH_FIGURE_TTL_MS;

interface Entry {
  /** With every host's bar (the client page's `?client=`). */
  row: ClientSummary;
  /** The same row with its bars capped (barsForList): what the list of all clients carries and a push sends. */
  listRow: ClientSummary;
  at: number;
  /** What computing the row took, ms: how long it is reused without a change (reuse.ts). */
  costMs: number;
  /** listRow as JSON: what tells a changed row from a recomputed one. */
  json: string;
  /** Hosts whose bar changed since the row was last pushed (and not only the capped ones): the push carries them. */
  changedBars: Set<string>;
  /** The row as it was last pushed (null: never): a row recomputed by a read is pushed by the next flush all the same. */
  published: string | null;
  /** The client record the row was made from: a change of name or target through the API recomputes it. */
  client: string;
}

export interface OverviewLog {
  error(obj: object, msg: string): void;
}

/**
 * The overview kept in memory, one row per client. Ingest and connection events mark a client dirty; a read
 * recomputes only the dirty or aged rows of the clients it asks for, from that client's agents and checks alone,
 * so a request costs what its own tenants hold, not the whole estate, and a quiet overview costs a map lookup.
 * `flush()` (every OVERVIEW_FLUSH_MS while dashboards listen) recomputes the dirty rows and hands each one that
 * changed to `publish`, which sends it over the live socket: dashboards apply it in place without fetching.
 */
export class OverviewModel {
  private readonly rows = new Map<number, Entry>();
  private readonly dirty = new Set<number>();
  /** Rows recomputed into something not pushed yet. */
  private readonly unpublished = new Set<number>();
  private readonly months: MonthFigureCache;
  /** Per host, the heartbeat bar's cells: a row's recomputation reads only the cells an event touched. */
  private readonly beats: HostBeats;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly log: OverviewLog,
    private readonly elapsed: Elapsed = monotonicMs,
  ) {
    this.beats = new HostBeats(store);
    this.months = new MonthFigureCache(MONTH_FIGURE_TTL_MS, elapsed);
  }

  markDirty(clientId: number): void {
    this.dirty.add(clientId);
  }

  /** Something about a host changed from `from` on (a result, a gap, a silence): its row, and its bar from there. */
  markHost(clientId: number, agentId: string, from: number): void {
    this.beats.mark(agentId, from);
    this.dirty.add(clientId);
  }

  /** Rows of the given clients (all when null), worst first; their bars capped as the list carries them unless `allBars`. */
  async read(clientIds: ReadonlySet<number> | null, allBars = false): Promise<ClientSummary[]> {
    const now = this.clock();
    const clients = await this.store.management.listClients(clientIds);
    return (await Promise.all(clients.map(async (c) => {
      const entry = await this.current(c, now);
      return allBars ? entry.row : entry.listRow;
    }))).sort(compareClientRows);
  }

  /**
   * Recomputes the rows marked dirty (and the aged ones when `all`) and returns every row that differs from what
   * was last pushed — also those a read recomputed meanwhile — as pushed from now on: the row as the list carries it,
   * and every host's bar that changed since its previous push.
   */
  async flush(all = false): Promise<Array<{ row: ClientSummary; bars: HostBeat[] }>> {
    const now = this.clock();
    const wanted = all ? null : new Set(this.dirty);
    if (wanted === null || wanted.size > 0) for (const client of await this.store.management.listClients(wanted)) await this.current(client, now);
    const changed: Array<{ row: ClientSummary; bars: HostBeat[] }> = [];
    for (const id of this.unpublished) {
      const entry = this.rows.get(id);
      if (!entry) continue;
      entry.published = entry.json;
      changed.push({ row: entry.listRow, bars: entry.row.beats.filter((b) => entry.changedBars.has(b.agentId)) });
      entry.changedBars = new Set();
    }
    this.unpublished.clear();
    return changed;
  }

  private async current(client: ClientRow, now: number): Promise<Entry> {
    const cached = this.rows.get(client.id);
    const record = JSON.stringify(client);
    if (cached && !this.dirty.has(client.id) && now >= cached.at && now - cached.at < reuseMs(OVERVIEW_MAX_AGE_MS, cached.costMs) && cached.client === record) return cached;
    this.dirty.delete(client.id);
    const started = this.elapsed();
    const agents = await this.store.listAgents(client.id);
    const checks = await this.store.listClientChecks(client.id);
    const [row] = summarizeClients([client], agents, checks);
    const view = readView(this.store); // the row's gaps and maintenance windows read once, not once per check
    // The month figure first: when it is computed, the client's checks it reads serve the bars' hosts too (readView).
    await addMonthFigures([row!], (id) => this.months.get(id, now, () => monthFigure(view, id, now)), (clientId, err) => this.log.error({ err, clientId }, 'overview: month availability failed'));
    try {
      await addHostBeats(row!, agents, checks, (agentId, states) => this.beats.cells(agentId, now, states, view));
    } catch (err) {
      // The row without bars still answers "is anything wrong?"; the next recomputation tries again.
      this.log.error({ err, clientId: client.id }, 'overview: heartbeat bars failed');
    }
    this.beats.retain(agents.map((a) => a.id), new Set(agents.filter((a) => a.revokedAt === null).map((a) => a.id)));
    const listRow = { ...row!, beats: barsForList(row!.beats, OVERVIEW_BARS_PER_ROW) };
    const changedBars = cached?.changedBars ?? new Set<string>();
    // A row computed for the first time was pushed and read by nobody yet: no bar of it is news to anyone.
    if (cached) {
      const before = new Map(cached.row.beats.map((b) => [b.agentId, b]));
      for (const b of row!.beats) if (!sameBar(before.get(b.agentId), b)) changedBars.add(b.agentId);
    }
    const entry: Entry = { row: row!, listRow, at: now, costMs: this.elapsed() - started, json: JSON.stringify(listRow), changedBars, client: record, published: cached?.published ?? null };
    this.rows.set(client.id, entry);
    if (entry.json !== entry.published || changedBars.size > 0) this.unpublished.add(client.id);
    else this.unpublished.delete(client.id);
    return entry;
  }
}

/** Whether a host's bar is unchanged: host-beats.ts hands back the same cells when it read nothing again. */
function sameBar(before: HostBeat | undefined, after: HostBeat): boolean {
  if (!before || before.name !== after.name || before.labels.join('\n') !== after.labels.join('\n')) return false;
  return before.cells === after.cells || JSON.stringify(before.cells) === JSON.stringify(after.cells);
}
