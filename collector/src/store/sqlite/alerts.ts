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

export class SqliteAlerts implements AlertRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      byAgent: db.prepare(`SELECT * FROM alerts WHERE agent_id = ? AND kind = ? AND subject = ?`),
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
    const find = () => this.stmt.byAgent.get(key.agentId, key.kind, key.subject) as AlertRow | undefined;
    let row = find();
    if (!row) {
      this.stmt.insertAgentAlert.run(key.clientId, key.agentId, key.kind, key.subject, key.checkKind, JSON.stringify(initial), initial.state, now);
      row = find()!;
    }
    return toAlert(row);
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
    const row = this.stmt.byAgent.get(agentId, kind, subject) as AlertRow | undefined;
    return row && toAlert(row);
  }

  get(id: number): AlertRecord | undefined {
    const row = this.stmt.byId.get(id) as AlertRow | undefined;
    return row && toAlert(row);
  }

  list(options: { activeOnly?: boolean; clientIds?: ReadonlySet<number> | null } = {}): AlertRecord[] {
    const rows = prepared(this.db, `SELECT * FROM alerts ${options.activeOnly ? `WHERE state != 'OK'` : ''} ORDER BY updated_at DESC, id`).all() as AlertRow[];
    const visible = options.clientIds ? rows.filter((r) => options.clientIds!.has(r.client_id)) : rows;
    return visible.map(toAlert);
  }

  activeOfKind(kind: AlertKind): AlertRecord[] {
    return (this.stmt.activeOfKind.all(kind) as AlertRow[]).map(toAlert);
  }

  announcedActive(): AlertRecord[] {
    return (this.stmt.announcedActive.all() as AlertRow[]).map(toAlert);
  }

  checkAlertsOf(agentId: string): Map<string, AlertRecord> {
    const rows = this.stmt.checkAlertsOf.all(agentId) as AlertRow[];
    return new Map(rows.map((r) => [r.subject, toAlert(r)]));
  }

  criticalCheckAlertsOf(agentId: string): Map<string, AlertRecord> {
    const rows = this.stmt.criticalCheckAlertsOf.all(agentId) as AlertRow[];
    return new Map(rows.map((r) => [r.subject, toAlert(r)]));
  }

  designatedCriticalChecks(agentId: string): string[] {
    return this.stmt.criticalChecks.all(agentId) as string[];
  }

  describe(alertId: number): AlertDescription | undefined {
    return this.stmt.describe.get(alertId) as AlertDescription | undefined;
  }

  save(alert: AlertRecord): void {
    this.stmt.save.run({
      id: alert.id, memory: JSON.stringify(alert.memory), state: alert.memory.state, severity: alert.memory.severity, message: alert.message,
      metrics: JSON.stringify(alert.metrics), checkKind: alert.checkKind, incident: alert.incident, announcedAt: alert.announcedAt,
      lastNoticeAt: alert.lastNoticeAt, escalated: alert.escalated ? 1 : 0, ackedAt: alert.ackedAt, ackedBy: alert.ackedBy,
      silencedUntil: alert.silencedUntil, updatedAt: alert.updatedAt,
    });
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
