import { LIVE_COLLECTORS } from './coordination.ts';
import type { CheckConfig } from '@nines/shared';
import { intervalOf, toAgent, toCheck, AGENT_SELECT, CLIENT_SELECT, type AgentRow, type CheckRow, type CredentialsRow, type EnrollTokenRow } from '../agent-rows.ts';
import type { PgConnection } from './connection.ts';
import type { AgentRecord, CheckRecord, Client, EnrollTokenProblem, HelloInfo } from '../store.ts';

/** Clients, enrollment, agents and the checks assigned to them: the PostgreSQL side of the Store's core methods. */
export class PgAgents {
  /** `collector`: the instance of this collector's coordination, written beside the marks it sets. */
  constructor(
    private readonly db: PgConnection,
    private readonly collector: string,
  ) {}

  async ensureClient(name: string, now: number): Promise<Client> {
    await this.db.run(`INSERT INTO clients (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, now]);
    return (await this.findClient(name))!;
  }

  findClient(idOrName: string | number): Promise<Client | undefined> {
    if (typeof idOrName === 'number' || /^\d+$/.test(idOrName)) {
      const id = Number(idOrName);
      // A number past BIGINT names no client (SQLite answers none too, rather than failing).
      if (!Number.isSafeInteger(id)) return Promise.resolve(undefined);
      return this.db.row<Client>(`${CLIENT_SELECT} WHERE id = $1`, [id]);
    }
    return this.db.row<Client>(`${CLIENT_SELECT} WHERE name = $1`, [idOrName]);
  }

  listClients(): Promise<Client[]> {
    //: byte order, as SQLite's default BINARY collation sorts.
    return this.db.rows<Client>(`${CLIENT_SELECT} ORDER BY name`);
  }

  async createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): Promise<void> {
    await this.db.run(`INSERT INTO enroll_tokens (token_hash, client_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [tokenHash, clientId, now, expiresAt]);
  }

  enrollAgent(
    tokenHash: string,
    agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string },
    now: number,
  ): Promise<{ clientId: number } | { problem: EnrollTokenProblem }> {
    return this.db.transaction(async () => {
      // FOR UPDATE: two collectors spending one token at once see it one after the other; the second finds it used.
      const token = await this.db.row<EnrollTokenRow>(`SELECT client_id, expires_at, used_at FROM enroll_tokens WHERE token_hash = $1 FOR UPDATE`, [tokenHash]);
      if (!token) return { problem: 'unknown' as const };
      if (token.used_at !== null) return { problem: 'used' as const };
      if (token.expires_at <= now) return { problem: 'expired' as const };
      await this.db.run(`UPDATE enroll_tokens SET used_at = $1, agent_id = $2 WHERE token_hash = $3`, [now, agent.id, tokenHash]);
      await this.db.run(
        `INSERT INTO agents (id, client_id, name, secret_hash, created_at, platform, agent_version) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [agent.id, token.client_id, agent.name, agent.secretHash, now, agent.platform, agent.agentVersion],
      );
      return { clientId: token.client_id };
    });
  }

  async agentCredentials(agentId: string): Promise<{ secretHash: string; revokedAt: number | null } | undefined> {
    const row = await this.db.row<CredentialsRow>(`SELECT secret_hash, revoked_at FROM agents WHERE id = $1`, [agentId]);
    return row && { secretHash: row.secret_hash, revokedAt: row.revoked_at };
  }

  async revokeAgent(agentId: string, now: number): Promise<boolean> {
    return (await this.db.run(`UPDATE agents SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, [now, agentId])) > 0;
  }

  async getAgent(agentId: string): Promise<AgentRecord | undefined> {
    const row = await this.db.row<AgentRow>(`${AGENT_SELECT} WHERE a.id = $1`, [agentId]);
    return row && toAgent(row);
  }

  async listAgents(clientId?: number): Promise<AgentRecord[]> {
    const rows =
      clientId === undefined
        ? await this.db.rows<AgentRow>(`${AGENT_SELECT} ORDER BY c.name, a.name`)
        : await this.db.rows<AgentRow>(`${AGENT_SELECT} WHERE a.client_id = $1 ORDER BY c.name, a.name`, [clientId]);
    return rows.map(toAgent);
  }

  async recordHello(agentId: string, h: HelloInfo): Promise<void> {
    await this.db.run(
      `UPDATE agents SET hostname = $1, platform = $2, agent_version = $3, boot_id = $4, clock_offset_ms = $5, backlog = $6, last_seen_at = $7 WHERE id = $8`,
      [h.hostname, h.platform, h.agentVersion, h.bootId, h.clockOffsetMs, h.backlog, h.seenAt, agentId],
    );
  }

  async setConnected(agentId: string, connected: boolean, now: number): Promise<boolean> {
    if (connected) return (await this.db.run(`UPDATE agents SET connected = 1, connected_by = $1, last_seen_at = $2 WHERE id = $3`, [this.collector, now, agentId])) > 0;
    // A close releases only this collector's mark: an agent that reconnected to another collector before this one
    // noticed its old socket closing is that collector's now.
    return (await this.db.run(`UPDATE agents SET connected = 0, connected_by = NULL, last_seen_at = $1 WHERE id = $2 AND connected_by = $3`, [now, agentId, this.collector])) > 0;
  }

  async resetConnections(): Promise<void> {
    await this.db.run(`UPDATE agents SET connected = 0, connected_by = NULL WHERE connected = 1 AND connected_by = $1`, [this.collector]);
  }

  /**
   * Releases the marks no running collector holds: their holder's coordination session is gone from this database
   * (postgres/coordination.ts names them), or they predate the holder column. One statement, so a collector that
   * connected in between is in the list it compares against.
   */
  async releaseOrphanedConnections(): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `UPDATE agents SET connected = 0, connected_by = NULL
        WHERE connected = 1 AND (connected_by IS NULL OR connected_by NOT IN ${LIVE_COLLECTORS})
        RETURNING id`,
    );
    return rows.map((r) => r.id).sort();
  }

  async recordSeen(agentId: string, seenAt: number, backlog?: number): Promise<void> {
    await this.db.run(`UPDATE agents SET last_seen_at = $1, backlog = coalesce($2, backlog) WHERE id = $3`, [seenAt, backlog ?? null, agentId]);
  }

  assignChecks(agentId: string, checks: CheckConfig[]): Promise<number> {
    return this.db.transaction(async () => {
      const keep = new Set(checks.map((c) => c.id));
      const assigned = await this.db.rows<{ id: string }>(`SELECT id FROM checks WHERE agent_id = $1 AND config_json IS NOT NULL`, [agentId]);
      for (const { id } of assigned) {
        if (!keep.has(id)) await this.db.run(`UPDATE checks SET config_json = NULL WHERE agent_id = $1 AND id = $2`, [agentId, id]);
      }
      for (const c of checks) {
        await this.db.run(
          `INSERT INTO checks (agent_id, id, kind, name, config_json, interval_ms, max_interval_ms, labels_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (agent_id, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, labels_json = excluded.labels_json,
             config_json = excluded.config_json, interval_ms = excluded.interval_ms, max_interval_ms = greatest(checks.max_interval_ms, excluded.interval_ms)`,
          [agentId, c.id, c.kind, c.name ?? c.id, JSON.stringify(c), intervalOf(c), intervalOf(c), JSON.stringify(c.labels ?? [])],
        );
      }
      const row = await this.db.row<{ config_version: number }>(
        `UPDATE agents SET config_version = config_version + 1 WHERE id = $1 RETURNING config_version`,
        [agentId],
      );
      return row?.config_version ?? 0;
    });
  }

  async assignedConfig(agentId: string): Promise<{ version: number; checks: CheckConfig[] }> {
    const version = (await this.db.row<{ config_version: number }>(`SELECT config_version FROM agents WHERE id = $1`, [agentId]))?.config_version ?? 0;
    const rows = await this.db.rows<{ config_json: string }>(
      `SELECT config_json FROM checks WHERE agent_id = $1 AND config_json IS NOT NULL ORDER BY id`,
      [agentId],
    );
    return { version, checks: rows.map((r): CheckConfig => JSON.parse(r.config_json)) };
  }

  async listChecks(agentId?: string): Promise<CheckRecord[]> {
    const rows =
      agentId === undefined
        ? await this.db.rows<CheckRow>(`SELECT * FROM checks ORDER BY agent_id, id`)
        : await this.db.rows<CheckRow>(`SELECT * FROM checks WHERE agent_id = $1 ORDER BY id`, [agentId]);
    return rows.map(toCheck);
  }

  async listClientChecks(clientId: number): Promise<CheckRecord[]> {
    const rows = await this.db.rows<CheckRow>(
      `SELECT k.* FROM checks k JOIN agents a ON a.id = k.agent_id WHERE a.client_id = $1 ORDER BY k.agent_id, k.id`,
      [clientId],
    );
    return rows.map(toCheck);
  }
}
