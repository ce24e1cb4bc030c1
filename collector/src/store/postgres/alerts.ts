import type { PgConnection } from './connection.ts';
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

/**
 * The columns by name, never *: statements are prepared once per connection, and a prepared SELECT * fails
 * ("cached plan must not change result type") once another collector's migration has added a column.
 */
const ALERT_COLUMNS = `id, client_id, agent_id, kind, subject, check_kind, memory_json, state, severity, message, metrics_json, incident, announced_at,
  last_notice_at, escalated, acked_at, acked_by, silenced_until, updated_at`;
const SELECT_ALERTS = `SELECT ${ALERT_COLUMNS} FROM alerts`;
const SELECT_ALERTS_AS_A = `SELECT ${ALERT_COLUMNS.replace(/(\w+)/g, 'a.$1')} FROM alerts a`;
const BY_AGENT = `${SELECT_ALERTS} WHERE agent_id = $1 AND kind = $2 AND subject = $3`;
const BY_CLIENT = `${SELECT_ALERTS} WHERE client_id = $1 AND agent_id IS NULL AND kind = $2 AND subject = $3`;

/**
 * The alerts and their transitions on PostgreSQL. Unlike SqliteAlerts this keeps NO cache of alert state across
 * units of work: several collectors share the database, and a state remembered here would be overwritten by, or
 * hide, what another collector committed. Every read is a query, every save an UPDATE. Two consequences:
 * - a check alert that stays OK is written on every save (SQLite keeps those "quiet saves" in memory, issue 18);
 * - so the row's memory.lastAt is always the last evaluated result's (the save commits with the cursor), and the
 *   rebuild of lastAt from the results that SQLite's loadByKey needs after a crash is not done here. A database
 *   copied from SQLite must carry the rebuilt lastAt (read the alerts through SqliteAlerts, which applies it).
 */
export class PgAlerts implements AlertRepository {
  constructor(private readonly db: PgConnection) {}

  async alertFor(key: AlertKey, initial: AlertMemory, now: number): Promise<AlertRecord> {
    const found = await this.find(key.agentId, key.kind, key.subject);
    if (found) return found;
    // ON CONFLICT: another collector may create the same alert between the find and here; its row is the one.
    await this.db.run(
      `INSERT INTO alerts (client_id, agent_id, kind, subject, check_kind, memory_json, state, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (agent_id, kind, subject) DO NOTHING`,
      [key.clientId, key.agentId, key.kind, key.subject, key.checkKind, JSON.stringify(initial), initial.state, now],
    );
    return (await this.find(key.agentId, key.kind, key.subject))!;
  }

  async clientAlertFor(key: { clientId: number; kind: AlertKind; subject: string }, initial: AlertMemory, now: number): Promise<AlertRecord> {
    const params = [key.clientId, key.kind, key.subject];
    let row = await this.db.row<AlertRow>(BY_CLIENT, params);
    if (!row) {
      // The conflict target is the partial unique index alerts_client_subject (client-level alerts only).
      await this.db.run(
        `INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES ($1, NULL, $2, $3, $4, $5, $6)
         ON CONFLICT (client_id, kind, subject) WHERE agent_id IS NULL DO NOTHING`,
        [...params, JSON.stringify(initial), initial.state, now],
      );
      row = (await this.db.row<AlertRow>(BY_CLIENT, params))!;
    }
    return toAlert(row);
  }

  async hasClientAlert(clientId: number, kind: AlertKind, subject: string): Promise<boolean> {
    return (await this.db.row(BY_CLIENT, [clientId, kind, subject])) !== undefined;
  }

  async find(agentId: string, kind: AlertKind, subject: string): Promise<AlertRecord | undefined> {
    const row = await this.db.row<AlertRow>(BY_AGENT, [agentId, kind, subject]);
    return row && toAlert(row);
  }

  async get(id: number): Promise<AlertRecord | undefined> {
    const row = await this.db.row<AlertRow>(`${SELECT_ALERTS} WHERE id = $1`, [id]);
    return row && toAlert(row);
  }

  async list(options: { activeOnly?: boolean; clientIds?: ReadonlySet<number> | null } = {}): Promise<AlertRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.activeOnly) where.push(`state != 'OK'`);
    if (options.clientIds) where.push(`client_id = ANY($${params.push([...options.clientIds])}::bigint[])`);
    const rows = await this.db.rows<AlertRow>(`${SELECT_ALERTS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id`, params);
    return rows.map(toAlert);
  }

  async activeOfKind(kind: AlertKind): Promise<AlertRecord[]> {
    // ORDER BY id: SQLite returns these in rowid order without being asked; here heap order is no promise.
    return (await this.db.rows<AlertRow>(`${SELECT_ALERTS} WHERE kind = $1 AND state != 'OK' ORDER BY id`, [kind])).map(toAlert);
  }

  async announcedActive(): Promise<AlertRecord[]> {
    const rows = await this.db.rows<AlertRow>(`${SELECT_ALERTS} WHERE state IN ('FIRING', 'FLAPPING', 'RESOLVING') AND announced_at IS NOT NULL ORDER BY id`);
    return rows.map(toAlert);
  }

  async checkAlertsOf(agentId: string): Promise<Map<string, AlertRecord>> {
    const rows = await this.db.rows<AlertRow>(`${SELECT_ALERTS} WHERE agent_id = $1 AND kind = 'check' ORDER BY id`, [agentId]);
    return new Map(rows.map((r) => [r.subject, toAlert(r)]));
  }

  async criticalCheckAlertsOf(agentId: string): Promise<Map<string, AlertRecord>> {
    const rows = await this.db.rows<AlertRow>(
      `${SELECT_ALERTS_AS_A} JOIN check_sla s ON s.agent_id = a.agent_id AND s.check_id = a.subject AND s.critical = 1
       WHERE a.agent_id = $1 AND a.kind = 'check' ORDER BY a.id`,
      [agentId],
    );
    return new Map(rows.map((r) => [r.subject, toAlert(r)]));
  }

  async designatedCriticalChecks(agentId: string): Promise<string[]> {
    const rows = await this.db.rows<{ check_id: string }>(`SELECT check_id FROM check_sla WHERE agent_id = $1 AND critical = 1 ORDER BY check_id`, [agentId]);
    return rows.map((r) => r.check_id);
  }

  describe(alertId: number): Promise<AlertDescription | undefined> {
    // Quoted aliases: PostgreSQL folds unquoted names to lower case.
    return this.db.row<AlertDescription>(
      `SELECT coalesce(c.name, a.subject) AS "checkName", coalesce(ag.name, '') AS "agentName", ag.hostname, cl.name AS "clientName",
         (SELECT min(t.at) FROM alert_transitions t WHERE t.alert_id = a.id AND t.incident = a.incident) AS "incidentSince"
       FROM alerts a JOIN clients cl ON cl.id = a.client_id LEFT JOIN agents ag ON ag.id = a.agent_id LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
       WHERE a.id = $1`,
      [alertId],
    );
  }

  async save(alert: AlertRecord): Promise<void> {
    const changes = await this.db.run(
      `UPDATE alerts SET memory_json = $2, state = $3, severity = $4, message = $5, metrics_json = $6, check_kind = $7, incident = $8, announced_at = $9,
         last_notice_at = $10, escalated = $11, acked_at = $12, acked_by = $13, silenced_until = $14, updated_at = $15 WHERE id = $1`,
      [
        alert.id, JSON.stringify(alert.memory), alert.memory.state, alert.memory.severity, alert.message, JSON.stringify(alert.metrics), alert.checkKind,
        alert.incident, alert.announcedAt, alert.lastNoticeAt, alert.escalated ? 1 : 0, alert.ackedAt, alert.ackedBy, alert.silencedUntil, alert.updatedAt,
      ],
    );
    // As on SQLite: an agent's alert without a row is an error; a budget alert's save is not checked.
    if (changes === 0 && alert.kind !== 'budget') throw new Error(`alert ${alert.id} (${alert.kind} ${alert.subject || alert.agentId}) has no row to save to`);
  }

  async countByState(): Promise<Map<AlertState, number>> {
    const rows = await this.db.rows<{ state: AlertState; n: number }>(`SELECT state, count(*) AS n FROM alerts GROUP BY state ORDER BY state`);
    return new Map(rows.map((r) => [r.state, r.n]));
  }

  async insertTransition(t: TransitionInput): Promise<number> {
    const row = await this.db.row<{ id: number }>(
      `INSERT INTO alert_transitions (alert_id, incident, event, from_state, to_state, severity, message, at, held, code, params_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [t.alertId, t.incident, t.event, t.from, t.to, t.severity, t.message, t.at, t.held, t.code ?? null, t.code && t.params ? JSON.stringify(t.params) : null],
    );
    return row!.id;
  }

  transitions(alertId: number): Promise<TransitionRecord[]> {
    return this.db.rows<TransitionRecord>(
      `SELECT id, alert_id AS "alertId", incident, event, from_state AS "from", to_state AS "to", severity, message, at, held
       FROM alert_transitions WHERE alert_id = $1 ORDER BY id`,
      [alertId],
    );
  }
}
