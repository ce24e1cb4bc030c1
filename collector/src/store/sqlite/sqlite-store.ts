import { parseDuration, DEFAULT_INTERVAL_MS, type CheckConfig, type Result, type Gap, type Status, type ApiTokenScope } from '@nines/shared';
import { openDatabase, type Db } from './database.ts';
import { SqliteAvailability } from './availability.ts';
import { SqliteMaintenance } from './maintenance.ts';
import type { AgentRecord, CheckRecord, Client, InsertOutcome, Store, UserRecord, HelloInfo, SessionGrant, ApiTokenGrant } from '../store.ts';
// Alerting and outbox repositories.
import { SqliteAlerts } from './alerts.ts';
import { SqliteAlertResults } from './alert-results.ts';
import { SqliteAgentSilences } from './agent-silences.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqliteRecipients } from './recipients.ts';

interface AgentRow {
  id: string; client_id: number; client_name: string; name: string; hostname: string | null; platform: string | null;
  agent_version: string | null; created_at: number; revoked_at: number | null; last_seen_at: number | null; connected: number;
  clock_offset_ms: number | null; backlog: number; last_seq: number; config_version: number;
}
interface CheckRow {
  agent_id: string; id: string; kind: string; name: string; config_json: string | null; interval_ms: number;
  status: Status | null; message: string | null; metrics_json: string | null; last_result_at: number | null;
  code: string | null; params_json: string | null;
}
interface ResultRow {
  seq: number; check_id: string; status: Status; message: string; metrics_json: string; details_json: string | null;
  started_at: number; finished_at: number; kind: string; name: string; interval_ms: number | null;
  code: string | null; params_json: string | null;
}

const toAgent = (r: AgentRow): AgentRecord => ({
  id: r.id, clientId: r.client_id, clientName: r.client_name, name: r.name, hostname: r.hostname, platform: r.platform,
  agentVersion: r.agent_version, createdAt: r.created_at, revokedAt: r.revoked_at, lastSeenAt: r.last_seen_at, connected: r.connected === 1,
  clockOffsetMs: r.clock_offset_ms, backlog: r.backlog, lastSeq: r.last_seq, configVersion: r.config_version,
});
const toCheck = (r: CheckRow): CheckRecord => ({
  agentId: r.agent_id, id: r.id, kind: r.kind, name: r.name, config: r.config_json ? JSON.parse(r.config_json) : null,
  intervalMs: r.interval_ms, status: r.status, message: r.message,
  metrics: r.metrics_json ? JSON.parse(r.metrics_json) : null, lastResultAt: r.last_result_at,
  code: r.code, params: r.params_json ? JSON.parse(r.params_json) : null,
});

/** Params only beside a code: without one nobody could render them. */
function paramsJson(r: Result): string | null {
  return r.code === undefined || r.params === undefined ? null : JSON.stringify(r.params);
}

function intervalOf(check: CheckConfig): number {
  return check.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(check.interval);
}

export class SqliteStore implements Store {
  readonly db: Db;
  private readonly stmt;
  // Alerting and outbox.
  readonly alerts: SqliteAlerts;
  readonly alertResults: SqliteAlertResults;
  readonly agentSilences: SqliteAgentSilences;
  readonly recipients: SqliteRecipients;
  readonly outbox: SqliteOutbox;
  readonly availability: SqliteAvailability;
  readonly maintenance: SqliteMaintenance;

  constructor(file: string) {
    this.db = openDatabase(file);
    const db = this.db;
    // Alerting and outbox.
    this.alerts = new SqliteAlerts(db);
    this.alertResults = new SqliteAlertResults(db);
    this.agentSilences = new SqliteAgentSilences(db);
    this.recipients = new SqliteRecipients(db);
    this.outbox = new SqliteOutbox(db);
    this.availability = new SqliteAvailability(db);
    this.maintenance = new SqliteMaintenance(db);
    this.stmt = {
      insertResult: db.prepare(
        `INSERT OR IGNORE INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at,
           code, params_json, interval_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertCheckState: db.prepare(
        // The last three parameters are the newest result's interval (NULL from agents that send none): the check's current interval.
        `INSERT INTO checks (agent_id, id, kind, name, status, message, metrics_json, last_result_at, code, params_json, interval_ms, max_interval_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, ${DEFAULT_INTERVAL_MS}), coalesce(?, ${DEFAULT_INTERVAL_MS}))
         ON CONFLICT (agent_id, id) DO UPDATE SET status = excluded.status, message = excluded.message,
           code = excluded.code, params_json = excluded.params_json,
           metrics_json = excluded.metrics_json, last_result_at = excluded.last_result_at,
           kind = excluded.kind, name = CASE WHEN checks.config_json IS NULL THEN excluded.name ELSE checks.name END,
           interval_ms = coalesce(?, checks.interval_ms)
         WHERE checks.last_result_at IS NULL OR checks.last_result_at <= excluded.last_result_at`,
      ),
      // Apart from the upsert: a late result with a longer interval must raise it even when it is not the newest.
      raiseMaxInterval: db.prepare(`UPDATE checks SET max_interval_ms = ? WHERE agent_id = ? AND id = ? AND max_interval_ms < ?`),
      bumpLastSeq: db.prepare(`UPDATE agents SET last_seq = max(last_seq, ?) WHERE id = ?`),
      // One statement per batch for the agent row (was four: last_seq, counter, seen, read back).
      afterBatch: db.prepare(
        `UPDATE agents SET last_seq = max(last_seq, ?), stored_results = stored_results + ?, last_seen_at = ? WHERE id = ? RETURNING last_seq`,
      ).pluck(),
      lastSeq: db.prepare(`SELECT last_seq FROM agents WHERE id = ?`).pluck(),
      agent: db.prepare(`SELECT a.*, c.name AS client_name FROM agents a JOIN clients c ON c.id = a.client_id WHERE a.id = ?`),
      seen: db.prepare(`UPDATE agents SET last_seen_at = ?, backlog = coalesce(?, backlog) WHERE id = ?`),
    };
    this.insertBatch = this.insertBatchInTransaction();
  }

  ensureClient(name: string, now: number): Client {
    this.db.prepare(`INSERT INTO clients (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`).run(name, now);
    return this.findClient(name)!;
  }

  findClient(idOrName: string | number): Client | undefined {
    const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
    return this.db
      .prepare(`SELECT id, name, timezone, language FROM clients WHERE ${byId ? 'id' : 'name'} = ?`)
      .get(byId ? Number(idOrName) : idOrName) as Client | undefined;
  }

  listClients(): Client[] {
    return this.db.prepare(`SELECT id, name, timezone, language FROM clients ORDER BY name`).all() as Client[];
  }

  createEnrollToken(tokenHash: string, clientId: number, now: number, expiresAt: number): void {
    this.db.prepare(`INSERT INTO enroll_tokens (token_hash, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)`).run(tokenHash, clientId, now, expiresAt);
  }

  enrollAgent(
    tokenHash: string,
    agent: { id: string; name: string; secretHash: string; platform: string; agentVersion: string },
    now: number,
  ) {
    return this.db.transaction(() => {
      const token = this.db.prepare(`SELECT client_id, expires_at, used_at FROM enroll_tokens WHERE token_hash = ?`).get(tokenHash) as
        | { client_id: number; expires_at: number; used_at: number | null }
        | undefined;
      if (!token) return { problem: 'unknown' as const };
      if (token.used_at !== null) return { problem: 'used' as const };
      if (token.expires_at <= now) return { problem: 'expired' as const };
      this.db.prepare(`UPDATE enroll_tokens SET used_at = ?, agent_id = ? WHERE token_hash = ?`).run(now, agent.id, tokenHash);
      this.db
        .prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at, platform, agent_version) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(agent.id, token.client_id, agent.name, agent.secretHash, now, agent.platform, agent.agentVersion);
      return { clientId: token.client_id };
    })();
  }

  agentCredentials(agentId: string) {
    const row = this.db.prepare(`SELECT secret_hash, revoked_at FROM agents WHERE id = ?`).get(agentId) as
      | { secret_hash: string; revoked_at: number | null }
      | undefined;
    return row && { secretHash: row.secret_hash, revokedAt: row.revoked_at };
  }

  revokeAgent(agentId: string, now: number): boolean {
    return this.db.prepare(`UPDATE agents SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`).run(now, agentId).changes > 0;
  }

  getAgent(agentId: string): AgentRecord | undefined {
    const row = this.stmt.agent.get(agentId) as AgentRow | undefined;
    return row && toAgent(row);
  }

  listAgents(clientId?: number): AgentRecord[] {
    const where = clientId === undefined ? '' : 'WHERE a.client_id = ?';
    const rows = this.db
      .prepare(`SELECT a.*, c.name AS client_name FROM agents a JOIN clients c ON c.id = a.client_id ${where} ORDER BY c.name, a.name`)
      .all(...(clientId === undefined ? [] : [clientId])) as AgentRow[];
    return rows.map(toAgent);
  }

  recordHello(agentId: string, h: HelloInfo): void {
    this.db
      .prepare(
        `UPDATE agents SET hostname = ?, platform = ?, agent_version = ?, boot_id = ?, clock_offset_ms = ?, backlog = ?, last_seen_at = ? WHERE id = ?`,
      )
      .run(h.hostname, h.platform, h.agentVersion, h.bootId, h.clockOffsetMs, h.backlog, h.seenAt, agentId);
  }

  setConnected(agentId: string, connected: boolean, now: number): void {
    this.db.prepare(`UPDATE agents SET connected = ?, last_seen_at = ? WHERE id = ?`).run(connected ? 1 : 0, now, agentId);
  }

  resetConnections(): void {
    this.db.prepare(`UPDATE agents SET connected = 0 WHERE connected = 1`).run();
  }

  recordSeen(agentId: string, seenAt: number, backlog?: number): void {
    this.stmt.seen.run(seenAt, backlog ?? null, agentId);
  }

  assignChecks(agentId: string, checks: CheckConfig[]): number {
    return this.db.transaction(() => {
      const keep = new Set(checks.map((c) => c.id));
      for (const old of this.db.prepare(`SELECT id FROM checks WHERE agent_id = ? AND config_json IS NOT NULL`).pluck().all(agentId) as string[]) {
        if (!keep.has(old)) this.db.prepare(`UPDATE checks SET config_json = NULL WHERE agent_id = ? AND id = ?`).run(agentId, old);
      }
      const upsert = this.db.prepare(
        `INSERT INTO checks (agent_id, id, kind, name, config_json, interval_ms, max_interval_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
           config_json = excluded.config_json, interval_ms = excluded.interval_ms, max_interval_ms = max(checks.max_interval_ms, excluded.interval_ms)`,
      );
      for (const c of checks) upsert.run(agentId, c.id, c.kind, c.name ?? c.id, JSON.stringify(c), intervalOf(c), intervalOf(c));
      this.db.prepare(`UPDATE agents SET config_version = config_version + 1 WHERE id = ?`).run(agentId);
      return this.db.prepare(`SELECT config_version FROM agents WHERE id = ?`).pluck().get(agentId) as number;
    })();
  }

  assignedConfig(agentId: string) {
    const version = (this.db.prepare(`SELECT config_version FROM agents WHERE id = ?`).pluck().get(agentId) as number | undefined) ?? 0;
    const rows = this.db.prepare(`SELECT config_json FROM checks WHERE agent_id = ? AND config_json IS NOT NULL ORDER BY id`).pluck().all(agentId) as string[];
    return { version, checks: rows.map((r) => JSON.parse(r) as CheckConfig) };
  }

  listChecks(agentId?: string): CheckRecord[] {
    const rows = (
      agentId === undefined
        ? this.db.prepare(`SELECT * FROM checks ORDER BY agent_id, id`).all()
        : this.db.prepare(`SELECT * FROM checks WHERE agent_id = ? ORDER BY id`).all(agentId)
    ) as CheckRow[];
    return rows.map(toCheck);
  }

  listClientChecks(clientId: number): CheckRecord[] {
    const rows = this.db
      .prepare(`SELECT k.* FROM checks k JOIN agents a ON a.id = k.agent_id WHERE a.client_id = ? ORDER BY k.agent_id, k.id`)
      .all(clientId) as CheckRow[];
    return rows.map(toCheck);
  }

  insertResults(agentId: string, batch: Result[], receivedAt: number): InsertOutcome {
    return this.insertBatch(agentId, batch, receivedAt);
  }

  /** Made once (`db.transaction(fn)` builds a new wrapper on every call); inside a transaction it is a savepoint. */
  private readonly insertBatch: (agentId: string, batch: Result[], receivedAt: number) => InsertOutcome;

  private insertBatchInTransaction(): (agentId: string, batch: Result[], receivedAt: number) => InsertOutcome {
    return this.db.transaction((agentId: string, batch: Result[], receivedAt: number): InsertOutcome => {
      const newlyStored: Result[] = [];
      let maxSeq = 0;
      // The newest result per check and its metrics as serialized for the row, reused for the check state.
      const newest = new Map<string, { result: Result; metricsJson: string; maxIntervalMs: number }>();
      for (const r of batch) {
        const metricsJson = JSON.stringify(r.metrics);
        const info = this.stmt.insertResult.run(
          agentId, r.seq, r.checkId, r.status, r.message, metricsJson,
          r.details === undefined ? null : JSON.stringify(r.details), r.startedAt, r.finishedAt, receivedAt,
          r.code ?? null, paramsJson(r), r.intervalMs ?? null,
        );
        if (r.seq > maxSeq) maxSeq = r.seq;
        if (info.changes === 0) continue;
        newlyStored.push(r);
        const prev = newest.get(r.checkId);
        const maxIntervalMs = Math.max(prev?.maxIntervalMs ?? 0, r.intervalMs ?? 0);
        if (!prev || prev.result.startedAt <= r.startedAt) newest.set(r.checkId, { result: r, metricsJson, maxIntervalMs });
        else prev.maxIntervalMs = maxIntervalMs;
      }
      const latest: Result[] = [];
      for (const { result: r, metricsJson, maxIntervalMs } of newest.values()) {
        const interval = r.intervalMs ?? null;
        this.stmt.upsertCheckState.run(
          agentId, r.checkId, r.kind, r.name ?? r.checkId, r.status, r.message, metricsJson, r.startedAt, r.code ?? null, paramsJson(r), interval, interval, interval,
        );
        if (maxIntervalMs > 0) this.stmt.raiseMaxInterval.run(maxIntervalMs, agentId, r.checkId, maxIntervalMs);
        latest.push(r);
      }
      const lastSeq = this.stmt.afterBatch.get(maxSeq, newlyStored.length, receivedAt, agentId) as number | undefined;
      return { inserted: newlyStored.length, lastSeq: lastSeq ?? (this.stmt.lastSeq.get(agentId) as number), latest, newlyStored };
    });
  }

  insertGap(agentId: string, gap: Gap): void {
    this.db
      .prepare(`INSERT OR IGNORE INTO gaps (agent_id, from_seq, to_seq, from_at, to_at, reason) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(agentId, gap.fromSeq, gap.toSeq, gap.from, gap.to, gap.reason);
    this.stmt.bumpLastSeq.run(gap.toSeq, agentId);
  }

  countResults(agentId: string): number {
    return (this.db.prepare(`SELECT stored_results FROM agents WHERE id = ?`).pluck().get(agentId) as number | undefined) ?? 0;
  }

  resultsBetween(agentId: string, checkId: string, from: number, to: number): Result[] {
    const rows = this.db
      .prepare(
        `SELECT r.*, coalesce(c.kind, '') AS kind, coalesce(c.name, r.check_id) AS name FROM results r
         LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
         WHERE r.agent_id = ? AND r.check_id = ? AND r.started_at >= ? AND r.started_at < ? ORDER BY r.started_at, r.seq`,
      )
      .all(agentId, checkId, from, to) as ResultRow[];
    return rows.map((r) => {
      const result: Result = {
        seq: r.seq, checkId: r.check_id, kind: r.kind, name: r.name, status: r.status, message: r.message,
        metrics: JSON.parse(r.metrics_json), startedAt: r.started_at, finishedAt: r.finished_at,
      };
      if (r.details_json !== null) result.details = JSON.parse(r.details_json);
      if (r.interval_ms !== null) result.intervalMs = r.interval_ms;
      if (r.code !== null) result.code = r.code;
      if (r.params_json !== null) result.params = JSON.parse(r.params_json);
      return result;
    });
  }

  createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): number {
    const info = this.db
      .prepare(`INSERT INTO users (username, password_hash, role, client_id, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(user.username, user.passwordHash, user.role, user.clientId ?? null, now);
    return Number(info.lastInsertRowid);
  }

  findUserByName(username: string) {
    const row = this.db.prepare(`SELECT id, username, role, client_id, language, password_hash FROM users WHERE username = ?`).get(username) as
      | { id: number; username: string; role: 'admin' | 'client'; client_id: number | null; language: string | null; password_hash: string }
      | undefined;
    return row && { id: row.id, username: row.username, role: row.role, clientId: row.client_id, language: row.language, passwordHash: row.password_hash };
  }

  countUsers(): number {
    return this.db.prepare(`SELECT count(*) FROM users`).pluck().get() as number;
  }

  createSession(idHash: string, userId: number, now: number, expiresAt: number): void {
    this.db.prepare(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`).run(idHash, userId, now, expiresAt);
  }

  session(idHash: string, now: number): SessionGrant | undefined {
    const row = this.db
      .prepare(`SELECT u.id, u.username, u.role, u.client_id, u.language, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`)
      .get(idHash, now) as (UserRow & { expires_at: number }) | undefined;
    return row && { user: userOf(row), expiresAt: row.expires_at };
  }

  deleteSession(idHash: string): void {
    this.db.prepare(`DELETE FROM sessions WHERE id_hash = ?`).run(idHash);
  }

  createApiToken(tokenHash: string, userId: number, name: string, now: number, options: { scope?: ApiTokenScope; expiresAt?: number | null } = {}): void {
    this.db
      .prepare(`INSERT INTO api_tokens (token_hash, user_id, name, created_at, scope, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(tokenHash, userId, name, now, options.scope ?? 'admin', options.expiresAt ?? null);
  }

  apiToken(tokenHash: string, now: number): ApiTokenGrant | undefined {
    const row = this.db
      .prepare(
        `SELECT u.id, u.username, u.role, u.client_id, u.language, t.rowid AS token_id, t.scope, t.expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`,
      )
      .get(tokenHash, now) as (UserRow & { token_id: number; scope: ApiTokenScope; expires_at: number | null }) | undefined;
    if (!row) return undefined;
    this.db.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`).run(now, tokenHash);
    return { user: userOf(row), tokenId: row.token_id, scope: row.scope, expiresAt: row.expires_at };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface UserRow {
  id: number;
  username: string;
  role: 'admin' | 'client';
  client_id: number | null;
  language: string | null;
}

function userOf(row: UserRow): UserRecord {
  return { id: row.id, username: row.username, role: row.role, clientId: row.client_id, language: row.language };
}
