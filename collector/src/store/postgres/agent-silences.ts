import type { PgConnection } from './connection.ts';
import type { AgentSilenceRepository, SilenceCandidate } from '../agent-silences.ts';

/** Spans in which an agent was silent, and the agents that may be, on PostgreSQL. */
export class PgAgentSilences implements AgentSilenceRepository {
  constructor(private readonly db: PgConnection) {}

  candidates(): Promise<SilenceCandidate[]> {
    // ORDER BY: SQLite answers in its table order unasked; here the order is made explicit.
    return this.db.rows<SilenceCandidate>(
      `SELECT id AS "agentId", client_id AS "clientId", silent_since AS "silentSince" FROM agents
       WHERE revoked_at IS NULL AND (silent_since IS NOT NULL OR id IN (SELECT agent_id FROM alerts WHERE kind = 'agentSilent' AND state != 'OK'))
       ORDER BY id`,
    );
  }

  async open(agentId: string, from: number): Promise<void> {
    await this.db.run(`INSERT INTO agent_silences (agent_id, from_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [agentId, from]);
  }

  async close(agentId: string, to: number): Promise<void> {
    await this.db.run(`UPDATE agent_silences SET to_at = $1 WHERE agent_id = $2 AND to_at IS NULL`, [to, agentId]);
  }

  async silentAt(agentId: string, at: number): Promise<boolean> {
    return (await this.db.row(`SELECT 1 FROM agent_silences WHERE agent_id = $1 AND from_at <= $2 AND (to_at IS NULL OR to_at > $2) LIMIT 1`, [agentId, at])) !== undefined;
  }

  async lastStartAtOrBefore(agentId: string, at: number): Promise<number | null> {
    return (await this.db.row<{ start: number | null }>(`SELECT max(from_at) AS start FROM agent_silences WHERE agent_id = $1 AND from_at <= $2`, [agentId, at]))!.start;
  }
}
