import type { Db } from '../store/sqlite/database.ts';
import type { Store } from '../store/store.ts';

/**
 * The SQL of reliable delivery beside the core Store: silence marks, gaps, stored seq ranges.
 * Takes the SQLite handle; a future PostgreSQL store brings its own implementation of these few queries.
 */
export class DeliveryStore {
  private readonly stmt;

  constructor(readonly db: Db) {
    this.stmt = {
      silentSince: db.prepare(`SELECT silent_since FROM agents WHERE id = ?`).pluck(),
      silentAgents: db.prepare(`SELECT id, silent_since FROM agents WHERE silent_since IS NOT NULL`),
      setSilent: db.prepare(`UPDATE agents SET silent_since = ? WHERE id = ?`),
      newestStoredIn: db.prepare(`SELECT seq, finished_at FROM results WHERE agent_id = ? AND seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT 1`),
      revoked: db.prepare(`SELECT id FROM agents WHERE revoked_at IS NOT NULL`).pluck(),
      // Reported gaps, or more when seqs up to last_seq were neither stored (stored_results counts every result
      // ever stored, so retention does not count as loss) nor reported: holes are lost too, not zero.
      lost: db.prepare(
        `SELECT max((SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM gaps WHERE agent_id = a.id), a.last_seq - a.stored_results)
           FROM agents a WHERE a.id = ?`,
      ).pluck(),
      seqStats: db.prepare(`SELECT count(*) AS n, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM results WHERE agent_id = ?`),
    };
  }

  silentSince(agentId: string): number | null {
    return (this.stmt.silentSince.get(agentId) as number | null | undefined) ?? null;
  }

  /** Agents currently marked silent, with the time since when. */
  silentAgents(): Map<string, number> {
    const rows = this.stmt.silentAgents.all() as { id: string; silent_since: number }[];
    return new Map(rows.map((r) => [r.id, r.silent_since]));
  }

  setSilentSince(agentId: string, since: number | null): void {
    this.stmt.setSilent.run(since, agentId);
  }

  /** The newest stored result with a seq in [fromSeq, toSeq], if any: a gap never hides what was stored. */
  newestStoredIn(agentId: string, fromSeq: number, toSeq: number): { seq: number; finishedAt: number } | undefined {
    const row = this.stmt.newestStoredIn.get(agentId, fromSeq, toSeq) as { seq: number; finished_at: number } | undefined;
    return row && { seq: row.seq, finishedAt: row.finished_at };
  }

  /** Results lost: the gaps the agent reported, or every seq neither stored nor in a gap when that is more. */
  lostResults(agentId: string): number {
    return (this.stmt.lost.get(agentId) as number | undefined) ?? 0;
  }

  revokedAgentIds(): Set<string> {
    return new Set(this.stmt.revoked.all() as string[]);
  }

  /** Count, lowest and highest stored seq of an agent: count = hi − lo + 1 means no hole, no duplicate. */
  seqStats(agentId: string): { count: number; lowest: number; highest: number } {
    const row = this.stmt.seqStats.get(agentId) as { n: number; lo: number; hi: number };
    return { count: row.n, lowest: row.lo, highest: row.hi };
  }
}

const cache = new WeakMap<object, DeliveryStore>();

/** The delivery queries for a store; needs the SQLite store (anything with a better-sqlite3 `db`). */
export function deliveryStore(store: Store): DeliveryStore {
  let found = cache.get(store);
  if (found) return found;
  const db = (store as Store & { db?: Db }).db;
  if (!db) throw new Error('reliable delivery needs the SQLite store (no `db` on this Store implementation)');
  found = new DeliveryStore(db);
  cache.set(store, found);
  return found;
}
