import type { ResultParams } from '@nines/shared';
import type { Db } from '../store/sqlite/database.ts';
import { prepared } from '../availability/source.ts';
import type { AlertEvent, Severity } from '../alerting/state-machine.ts';
import type { AlertKind } from '../alerting/alert-store.ts';

/** One transition as a recipient reads it inside a digest. */
export interface NoticeItem {
  transitionId: number;
  event: AlertEvent;
  severity: Severity | null;
  at: number;
  message: string;
  /** The message's code and params (shared/src/messages), rendered in the recipient's language; null when it has none. */
  code?: string | null;
  params?: ResultParams | null;
  alertId: number;
  incident: number;
  alertKind: AlertKind;
  checkId: string;
  checkKind: string | null;
  checkName: string;
  /** '' for client-level alerts (error budget). */
  agentName: string;
  hostname: string | null;
  clientName: string;
  metrics: Record<string, number>;
}

export interface Digest {
  id: number;
  recipientId: number;
  messageId: string;
  inReplyTo: string | null;
  attempts: number;
  createdAt: number;
}

export interface OutboxStats {
  /** Digests not sent yet (waiting or retrying). */
  pendingDigests: number;
  /** Outbox rows not yet gathered into a digest (inside their grouping window or quiet hours). */
  waitingNotices: number;
  failedDigests: number;
  oldestPendingAt: number | null;
  lastSentAt: number | null;
}

/**
 * The outbox, drained in two steps so nothing is lost or sent twice: due rows of one recipient are first gathered
 * into a digest whose Message-ID is fixed and committed; only then is it sent, and marked sent. A crash before the
 * send retries the same digest; duplicates can only arise if the process dies between the SMTP server's "250 OK"
 * and the commit of `sent_at` — and then the copy carries the same Message-ID, which mail clients collapse.
 */
export class Outbox {
  constructor(private readonly db: Db) {}

  /** Gathers due notices into digests, one per recipient; returns the new digests' ids. */
  formDigests(now: number, groupWindowMs: number, domain: string): number[] {
    return this.db.transaction(() => {
      const due = prepared(this.db, `SELECT recipient_id FROM notification_outbox WHERE digest_id IS NULL GROUP BY recipient_id HAVING min(due_at) <= ?`)
        .pluck()
        .all(now) as number[];
      const created: number[] = [];
      for (const recipientId of due) {
        const placeholder = `pending-${recipientId}-${now}-${Math.random()}`;
        const digestId = Number(
          prepared(this.db, `INSERT INTO notification_digests (recipient_id, message_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?)`)
            .run(recipientId, placeholder, now, now).lastInsertRowid,
        );
        const messageId = `<nines.${digestId}.${recipientId}.${now}@${domain}>`;
        // Rows due within one more window join too: events a few seconds apart belong in the same mail.
        prepared(this.db, `UPDATE notification_outbox SET digest_id = ? WHERE recipient_id = ? AND digest_id IS NULL AND due_at <= ?`)
          .run(digestId, recipientId, now + groupWindowMs);
        const incidents = prepared(this.db, `SELECT t.alert_id AS alertId, t.incident, min(t.id) AS first FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
             WHERE o.digest_id = ? GROUP BY t.alert_id, t.incident ORDER BY first`,
          )
          .all(digestId) as { alertId: number; incident: number }[];
        let inReplyTo: string | null = null;
        for (const { alertId, incident } of incidents) {
          const thread = prepared(this.db, `SELECT message_id FROM alert_threads WHERE alert_id = ? AND incident = ? AND recipient_id = ?`)
            .pluck()
            .get(alertId, incident, recipientId) as string | undefined;
          if (thread) inReplyTo ??= thread;
          else prepared(this.db, `INSERT INTO alert_threads (alert_id, incident, recipient_id, message_id) VALUES (?, ?, ?, ?)`).run(alertId, incident, recipientId, messageId);
        }
        prepared(this.db, `UPDATE notification_digests SET message_id = ?, in_reply_to = ? WHERE id = ?`).run(messageId, inReplyTo, digestId);
        created.push(digestId);
      }
      return created;
    })();
  }

  /** Digests to send now: not sent, not given up, retry time reached. */
  dueDigests(now: number): Digest[] {
    return prepared(this.db, `SELECT id, recipient_id AS recipientId, message_id AS messageId, in_reply_to AS inReplyTo, attempts, created_at AS createdAt
         FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id`,
      )
      .all(now) as Digest[];
  }

  items(digestId: number): NoticeItem[] {
    const rows = prepared(this.db, `SELECT t.id AS transitionId, t.event, t.severity, t.at, t.message, a.id AS alertId, t.incident, a.kind AS alertKind, a.subject AS checkId,
                a.check_kind AS checkKind, ifnull(c.name, a.subject) AS checkName, ifnull(ag.name, '') AS agentName, ag.hostname, cl.name AS clientName,
                a.metrics_json, t.code, t.params_json
         FROM notification_outbox o
         JOIN alert_transitions t ON t.id = o.transition_id
         JOIN alerts a ON a.id = t.alert_id
         LEFT JOIN agents ag ON ag.id = a.agent_id
         JOIN clients cl ON cl.id = a.client_id
         LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
         WHERE o.digest_id = ? ORDER BY t.id`,
      )
      .all(digestId) as (Omit<NoticeItem, 'metrics' | 'params'> & { metrics_json: string; params_json: string | null })[];
    return rows.map(({ metrics_json, params_json, ...r }) => ({
      ...r, metrics: JSON.parse(metrics_json) as Record<string, number>, params: params_json ? (JSON.parse(params_json) as ResultParams) : null,
    }));
  }

  markSent(digestId: number, now: number): void {
    prepared(this.db, `UPDATE notification_digests SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(now, digestId);
  }

  /** Records a failed attempt; `retryAt` null means give up. */
  markFailed(digestId: number, error: string, now: number, retryAt: number | null): void {
    prepared(this.db, `UPDATE notification_digests SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, failed_at = ? WHERE id = ?`)
      .run(error.slice(0, 1000), retryAt ?? now, retryAt === null ? now : null, digestId);
  }

  stats(): OutboxStats {
    return prepared(this.db, `SELECT
           (SELECT count(*) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS pendingDigests,
           (SELECT count(*) FROM notification_outbox WHERE digest_id IS NULL) AS waitingNotices,
           (SELECT count(*) FROM notification_digests WHERE failed_at IS NOT NULL) AS failedDigests,
           (SELECT min(created_at) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS oldestPendingAt,
           (SELECT max(sent_at) FROM notification_digests) AS lastSentAt`,
      )
      .get() as OutboxStats;
  }
}
