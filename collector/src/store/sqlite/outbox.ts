import type { Synchronous } from '../synchronous.ts';
import type { ResultParams, Status } from '@nines/shared';
import type { Db } from './database.ts';
import type { Digest, DigestEntry, OutboxRepository, OutboxStats, RecipientDelivery } from '../outbox.ts';
import type { AlertKind } from '../alerts.ts';
import type { AlertEvent, Severity } from '../../alerting/state-machine.ts';

interface EntryRow {
  transitionId: number; event: AlertEvent; severity: Severity | null; at: number; transitionMessage: string; alertId: number; incident: number; alertKind: AlertKind;
  checkId: string; agentId: string | null; checkKind: string | null; checkName: string; agentName: string; hostname: string | null; clientName: string; alertMetrics: string;
  resultStatus: Status | null; resultMessage: string | null; resultMetrics: string | null; incidentAt: number | null;
  resultCode: string | null; resultParams: string | null; transitionCode: string | null; transitionParams: string | null;
}

const parseParams = (json: string | null): ResultParams | null => (json ? (JSON.parse(json) as ResultParams) : null);

/** The check notices of an agent still waiting for their digest (the subquery of withdrawPendingCheckNotices). */
const PENDING_CHECK_NOTICES = `SELECT o.transition_id FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id JOIN alerts a ON a.id = t.alert_id
  WHERE a.agent_id = ? AND a.kind = 'check' AND o.digest_id IS NULL`;

export class SqliteOutbox implements Synchronous<OutboxRepository> {
  private readonly stmt;
  private readonly withdrawInTransaction: (agentId: string, reason: string) => number;

  /** `alertsChanged`: told after SQL here changed rows of an agent's alerts (the alerts repository caches them). */
  constructor(private readonly db: Db, private readonly alertsChanged: (agentId: string) => void = () => {}) {
    this.stmt = {
      enqueue: db.prepare(`INSERT OR IGNORE INTO notification_outbox (transition_id, recipient_id, created_at, due_at) VALUES (?, ?, ?, ?)`),
      toldAbout: db.prepare(
        `SELECT DISTINCT o.recipient_id FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
         WHERE t.alert_id = ? AND t.incident = ? ORDER BY o.recipient_id`,
      ).pluck(),
      holdPending: db.prepare(`UPDATE alert_transitions SET held = ? WHERE id IN (${PENDING_CHECK_NOTICES})`),
      deletePending: db.prepare(`DELETE FROM notification_outbox WHERE digest_id IS NULL AND transition_id IN (${PENDING_CHECK_NOTICES})`),
      unannounce: db.prepare(
        `UPDATE alerts SET announced_at = NULL WHERE agent_id = ? AND kind = 'check' AND announced_at IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM alert_transitions t JOIN notification_outbox o ON o.transition_id = t.id WHERE t.alert_id = alerts.id AND t.incident = alerts.incident)`,
      ),
      dueRecipients: db.prepare(`SELECT recipient_id FROM notification_outbox WHERE digest_id IS NULL GROUP BY recipient_id HAVING min(due_at) <= ?`).pluck(),
      insertDigest: db.prepare(`INSERT INTO notification_digests (recipient_id, message_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?)`),
      gather: db.prepare(`UPDATE notification_outbox SET digest_id = ? WHERE recipient_id = ? AND digest_id IS NULL AND due_at <= ?`),
      incidentsOf: db.prepare(
        `SELECT t.alert_id AS alertId, t.incident, min(t.id) AS first FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
         WHERE o.digest_id = ? GROUP BY t.alert_id, t.incident ORDER BY first`,
      ),
      thread: db.prepare(`SELECT message_id FROM alert_threads WHERE alert_id = ? AND incident = ? AND recipient_id = ?`).pluck(),
      startThread: db.prepare(`INSERT INTO alert_threads (alert_id, incident, recipient_id, message_id) VALUES (?, ?, ?, ?)`),
      nameDigest: db.prepare(`UPDATE notification_digests SET message_id = ?, in_reply_to = ? WHERE id = ?`),
      dueDigests: db.prepare(
        `SELECT id, recipient_id AS recipientId, message_id AS messageId, in_reply_to AS inReplyTo, attempts, created_at AS createdAt
         FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id`,
      ),
      // The result a transition came from has started_at = t.at (the engine feeds the state machine the result's time);
      // for reminders and escalations (t.at = the tick) it is the latest result by then.
      entries: db.prepare(
        `SELECT t.id AS transitionId, t.event, t.severity, t.at, t.message AS transitionMessage, a.id AS alertId, t.incident, a.kind AS alertKind,
                a.subject AS checkId, a.agent_id AS agentId, a.check_kind AS checkKind, ifnull(c.name, a.subject) AS checkName, ifnull(ag.name, '') AS agentName, ag.hostname,
                cl.name AS clientName, a.metrics_json AS alertMetrics, r.status AS resultStatus, r.message AS resultMessage, r.metrics_json AS resultMetrics,
                r.code AS resultCode, r.params_json AS resultParams, t.code AS transitionCode, t.params_json AS transitionParams,
                (SELECT min(s.at) FROM alert_transitions s WHERE s.alert_id = t.alert_id AND s.incident = t.incident) AS incidentAt
         FROM notification_outbox o
         JOIN alert_transitions t ON t.id = o.transition_id
         JOIN alerts a ON a.id = t.alert_id
         LEFT JOIN agents ag ON ag.id = a.agent_id
         JOIN clients cl ON cl.id = a.client_id
         LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
         LEFT JOIN results r ON a.kind = 'check' AND r.agent_id = a.agent_id AND r.seq = (
           SELECT x.seq FROM results x WHERE x.agent_id = a.agent_id AND x.check_id = a.subject AND x.started_at <= t.at ORDER BY x.started_at DESC, x.seq DESC LIMIT 1)
         WHERE o.digest_id = ? ORDER BY t.id`,
      ),
      markSent: db.prepare(`UPDATE notification_digests SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`),
      markFailed: db.prepare(`UPDATE notification_digests SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, failed_at = ? WHERE id = ?`),
      deliveryByRecipient: db.prepare(
        `SELECT recipient_id AS recipientId, max(sent_at) AS lastSentAt,
           (SELECT x.last_error FROM notification_digests x
             WHERE x.recipient_id = d.recipient_id AND x.sent_at IS NULL AND x.last_error IS NOT NULL ORDER BY x.id DESC LIMIT 1) AS lastError,
           sum(sent_at IS NULL AND failed_at IS NULL) AS pending, sum(failed_at IS NOT NULL) AS givenUp
         FROM notification_digests d GROUP BY recipient_id ORDER BY recipient_id`,
      ),
      stats: db.prepare(
        `SELECT
           (SELECT count(*) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS pendingDigests,
           (SELECT count(*) FROM notification_outbox WHERE digest_id IS NULL) AS waitingNotices,
           (SELECT count(*) FROM notification_digests WHERE failed_at IS NOT NULL) AS failedDigests,
           (SELECT min(created_at) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS oldestPendingAt,
           (SELECT max(sent_at) FROM notification_digests) AS lastSentAt`,
      ),
    };
    this.withdrawInTransaction = db.transaction((agentId: string, reason: string) => {
      this.stmt.holdPending.run(reason, agentId);
      const removed = this.stmt.deletePending.run(agentId).changes;
      this.stmt.unannounce.run(agentId);
      return removed;
    });
  }

  enqueue(transitionId: number, recipientId: number, now: number, dueAt: number): void {
    this.stmt.enqueue.run(transitionId, recipientId, now, dueAt);
  }

  recipientsToldAbout(alertId: number, incident: number): number[] {
    return this.stmt.toldAbout.all(alertId, incident) as number[];
  }

  withdrawPendingCheckNotices(agentId: string, reason: string): number {
    try {
      return this.withdrawInTransaction(agentId, reason);
    } finally {
      this.alertsChanged(agentId);
    }
  }

  formDigests(now: number, groupWindowMs: number, messageId: (digest: { id: number; recipientId: number }) => string): number[] {
    return this.db.transaction(() => {
      const created: number[] = [];
      for (const recipientId of this.stmt.dueRecipients.all(now) as number[]) {
        // message_id is UNIQUE: a placeholder until the id it is made from exists.
        const placeholder = `pending-${recipientId}-${now}-${Math.random()}`;
        const digestId = Number(this.stmt.insertDigest.run(recipientId, placeholder, now, now).lastInsertRowid);
        const name = messageId({ id: digestId, recipientId });
        // Rows due within one more window join too: events a few seconds apart belong in the same mail.
        this.stmt.gather.run(digestId, recipientId, now + groupWindowMs);
        let inReplyTo: string | null = null;
        for (const { alertId, incident } of this.stmt.incidentsOf.all(digestId) as { alertId: number; incident: number }[]) {
          const thread = this.stmt.thread.get(alertId, incident, recipientId) as string | undefined;
          if (thread) inReplyTo ??= thread;
          else this.stmt.startThread.run(alertId, incident, recipientId, name);
        }
        this.stmt.nameDigest.run(name, inReplyTo, digestId);
        created.push(digestId);
      }
      return created;
    })();
  }

  dueDigests(now: number): Digest[] {
    return this.stmt.dueDigests.all(now) as Digest[];
  }

  entries(digestId: number): DigestEntry[] {
    return (this.stmt.entries.all(digestId) as EntryRow[]).map((r) => ({
      transitionId: r.transitionId, event: r.event, severity: r.severity, at: r.at,
      message: r.transitionMessage, code: r.transitionCode, params: parseParams(r.transitionParams),
      alertId: r.alertId, incident: r.incident, alertKind: r.alertKind, checkId: r.checkId, agentId: r.agentId ?? '', checkKind: r.checkKind,
      checkName: r.checkName, agentName: r.agentName, hostname: r.hostname, clientName: r.clientName,
      alertMetrics: JSON.parse(r.alertMetrics) as Record<string, number>,
      result: r.resultStatus === null ? null : {
        status: r.resultStatus, message: r.resultMessage!, metrics: JSON.parse(r.resultMetrics!) as Record<string, number>,
        code: r.resultCode, params: parseParams(r.resultParams),
      },
      incidentAt: r.incidentAt,
    }));
  }

  markSent(digestId: number, now: number): void {
    this.stmt.markSent.run(now, digestId);
  }

  markFailed(digestId: number, error: string, now: number, retryAt: number | null): void {
    this.stmt.markFailed.run(error.slice(0, 1000), retryAt ?? now, retryAt === null ? now : null, digestId);
  }

  stats(): OutboxStats {
    return this.stmt.stats.get() as OutboxStats;
  }

  deliveryByRecipient(): RecipientDelivery[] {
    return this.stmt.deliveryByRecipient.all() as RecipientDelivery[];
  }
}
