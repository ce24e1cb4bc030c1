import type { Synchronous } from '../synchronous.ts';
import type { CheckConfig } from '@nines/shared';
import { intervalOf, toAgent, toCheck, AGENT_SELECT, CLIENT_SELECT, type AgentRow, type CheckRow, type CredentialsRow, type EnrollTokenRow } from '../agent-rows.ts';
import type { Db } from './database.ts';
import type { AgentRecord, CheckRecord, Client, EnrollTokenProblem, HelloInfo, Store } from '../store.ts';

/** Clients, enrollment, agents and the checks assigned to them: the SQLite side of the Store's core methods. */
export class SqliteAgents {
  private readonly stmt;
  /** Made once (`db.transaction(fn)` builds a new wrapper on every call); inside a transaction it is a savepoint. */
  readonly enrollAgent: Synchronous<Store>['enrollAgent'];
  readonly assignChecks: Synchronous<Store>['assignChecks'];

  constructor(db: Db) {
    this.stmt = {
      ensureClient: db.prepare<[string, number]>(`INSERT INTO clients (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
      clientById: db.prepare<[number], Client>(`${CLIENT_SELECT} WHERE id = ?`),
      clientByName: db.prepare<[string], Client>(`${CLIENT_SELECT} WHERE name = ?`),
      clients: db.prepare<[], Client>(`${CLIENT_SELECT} ORDER BY name`),
      createEnrollToken: db.prepare<[string, number, number, number]>(
        `INSERT INTO enroll_tokens (token_hash, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
      ),
      enrollToken: db.prepare<[string], EnrollTokenRow>(`SELECT client_id, expires_at, used_at FROM enroll_tokens WHERE token_hash = ?`),
      spendEnrollToken: db.prepare<[number, string, string]>(`UPDATE enroll_tokens SET used_at = ?, agent_id = ? WHERE token_hash = ?`),
      createAgent: db.prepare<[string, number, string, string, number, string, string]>(
        `INSERT INTO agents (id, client_id, name, secret_hash, created_at, platform, agent_version) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      credentials: db.prepare<[string], CredentialsRow>(`SELECT secret_hash, revoked_at FROM agents WHERE id = ?`),
      revoke: db.prepare<[number, string]>(`UPDATE agents SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`),
      agent: db.prepare<[string], AgentRow>(`${AGENT_SELECT} WHERE a.id = ?`),
      agents: db.prepare<[], AgentRow>(`${AGENT_SELECT} ORDER BY c.name, a.name`),
      clientAgents: db.prepare<[number], AgentRow>(`${AGENT_SELECT} WHERE a.client_id = ? ORDER BY c.name, a.name`),
      hello: db.prepare<[string, string, string, string, number, number, number, string]>(
        `UPDATE agents SET hostname = ?, platform = ?, agent_version = ?, boot_id = ?, clock_offset_ms = ?, backlog = ?, last_seen_at = ? WHERE id = ?`,
      ),
      connected: db.prepare<[number, number, string]>(`UPDATE agents SET connected = ?, last_seen_at = ? WHERE id = ?`),
      resetConnections: db.prepare<[]>(`UPDATE agents SET connected = 0 WHERE connected = 1`),
      seen: db.prepare<[number, number | null, string]>(`UPDATE agents SET last_seen_at = ?, backlog = coalesce(?, backlog) WHERE id = ?`),
      assignedIds: db.prepare<[string], string>(`SELECT id FROM checks WHERE agent_id = ? AND config_json IS NOT NULL`).pluck(),
      unassign: db.prepare<[string, string]>(`UPDATE checks SET config_json = NULL WHERE agent_id = ? AND id = ?`),
      assign: db.prepare<[string, string, string, string, string, number, number, string]>(
        `INSERT INTO checks (agent_id, id, kind, name, config_json, interval_ms, max_interval_ms, labels_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, labels_json = excluded.labels_json,
           config_json = excluded.config_json, interval_ms = excluded.interval_ms, max_interval_ms = max(checks.max_interval_ms, excluded.interval_ms)`,
      ),
      bumpConfigVersion: db.prepare<[string], number>(`UPDATE agents SET config_version = config_version + 1 WHERE id = ? RETURNING config_version`).pluck(),
      configVersion: db.prepare<[string], number>(`SELECT config_version FROM agents WHERE id = ?`).pluck(),
      assignedConfigs: db.prepare<[string], string>(`SELECT config_json FROM checks WHERE agent_id = ? AND config_json IS NOT NULL ORDER BY id`).pluck(),
      checks: db.prepare<[], CheckRow>(`SELECT * FROM checks ORDER BY agent_id, id`),
      agentChecks: db.prepare<[string], CheckRow>(`SELECT * FROM checks WHERE agent_id = ? ORDER BY id`),
      clientChecks: db.prepare<[number], CheckRow>(
        `SELECT k.* FROM checks k JOIN agents a ON a.id = k.agent_id WHERE a.client_id = ? ORDER BY k.agent_id, k.id`,
      ),
    };
    this.enrollAgent = db.transaction((tokenHash, agent, now) => this.enroll(tokenHash, agent, now));
    this.assignChecks = db.transaction((agentId, checks) => this.assign(agentId, checks));
  }

  ensureClient(name: string, now: number): Client {
    this.stmt.ensureClient.run(name, now);
    return this.findClient(name)!;
  }

  findClient(idOrName: string | number): Client | undefined {
    if (typeof idOrName === 'number' || /^\d+$/.test(idOrName)) return this.stmt.clientById.get(Number(idOrName));
    return this.stmt.clientByName.get(idOrName);
  }

  listClients(): Client[] {
    return this.stmt.clients.all();
  }

  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): void {
    this.stmt.createEnrollToken.run(tokenHash, clientId, now, expiresAt);
  }

  private enroll(
    tokenHash: string,
    agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string },
    now: number,
  ): { clientId: number } | { problem: EnrollTokenProblem } {
    const token = this.stmt.enrollToken.get(tokenHash);
    if (!token) return { problem: 'unknown' };
    if (token.used_at !== null) return { problem: 'used' };
    if (token.expires_at <= now) return { problem: 'expired' };
    this.stmt.spendEnrollToken.run(now, agent.id, tokenHash);
    this.stmt.createAgent.run(agent.id, token.client_id, agent.name, agent.secretHash, now, agent.platform, agent.agentVersion);
    return { clientId: token.client_id };
  }

  agentCredentials(agentId: string): { secretHash: string; revokedAt: number | null } | undefined {
    const row = this.stmt.credentials.get(agentId);
    return row && { secretHash: row.secret_hash, revokedAt: row.revoked_at };
  }

  revokeAgent(agentId: string, now: number): boolean {
    return this.stmt.revoke.run(now, agentId).changes > 0;
  }

  getAgent(agentId: string): AgentRecord | undefined {
    const row = this.stmt.agent.get(agentId);
    return row && toAgent(row);
  }

  listAgents(clientId?: number): AgentRecord[] {
    const rows = clientId === undefined ? this.stmt.agents.all() : this.stmt.clientAgents.all(clientId);
    return rows.map(toAgent);
  }

  recordHello(agentId: string, h: HelloInfo): void {
    this.stmt.hello.run(h.hostname, h.platform, h.agentVersion, h.bootId, h.clockOffsetMs, h.backlog, h.seenAt, agentId);
  }

  setConnected(agentId: string, connected: boolean, now: number): boolean {
    return this.stmt.connected.run(connected ? 1 : 0, now, agentId).changes > 0;
  }

  resetConnections(): void {
    this.stmt.resetConnections.run();
  }

  recordSeen(agentId: string, seenAt: number, backlog?: number): void {
    this.stmt.seen.run(seenAt, backlog ?? null, agentId);
  }

  private assign(agentId: string, checks: CheckConfig[]): number {
    const keep = new Set(checks.map((c) => c.id));
    for (const old of this.stmt.assignedIds.all(agentId)) {
      if (!keep.has(old)) this.stmt.unassign.run(agentId, old);
    }
    for (const c of checks) this.stmt.assign.run(agentId, c.id, c.kind, c.name ?? c.id, JSON.stringify(c), intervalOf(c), intervalOf(c), JSON.stringify(c.labels ?? []));
    return this.stmt.bumpConfigVersion.get(agentId) ?? 0;
  }

  assignedConfig(agentId: string): { version: number; checks: CheckConfig[] } {
    const version = this.stmt.configVersion.get(agentId) ?? 0;
    return { version, checks: this.stmt.assignedConfigs.all(agentId).map((json): CheckConfig => JSON.parse(json)) };
  }

  listChecks(agentId?: string): CheckRecord[] {
    return (agentId === undefined ? this.stmt.checks.all() : this.stmt.agentChecks.all(agentId)).map(toCheck);
  }

  listClientChecks(clientId: number): CheckRecord[] {
    return this.stmt.clientChecks.all(clientId).map(toCheck);
  }
}
