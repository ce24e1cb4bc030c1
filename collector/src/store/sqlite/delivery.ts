import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { DeliveryRepository, SeqStats } from '../delivery.ts';

/** DeliveryRepository on SQLite. */
export class SqliteDelivery implements Synchronous<DeliveryRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      silentSince: db.prepare<[string], number | null>(`SELECT silent_since FROM agents WHERE id = ?`).pluck(),
      silentAgents: db.prepare<[], { id: string; silent_since: number }>(`SELECT id, silent_since FROM agents WHERE silent_since IS NOT NULL`),
      setSilent: db.prepare<[number | null, string]>(`UPDATE agents SET silent_since = ? WHERE id = ?`),
      newestStoredIn: db.prepare<[string, number, number], { seq: number; finished_at: number }>(
        `SELECT seq, finished_at FROM results WHERE agent_id = ? AND seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT 1`,
      ),
      revoked: db.prepare<[], string>(`SELECT id FROM agents WHERE revoked_at IS NOT NULL`).pluck(),
      // Reported gaps, or more when seqs up to last_seq were neither stored (stored_results counts every result
      // ever stored, so retention does not count as loss) nor reported: holes are lost too, not zero.
      lost: db.prepare<[string], number>(
        `SELECT max((SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM gaps WHERE agent_id = a.id), a.last_seq - a.stored_results)
           FROM agents a WHERE a.id = ?`,
      ).pluck(),
      seqStats: db.prepare<[string], { n: number; lo: number; hi: number }>(
        // From result_rows: through the view the count would look every row's check and content up.
        `SELECT count(*) AS n, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM result_rows
         WHERE result_agent_id = (SELECT id FROM result_agents WHERE agent_id = ?)`,
      ),
    };
  }

  silentSince(agentId: string): number | null {
    return this.stmt.silentSince.get(agentId) ?? null;
  }

  silentAgents(): Map<string, number> {
    return new Map(this.stmt.silentAgents.all().map((r) => [r.id, r.silent_since]));
  }

  setSilentSince(agentId: string, since: number | null): void {
    this.stmt.setSilent.run(since, agentId);
  }

  newestStoredIn(agentId: string, fromSeq: number, toSeq: number): { seq: number; finishedAt: number } | undefined {
    const row = this.stmt.newestStoredIn.get(agentId, fromSeq, toSeq);
    return row && { seq: row.seq, finishedAt: row.finished_at };
  }

  lostResults(agentId: string): number {
    return this.stmt.lost.get(agentId) ?? 0;
  }

  revokedAgentIds(): Set<string> {
    return new Set(this.stmt.revoked.all());
  }

  seqStats(agentId: string): SeqStats {
    const row = this.stmt.seqStats.get(agentId);
    return { count: row?.n ?? 0, lowest: row?.lo ?? 0, highest: row?.hi ?? 0 };
  }
}
