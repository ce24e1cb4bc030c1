import type { Sql } from './connection.ts';
import type { DeliveryRepository, SeqStats } from '../delivery.ts';

/** DeliveryRepository on PostgreSQL. */
export class PgDelivery implements DeliveryRepository {
  constructor(private readonly db: Sql) {}

  async silentSince(agentId: string): Promise<number | null> {
    return (await this.db.row<{ silent_since: number | null }>(`SELECT silent_since FROM agents WHERE id = $1`, [agentId]))?.silent_since ?? null;
  }

  async silentAgents(): Promise<Map<string, number>> {
    const rows = await this.db.rows<{ id: string; silent_since: number }>(`SELECT id, silent_since FROM agents WHERE silent_since IS NOT NULL`);
    return new Map(rows.map((r) => [r.id, r.silent_since]));
  }

  async setSilentSince(agentId: string, since: number | null): Promise<void> {
    await this.db.run(`UPDATE agents SET silent_since = $1 WHERE id = $2`, [since, agentId]);
  }

  async newestStoredIn(agentId: string, fromSeq: number, toSeq: number): Promise<{ seq: number; finishedAt: number } | undefined> {
    const row = await this.db.row<{ seq: number; finished_at: number }>(
      `SELECT seq, finished_at FROM results WHERE agent_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq DESC LIMIT 1`,
      [agentId, fromSeq, toSeq],
    );
    return row && { seq: row.seq, finishedAt: row.finished_at };
  }

  async lostResults(agentId: string): Promise<number> {
    // Reported gaps, or more when seqs up to last_seq were neither stored (stored_results counts every result ever
    // stored, so retention does not count as loss) nor reported: holes are lost too, not zero.
    const row = await this.db.row<{ lost: number }>(
      `SELECT greatest((SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM gaps WHERE agent_id = a.id), a.last_seq - a.stored_results)::bigint AS lost
       FROM agents a WHERE a.id = $1`,
      [agentId],
    );
    return row?.lost ?? 0;
  }

  async revokedAgentIds(): Promise<Set<string>> {
    return new Set((await this.db.rows<{ id: string }>(`SELECT id FROM agents WHERE revoked_at IS NOT NULL`)).map((r) => r.id));
  }

  async seqStats(agentId: string): Promise<SeqStats> {
    const row = await this.db.row<{ n: number; lo: number; hi: number }>(
      `SELECT count(*) AS n, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM results WHERE agent_id = $1`,
      [agentId],
    );
    return { count: row?.n ?? 0, lowest: row?.lo ?? 0, highest: row?.hi ?? 0 };
  }
}
