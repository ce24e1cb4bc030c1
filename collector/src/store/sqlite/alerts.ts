import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import { prepared } from './statements.ts';
import type { AlertDescription, AlertKey, AlertKind, AlertRecord, AlertRepository, TransitionInput, TransitionRecord } from '../alerts.ts';
import type { AlertMemory, AlertState, Severity } from '../../alerting/state-machine.ts';

interface AlertRow {
  id: number; client_id: number; agent_id: string | null; kind: AlertKind; subject: string; check_kind: string | null; memory_json: string; state: AlertState;
  severity: Severity | null; message: string; metrics_json: string; incident: number; announced_at: number | null; last_notice_at: number | null;
  escalated: number; acked_at: number | null; acked_by: string | null; silenced_until: number | null; updated_at: number;
}

function toAlert(r: AlertRow): AlertRecord {
  return {
    id: r.id, clientId: r.client_id, agentId: r.agent_id ?? '', kind: r.kind, subject: r.subject, checkKind: r.check_kind, memory: JSON.parse(r.memory_json) as AlertMemory,
    state: r.state, severity: r.severity, message: r.message, metrics: JSON.parse(r.metrics_json) as Record<string, number>, incident: r.incident,
    announcedAt: r.announced_at, lastNoticeAt: r.last_notice_at, escalated: r.escalated === 1, ackedAt: r.acked_at, ackedBy: r.acked_by,
    silencedUntil: r.silenced_until, updatedAt: r.updated_at,
  };
}

const keyOf = (agentId: string, kind: AlertKind, subject: string) => `${agentId}\u0000${kind}\u0000${subject}`;

/** A copy the caller may change: the cache never shares memory with what it hands out (metrics are replaced, never changed in place). */
function copy(a: AlertRecord): AlertRecord {
  return { ...a, memory: { ...a.memory, changes: [...a.memory.changes] } };
}

/**
 * Whether `next` differs from `persisted` only in what a check alert that stays OK changes with every passing
 * result: the counter of successes and the time of the last observation (memory), message, metrics, updatedAt.
 * Nothing of that decides a later transition while the alert is OK (successes count only from FIRING/RESOLVING,
 * lastAt is rebuilt from the results on load: see lastEvaluatedStart), so such a save need not be written.
 */
function quietChange(persisted: AlertRecord, next: AlertRecord): boolean {
  const a = persisted.memory;
  const b = next.memory;
  return persisted.kind === 'check' && a.state === 'OK' && b.state === 'OK' && persisted.state === 'OK'
    && a.severity === b.severity && a.failures === b.failures && a.lastFailing === b.lastFailing
    && a.changes.length === b.changes.length && a.changes.every((t, i) => t === b.changes[i])
    && persisted.severity === next.memory.severity && persisted.checkKind === next.checkKind && persisted.clientId === next.clientId
    && persisted.incident === next.incident && persisted.announcedAt === next.announcedAt && persisted.lastNoticeAt === next.lastNoticeAt
    && persisted.escalated === next.escalated && persisted.ackedAt === next.ackedAt && persisted.ackedBy === next.ackedBy
    && persisted.silencedUntil === next.silencedUntil;
}

/**
 * Alerts of agents (check, agentSilent, hostDown, agentQuota) are kept in memory by key once read or written, so the
 * alert pass after every stored frame reads no row and parses no JSON per result (issue 18), and a check alert that
 * stays OK is not rewritten per passing result (see quietChange): its row holds the state as of its last real change,
 * memory holds the rest. What the row holds is always enough to continue after a crash: state, severity, failure
 * counter, flap changes, incident and notice bookkeeping are written at once, in the caller's transaction; only the
 * success counter while OK, the last result's message, metrics and time, and updatedAt can be older in the row.
 *
 * Every read of an alert (get, list, …) returns the in-memory version where there is one, so the API shows the same as
 * before. What is read or written inside a transaction is staged and only becomes the cache when the outermost
 * unit of work commits (SqliteStore.unitOfWork calls `committed`/`rolledBack`): a rolled-back transition is never
 * remembered. A rollback forgets every alert it touched (they are read again from their rows).
 */
export class SqliteAlerts implements Synchronous<AlertRepository> {
  private readonly stmt;
  /** Committed: key → the alert as last read or written (null: no such alert). */
  private readonly cache = new Map<string, AlertRecord | null>();
  /** Staged inside the current transaction. */
  private readonly staged = new Map<string, AlertRecord | null>();
  /** Alerts whose row is older than their cached version (quiet saves), by id: reads of rows return the cached one. */
  private readonly newerThanRow = new Map<number, string>();

  constructor(private readonly db: Db) {
    this.stmt = {
      byAgent: db.prepare(`SELECT * FROM alerts WHERE agent_id = ? AND kind = ? AND subject = ?`),
      // The newest start among the check's results the alert pass has evaluated (seq up to the agent's cursor): walks
      // results_timeline backwards from the newest and stops at the first evaluated one.
      lastEvaluatedStart: db.prepare(
        `SELECT started_at FROM results WHERE agent_id = ? AND check_id = ? AND started_at >= ?
           AND seq <= (SELECT ifnull(max(last_seq), 0) FROM alert_cursors WHERE agent_id = ?)
         ORDER BY started_at DESC LIMIT 1`,
      ).pluck(),
      insertAgentAlert: db.prepare(
        `INSERT INTO alerts (client_id, agent_id, kind, subject, check_kind, memory_json, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      byClient: db.prepare(`SELECT * FROM alerts WHERE client_id = ? AND agent_id IS NULL AND kind = ? AND subject = ?`),
      insertClientAlert: db.prepare(`INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (?, NULL, ?, ?, ?, ?, ?)`),
      byId: db.prepare(`SELECT * FROM alerts WHERE id = ?`),
      activeOfKind: db.prepare(`SELECT * FROM alerts WHERE kind = ? AND state != 'OK'`),
      announcedActive: db.prepare(`SELECT * FROM alerts WHERE state IN ('FIRING', 'FLAPPING', 'RESOLVING') AND announced_at IS NOT NULL`),
      checkAlertsOf: db.prepare(`SELECT * FROM alerts WHERE agent_id = ? AND kind = 'check'`),
      criticalCheckAlertsOf: db.prepare(
        `SELECT a.* FROM alerts a JOIN check_sla s ON s.agent_id = a.agent_id AND s.check_id = a.subject AND s.critical = 1
         WHERE a.agent_id = ? AND a.kind = 'check'`,
      ),
      criticalChecks: db.prepare(`SELECT check_id FROM check_sla WHERE agent_id = ? AND critical = 1 ORDER BY check_id`).pluck(),
      describe: db.prepare(
        `SELECT ifnull(c.name, a.subject) AS checkName, ifnull(ag.name, '') AS agentName, ag.hostname, cl.name AS clientName,
           (SELECT min(t.at) FROM alert_transitions t WHERE t.alert_id = a.id AND t.incident = a.incident) AS incidentSince
         FROM alerts a JOIN clients cl ON cl.id = a.client_id LEFT JOIN agents ag ON ag.id = a.agent_id LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
         WHERE a.id = ?`,
      ),
      save: db.prepare(
        `UPDATE alerts SET memory_json = @memory, state = @state, severity = @severity, message = @message, metrics_json = @metrics, check_kind = @checkKind,
           incident = @incident, announced_at = @announcedAt, last_notice_at = @lastNoticeAt, escalated = @escalated, acked_at = @ackedAt,
           acked_by = @ackedBy, silenced_until = @silencedUntil, updated_at = @updatedAt WHERE id = @id`,
      ),
      countByState: db.prepare(`SELECT state, count(*) AS n FROM alerts GROUP BY state`),
      insertTransition: db.prepare(
        `INSERT INTO alert_transitions (alert_id, incident, event, from_state, to_state, severity, message, at, held, code, params_json)
         VALUES (@alertId, @incident, @event, @from, @to, @severity, @message, @at, @held, @code, @paramsJson)`,
      ),
      transitions: db.prepare(
        `SELECT id, alert_id AS alertId, incident, event, from_state AS "from", to_state AS "to", severity, message, at, held
         FROM alert_transitions WHERE alert_id = ? ORDER BY id`,
      ),
    };
  }

  alertFor(key: AlertKey, initial: AlertMemory, now: number): AlertRecord {
    const found = this.find(key.agentId, key.kind, key.subject);
    if (found) return found;
    this.stmt.insertAgentAlert.run(key.clientId, key.agentId, key.kind, key.subject, key.checkKind, JSON.stringify(initial), initial.state, now);
    return this.loadByKey(key.agentId, key.kind, key.subject)!;
  }

  /** The alert's row, its last observation time rebuilt for a check, remembered (staged inside a transaction). */
  private loadByKey(agentId: string, kind: AlertKind, subject: string): AlertRecord | undefined {
    const row = this.stmt.byAgent.get(agentId, kind, subject) as AlertRow | undefined;
    const alert = row ? toAlert(row) : undefined;
    if (alert && kind === 'check') {
      // The row's lastAt may predate quiet saves lost in a crash; every result up to the cursor was observed, and
      // observing only ever moves lastAt forward, so the newest evaluated start is what it was.
      const newest = this.stmt.lastEvaluatedStart.get(agentId, subject, alert.memory.lastAt ?? Number.MIN_SAFE_INTEGER, agentId) as number | undefined;
      if (newest !== undefined && newest > (alert.memory.lastAt ?? Number.MIN_SAFE_INTEGER)) alert.memory = { ...alert.memory, lastAt: newest };
    }
    this.remember(keyOf(agentId, kind, subject), alert ?? null);
    return alert && copy(alert);
  }

  private remember(key: string, alert: AlertRecord | null): void {
    if (this.db.inTransaction) return void this.staged.set(key, alert);
    this.cache.set(key, alert);
    if (alert && alert.kind === 'check') this.newerThanRow.set(alert.id, key);
  }

  private cached(key: string): AlertRecord | null | undefined {
    return this.staged.has(key) ? this.staged.get(key) : this.cache.get(key);
  }

  /** The outermost transaction committed: what it staged is now the cache. */
  committed(): void {
    for (const [key, alert] of this.staged) {
      this.cache.set(key, alert);
      if (alert && alert.kind === 'check') this.newerThanRow.set(alert.id, key);
    }
    this.staged.clear();
  }

  /** A transaction (or a savepoint in it) rolled back: forget every alert it touched; their rows are read again. */
  rolledBack(): void {
    for (const key of this.staged.keys()) this.forgetKey(key);
    this.staged.clear();
  }

  /** Rows of this agent's alerts were changed by SQL outside this repository (the outbox's withdrawal): read them again. */
  forgetAgent(agentId: string): void {
    const prefix = `${agentId}\u0000`;
    for (const key of [...this.cache.keys(), ...this.staged.keys()]) if (key.startsWith(prefix)) this.forgetKey(key);
  }

  private forgetKey(key: string): void {
    const alert = this.cache.get(key) ?? this.staged.get(key);
    if (alert) this.newerThanRow.delete(alert.id);
    this.cache.delete(key);
    this.staged.delete(key);
  }

  /** The cached version of a row's alert where it is newer than the row (a quiet save), else the row's. */
  private current(row: AlertRow): AlertRecord {
    const key = this.newerThanRow.get(row.id);
    const cached = key === undefined ? undefined : this.cached(key);
    return cached && cached.id === row.id ? copy(cached) : toAlert(row);
  }

  clientAlertFor(key: { clientId: number; kind: AlertKind; subject: string }, initial: AlertMemory, now: number): AlertRecord {
    const find = () => this.stmt.byClient.get(key.clientId, key.kind, key.subject) as AlertRow | undefined;
    let row = find();
    if (!row) {
      this.stmt.insertClientAlert.run(key.clientId, key.kind, key.subject, JSON.stringify(initial), initial.state, now);
      row = find()!;
    }
    return toAlert(row);
  }

  hasClientAlert(clientId: number, kind: AlertKind, subject: string): boolean {
    return this.stmt.byClient.get(clientId, kind, subject) !== undefined;
  }

  find(agentId: string, kind: AlertKind, subject: string): AlertRecord | undefined {
    const cached = this.cached(keyOf(agentId, kind, subject));
    if (cached !== undefined) return cached === null ? undefined : copy(cached);
    return this.loadByKey(agentId, kind, subject);
  }

  get(id: number): AlertRecord | undefined {
    const row = this.stmt.byId.get(id) as AlertRow | undefined;
    return row && this.current(row);
  }

  list(options: { activeOnly?: boolean; clientIds?: ReadonlySet<number> | null } = {}): AlertRecord[] {
    const rows = prepared(this.db, `SELECT * FROM alerts ${options.activeOnly ? `WHERE state != 'OK'` : ''} ORDER BY updated_at DESC, id`).all() as AlertRow[];
    const visible = options.clientIds ? rows.filter((r) => options.clientIds!.has(r.client_id)) : rows;
    // Re-sorted: a quietly saved alert's row has an older updated_at than the alert.
    return visible.map((r) => this.current(r)).sort((a, b) => b.updatedAt - a.updatedAt || a.id - b.id);
  }

  activeOfKind(kind: AlertKind): AlertRecord[] {
    return (this.stmt.activeOfKind.all(kind) as AlertRow[]).map((r) => this.current(r));
  }

  announcedActive(): AlertRecord[] {
    return (this.stmt.announcedActive.all() as AlertRow[]).map((r) => this.current(r));
  }

  checkAlertsOf(agentId: string): Map<string, AlertRecord> {
    const rows = this.stmt.checkAlertsOf.all(agentId) as AlertRow[];
    return new Map(rows.map((r) => [r.subject, this.current(r)]));
  }

  criticalCheckAlertsOf(agentId: string): Map<string, AlertRecord> {
    const rows = this.stmt.criticalCheckAlertsOf.all(agentId) as AlertRow[];
    return new Map(rows.map((r) => [r.subject, this.current(r)]));
  }

  designatedCriticalChecks(agentId: string): string[] {
    return this.stmt.criticalChecks.all(agentId) as string[];
  }

  describe(alertId: number): AlertDescription | undefined {
    return this.stmt.describe.get(alertId) as AlertDescription | undefined;
  }

  save(alert: AlertRecord): void {
    const saved = copy(alert);
    saved.state = alert.memory.state;
    saved.severity = alert.memory.severity;
    const key = alert.kind === 'budget' ? null : keyOf(alert.agentId, alert.kind, alert.subject);
    const before = key === null ? undefined : this.cached(key);
    if (key !== null && before && before.id === alert.id && quietChange(before, saved)) {
      // The row stays as it is; memory has the rest (the class comment says what).
      this.remember(key, saved);
      return;
    }
    const changes = this.stmt.save.run({
      id: alert.id, memory: JSON.stringify(alert.memory), state: alert.memory.state, severity: alert.memory.severity, message: alert.message,
      metrics: JSON.stringify(alert.metrics), checkKind: alert.checkKind, incident: alert.incident, announcedAt: alert.announcedAt,
      lastNoticeAt: alert.lastNoticeAt, escalated: alert.escalated ? 1 : 0, ackedAt: alert.ackedAt, ackedBy: alert.ackedBy,
      silencedUntil: alert.silencedUntil, updatedAt: alert.updatedAt,
    }).changes;
    if (key === null) return;
    if (changes === 0) {
      this.forgetKey(key);
      throw new Error(`alert ${alert.id} (${alert.kind} ${alert.subject || alert.agentId}) has no row to save to`);
    }
    this.remember(key, saved);
  }

  countByState(): Map<AlertState, number> {
    const rows = this.stmt.countByState.all() as { state: AlertState; n: number }[];
    return new Map(rows.map((r) => [r.state, r.n]));
  }

  insertTransition(t: TransitionInput): number {
    const { code, params, ...rest } = t;
    return Number(
      this.stmt.insertTransition.run({ ...rest, code: code ?? null, paramsJson: code && params ? JSON.stringify(params) : null }).lastInsertRowid,
    );
  }

  transitions(alertId: number): TransitionRecord[] {
    return this.stmt.transitions.all(alertId) as TransitionRecord[];
  }
}
