import type { ResultParams, Status } from '@nines/shared';
import type { Db } from '../store/sqlite/database.ts';
import { prepared } from '../store/sqlite/statements.ts';
import { INITIAL_MEMORY, type AlertEvent, type AlertMemory, type AlertState, type Severity } from './state-machine.ts';

/** check: one check; agentSilent / hostDown / agentQuota: one agent (subject ''); budget: a whole client (no agent, subject 'YYYY-MM:percent'). */
export type AlertKind = 'check' | 'agentSilent' | 'hostDown' | 'agentQuota' | 'budget';

export interface AlertRecord {
  id: number;
  clientId: number;
  /** '' for client-level alerts (kind 'budget'). */
  agentId: string;
  kind: AlertKind;
  /** The check id; '' for agent-level alerts. */
  subject: string;
  checkKind: string | null;
  memory: AlertMemory;
  state: AlertState;
  severity: Severity | null;
  message: string;
  metrics: Record<string, number>;
  incident: number;
  announcedAt: number | null;
  lastNoticeAt: number | null;
  escalated: boolean;
  ackedAt: number | null;
  ackedBy: string | null;
  silencedUntil: number | null;
  updatedAt: number;
}

export interface TransitionInput {
  alertId: number;
  incident: number;
  event: AlertEvent;
  from: AlertState;
  to: AlertState;
  severity: Severity | null;
  message: string;
  at: number;
  held: string | null;
  /** The causing result's message code and params; absent for the collector's own texts and old agents. */
  code?: string | null;
  params?: ResultParams | null;
}

export interface StoredResult {
  seq: number;
  checkId: string;
  checkKind: string;
  status: Status;
  message: string;
  metrics: Record<string, number>;
  startedAt: number;
  code: string | null;
  params: ResultParams | null;
}

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

/** The alerting tables (migrations 004, 006): alert state, transitions, evaluation cursors, agent silences. */
export class AlertStore {
  constructor(readonly db: Db) {}

  /** Agents with stored results not yet evaluated, and where evaluation stands for each. */
  agentsBehind(): { agentId: string; clientId: number; cursor: number }[] {
    return prepared(this.db, `SELECT a.id AS agentId, a.client_id AS clientId, ifnull(c.last_seq, 0) AS cursor FROM agents a
         LEFT JOIN alert_cursors c ON c.agent_id = a.id WHERE a.last_seq > ifnull(c.last_seq, 0)`,
      )
      .all() as { agentId: string; clientId: number; cursor: number }[];
  }

  /** Where evaluation stands for one agent, if it has stored results not yet evaluated (the per-batch path: no scan of all agents). */
  agentBehind(agentId: string): { agentId: string; clientId: number; cursor: number } | undefined {
    return prepared(
      this.db,
      `SELECT a.id AS agentId, a.client_id AS clientId, ifnull(c.last_seq, 0) AS cursor FROM agents a
       LEFT JOIN alert_cursors c ON c.agent_id = a.id WHERE a.id = ? AND a.last_seq > ifnull(c.last_seq, 0)`,
    ).get(agentId) as { agentId: string; clientId: number; cursor: number } | undefined;
  }

  /** Stored results after `afterSeq`, in seq order (gaps in seqs are fine). */
  resultsAfter(agentId: string, afterSeq: number, limit: number): StoredResult[] {
    const rows = prepared(this.db, `SELECT r.seq, r.check_id AS checkId, ifnull(c.kind, '') AS checkKind, r.status, r.message, r.metrics_json, r.started_at AS startedAt,
                r.code, r.params_json
         FROM results r LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
         WHERE r.agent_id = ? AND r.seq > ? ORDER BY r.seq LIMIT ?`,
      )
      .all(agentId, afterSeq, limit) as (Omit<StoredResult, 'metrics' | 'params'> & { metrics_json: string; params_json: string | null })[];
    return rows.map(({ metrics_json, params_json, ...r }) => ({
      ...r, metrics: JSON.parse(metrics_json) as Record<string, number>, params: params_json ? (JSON.parse(params_json) as ResultParams) : null,
    }));
  }

  lastSeq(agentId: string): number {
    return (prepared(this.db, `SELECT last_seq FROM agents WHERE id = ?`).pluck().get(agentId) as number | undefined) ?? 0;
  }

  setCursor(agentId: string, seq: number, now: number): void {
    prepared(this.db, `INSERT INTO alert_cursors (agent_id, last_seq, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
      )
      .run(agentId, seq, now);
  }

  /** The alert of a check or agent, created in state OK on first use. */
  alertFor(key: { clientId: number; agentId: string; kind: AlertKind; subject: string; checkKind: string | null }, now: number): AlertRecord {
    const find = () => prepared(this.db, `SELECT * FROM alerts WHERE agent_id = ? AND kind = ? AND subject = ?`).get(key.agentId, key.kind, key.subject) as AlertRow | undefined;
    let row = find();
    if (!row) {
      prepared(this.db, `INSERT INTO alerts (client_id, agent_id, kind, subject, check_kind, memory_json, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'OK', ?)`)
        .run(key.clientId, key.agentId, key.kind, key.subject, key.checkKind, JSON.stringify(INITIAL_MEMORY), now);
      row = find()!;
    }
    return toAlert(row);
  }

  /** A client-level alert (no agent), created in state OK on first use. */
  clientAlertFor(key: { clientId: number; kind: AlertKind; subject: string }, now: number): AlertRecord {
    const find = () =>
      prepared(this.db, `SELECT * FROM alerts WHERE client_id = ? AND agent_id IS NULL AND kind = ? AND subject = ?`).get(key.clientId, key.kind, key.subject) as AlertRow | undefined;
    let row = find();
    if (!row) {
      prepared(this.db, `INSERT INTO alerts (client_id, agent_id, kind, subject, memory_json, state, updated_at) VALUES (?, NULL, ?, ?, ?, 'OK', ?)`)
        .run(key.clientId, key.kind, key.subject, JSON.stringify(INITIAL_MEMORY), now);
      row = find()!;
    }
    return toAlert(row);
  }

  /** Whether a client-level alert exists (in any state). */
  hasClientAlert(clientId: number, kind: AlertKind, subject: string): boolean {
    return prepared(this.db, `SELECT 1 FROM alerts WHERE client_id = ? AND agent_id IS NULL AND kind = ? AND subject = ?`).get(clientId, kind, subject) !== undefined;
  }

  clientIds(): number[] {
    return prepared(this.db, `SELECT id FROM clients ORDER BY id`).pluck().all() as number[];
  }

  /** Alerts of one kind not in state OK. */
  activeOfKind(kind: AlertKind): AlertRecord[] {
    return (prepared(this.db, `SELECT * FROM alerts WHERE kind = ? AND state != 'OK'`).all(kind) as AlertRow[]).map(toAlert);
  }

  /** Checks explicitly designated critical for their host (check_sla, migration 003). */
  designatedCriticalChecks(agentId: string): string[] {
    return prepared(this.db, `SELECT check_id FROM check_sla WHERE agent_id = ? AND critical = 1 ORDER BY check_id`).pluck().all(agentId) as string[];
  }

  /** Check alerts of one agent, by check id. */
  checkAlertsOf(agentId: string): Map<string, AlertRecord> {
    const rows = prepared(this.db, `SELECT * FROM alerts WHERE agent_id = ? AND kind = 'check'`).all(agentId) as AlertRow[];
    return new Map(rows.map((r) => [r.subject, toAlert(r)]));
  }

  /**
   * Takes back the check notices of an agent not yet gathered into a mail (still inside their grouping window):
   * a 'host down' notice replaces them. Their transitions are marked held, and alerts left with nothing told
   * about their incident count as unannounced again, so they are told later if they outlast the host-down.
   */
  withdrawPendingCheckNotices(agentId: string, reason: string): number {
    const pending = `SELECT o.transition_id FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id JOIN alerts a ON a.id = t.alert_id
      WHERE a.agent_id = ? AND a.kind = 'check' AND o.digest_id IS NULL`;
    prepared(this.db, `UPDATE alert_transitions SET held = ? WHERE id IN (${pending})`).run(reason, agentId);
    const removed = prepared(this.db, `DELETE FROM notification_outbox WHERE digest_id IS NULL AND transition_id IN (${pending})`).run(agentId).changes;
    prepared(this.db, `UPDATE alerts SET announced_at = NULL WHERE agent_id = ? AND kind = 'check' AND announced_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM alert_transitions t JOIN notification_outbox o ON o.transition_id = t.id WHERE t.alert_id = alerts.id AND t.incident = alerts.incident)`).run(agentId);
    return removed;
  }

  find(agentId: string, kind: AlertKind, subject: string): AlertRecord | undefined {
    const row = prepared(this.db, `SELECT * FROM alerts WHERE agent_id = ? AND kind = ? AND subject = ?`).get(agentId, kind, subject) as AlertRow | undefined;
    return row && toAlert(row);
  }

  get(id: number): AlertRecord | undefined {
    const row = prepared(this.db, `SELECT * FROM alerts WHERE id = ?`).get(id) as AlertRow | undefined;
    return row && toAlert(row);
  }

  /** The names of what an alert is about, and when its current incident began (for the acknowledge page). */
  describe(alertId: number): { checkName: string; agentName: string; hostname: string | null; clientName: string; incidentSince: number | null } | undefined {
    return prepared(this.db, `SELECT ifnull(c.name, a.subject) AS checkName, ifnull(ag.name, '') AS agentName, ag.hostname, cl.name AS clientName,
           (SELECT min(t.at) FROM alert_transitions t WHERE t.alert_id = a.id AND t.incident = a.incident) AS incidentSince
         FROM alerts a JOIN clients cl ON cl.id = a.client_id LEFT JOIN agents ag ON ag.id = a.agent_id LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
         WHERE a.id = ?`,
    ).get(alertId) as { checkName: string; agentName: string; hostname: string | null; clientName: string; incidentSince: number | null } | undefined;
  }

  /** Alerts, newest change first; `activeOnly` leaves out those in state OK. */
  list(options: { activeOnly?: boolean; clientIds?: ReadonlySet<number> | null } = {}): AlertRecord[] {
    const rows = prepared(this.db, `SELECT * FROM alerts ${options.activeOnly ? `WHERE state != 'OK'` : ''} ORDER BY updated_at DESC, id`).all() as AlertRow[];
    const visible = options.clientIds ? rows.filter((r) => options.clientIds!.has(r.client_id)) : rows;
    return visible.map(toAlert);
  }

  /** Active alerts whose time-driven work (reminder, escalation) may be due. */
  announcedActive(): AlertRecord[] {
    return (prepared(this.db, `SELECT * FROM alerts WHERE state IN ('FIRING', 'FLAPPING', 'RESOLVING') AND announced_at IS NOT NULL`).all() as AlertRow[]).map(toAlert);
  }

  save(alert: AlertRecord): void {
    prepared(this.db, `UPDATE alerts SET memory_json = @memory, state = @state, severity = @severity, message = @message, metrics_json = @metrics, check_kind = @checkKind,
           incident = @incident, announced_at = @announcedAt, last_notice_at = @lastNoticeAt, escalated = @escalated, acked_at = @ackedAt,
           acked_by = @ackedBy, silenced_until = @silencedUntil, updated_at = @updatedAt WHERE id = @id`,
      )
      .run({
        id: alert.id, memory: JSON.stringify(alert.memory), state: alert.memory.state, severity: alert.memory.severity, message: alert.message,
        metrics: JSON.stringify(alert.metrics), checkKind: alert.checkKind, incident: alert.incident, announcedAt: alert.announcedAt,
        lastNoticeAt: alert.lastNoticeAt, escalated: alert.escalated ? 1 : 0, ackedAt: alert.ackedAt, ackedBy: alert.ackedBy,
        silencedUntil: alert.silencedUntil, updatedAt: alert.updatedAt,
      });
  }

  insertTransition(t: TransitionInput): number {
    return Number(
      prepared(this.db, `INSERT INTO alert_transitions (alert_id, incident, event, from_state, to_state, severity, message, at, held, code, params_json)
           VALUES (@alertId, @incident, @event, @from, @to, @severity, @message, @at, @held, @code, @paramsJson)`,
        )
        .run({ ...t, code: t.code ?? null, params: undefined, paramsJson: t.code && t.params ? JSON.stringify(t.params) : null }).lastInsertRowid,
    );
  }

  transitions(alertId: number): (TransitionInput & { id: number })[] {
    return prepared(this.db, `SELECT id, alert_id AS alertId, incident, event, from_state AS "from", to_state AS "to", severity, message, at, held
         FROM alert_transitions WHERE alert_id = ? ORDER BY id`,
      )
      .all(alertId) as (TransitionInput & { id: number })[];
  }

  /** Recipients already told about this incident (for resolved notices and reminders). */
  toldAbout(alertId: number, incident: number): number[] {
    return prepared(this.db, `SELECT DISTINCT o.recipient_id FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
         WHERE t.alert_id = ? AND t.incident = ? ORDER BY o.recipient_id`,
      )
      .pluck()
      .all(alertId, incident) as number[];
  }

  enqueue(transitionId: number, recipientId: number, now: number, dueAt: number): void {
    prepared(this.db, `INSERT OR IGNORE INTO notification_outbox (transition_id, recipient_id, created_at, due_at) VALUES (?, ?, ?, ?)`)
      .run(transitionId, recipientId, now, dueAt);
  }

  /** Agents the collector judged silent, and agents whose 'agent silent' alert is still open. */
  silenceCandidates(): { agentId: string; clientId: number; silentSince: number | null }[] {
    return prepared(this.db, `SELECT id AS agentId, client_id AS clientId, silent_since AS silentSince FROM agents
         WHERE revoked_at IS NULL AND (silent_since IS NOT NULL OR id IN (SELECT agent_id FROM alerts WHERE kind = 'agentSilent' AND state != 'OK'))`,
      )
      .all() as { agentId: string; clientId: number; silentSince: number | null }[];
  }

  openSilence(agentId: string, from: number): void {
    prepared(this.db, `INSERT OR IGNORE INTO agent_silences (agent_id, from_at) VALUES (?, ?)`).run(agentId, from);
  }

  closeSilence(agentId: string, to: number): void {
    prepared(this.db, `UPDATE agent_silences SET to_at = ? WHERE agent_id = ? AND to_at IS NULL`).run(to, agentId);
  }

  /** Whether the agent was silent at `at`: results timed inside a silence are held back. */
  silentAt(agentId: string, at: number): boolean {
    return (
      prepared(this.db, `SELECT 1 FROM agent_silences WHERE agent_id = ? AND from_at <= ? AND (to_at IS NULL OR to_at > ?) LIMIT 1`).get(agentId, at, at) !==
      undefined
    );
  }
}
