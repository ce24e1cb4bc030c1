import type { AgentStatus } from '@nines/shared';
import type { CollectorContext } from '../context.ts';
import type { AgentRecord } from '../store/store.ts';
import type { RecentFigures } from '../availability/recent-figures.ts';
import { writeQueuedMarks } from '../availability/index.ts';
import { agentStatus } from '../status.ts';

/**
 * An agent's entry is reused at most this long when nothing marked it: check renames and assignments come through
 * the API without an event, and the 24 h figures move with the clock (each is itself reused for 15–30 s).
 */
export const STATUS_MAX_AGE_MS = 5_000;

interface Entry {
  status: AgentStatus;
  /** `status` as JSON, so a request joins strings instead of serialising 1,000 checks again. */
  json: string;
  at: number;
  /** The agent record the entry was made from: any change to it (last seen, seq, connection, name) recomputes it. */
  record: string;
}

/**
 * GET /api/v1/status and a client's hosts kept in memory, one entry per agent. A request reads its tenants' agent
 * records (one query per client) and recomputes only the agents whose record changed, that an event marked (new
 * results, a gap, silence) or that aged; the rest is a map lookup and a string join. So a request costs what its
 * own tenants changed, not what the estate holds.
 */
export class StatusModel {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly ctx: Pick<CollectorContext, 'store' | 'clock'>,
    private readonly figures: RecentFigures,
  ) {}

  markDirty(agentId: string): void {
    this.dirty.add(agentId);
  }

  /** The agents of the given clients (all when null), in the order `collectStatus` lists them. */
  async agents(clientIds: Iterable<number> | null): Promise<AgentStatus[]> {
    return (await this.current(clientIds)).map((e) => e.status);
  }

  /** `{"agents":[…]}` exactly as the StatusResponse schema serialises it. */
  async json(clientIds: Iterable<number> | null): Promise<string> {
    return `{"agents":[${(await this.current(clientIds)).map((e) => e.json).join(',')}]}`;
  }

  private async current(clientIds: Iterable<number> | null): Promise<Entry[]> {
    const { store } = this.ctx;
    const records: AgentRecord[] = [];
    if (clientIds === null) records.push(...(await store.listAgents()));
    else for (const id of clientIds) records.push(...(await store.listAgents(id)));
    const now = this.ctx.clock();
    const keys = records.map((agent) => JSON.stringify(agent));
    const stale = records.flatMap((agent, i) => (this.fresh(this.entries.get(agent.id), keys[i]!, now, agent.id) ? [] : [i]));
    if (stale.length > 0) {
      await writeQueuedMarks(store); // the ingest's pending writes first, so the snapshot below only reads
      await store.snapshot(async () => {
        for (const i of stale) await this.remember(records[i]!, keys[i]!, now);
      });
    }
    if (clientIds === null) this.forgetAllBut(new Set(records.map((a) => a.id)));
    return records.map((agent) => this.entries.get(agent.id)!);
  }

  private fresh(entry: Entry | undefined, record: string, now: number, agentId: string): boolean {
    return entry !== undefined && !this.dirty.has(agentId) && entry.record === record && now >= entry.at && now - entry.at < STATUS_MAX_AGE_MS;
  }

  private async remember(agent: AgentRecord, record: string, now: number): Promise<void> {
    this.dirty.delete(agent.id);
    const status = await agentStatus(this.ctx, agent, now, this.figures);
    this.entries.set(agent.id, { status, json: JSON.stringify(status), at: now, record });
  }

  /** Agents deleted from the store leave the model with the next read of every agent. */
  private forgetAllBut(ids: Set<string>): void {
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id);
  }
}
