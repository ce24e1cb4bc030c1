import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { AgentSilenceRepository, SilenceCandidate } from '../agent-silences.ts';

export class SqliteAgentSilences implements Synchronous<AgentSilenceRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      candidates: db.prepare(
        `SELECT id AS agentId, client_id AS clientId, silent_since AS silentSince FROM agents
         WHERE revoked_at IS NULL AND (silent_since IS NOT NULL OR id IN (SELECT agent_id FROM alerts WHERE kind = 'agentSilent' AND state != 'OK'))`,
      ),
      open: db.prepare(`INSERT OR IGNORE INTO agent_silences (agent_id, from_at) VALUES (?, ?)`),
      close: db.prepare(`UPDATE agent_silences SET to_at = ? WHERE agent_id = ? AND to_at IS NULL`),
      silentAt: db.prepare(`SELECT 1 FROM agent_silences WHERE agent_id = ? AND from_at <= ? AND (to_at IS NULL OR to_at > ?) LIMIT 1`),
      lastStart: db.prepare(`SELECT max(from_at) FROM agent_silences WHERE agent_id = ? AND from_at <= ?`).pluck(),
    };
  }

  candidates(): SilenceCandidate[] {
    return this.stmt.candidates.all() as SilenceCandidate[];
  }

  open(agentId: string, from: number): void {
    this.stmt.open.run(agentId, from);
  }

  close(agentId: string, to: number): void {
    this.stmt.close.run(to, agentId);
  }

  silentAt(agentId: string, at: number): boolean {
    return this.stmt.silentAt.get(agentId, at, at) !== undefined;
  }

  lastStartAtOrBefore(agentId: string, at: number): number | null {
    return this.stmt.lastStart.get(agentId, at) as number | null;
  }
}
