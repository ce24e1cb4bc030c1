import type { ResultParams, Status } from '@nines/shared';
import type { Db } from '../store/sqlite/database.ts';
import { prepared } from '../store/sqlite/statements.ts';
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
  /**
   * Message, status and metrics of one stored result: for a check, the result that caused the transition (for a
   * reminder or escalation, the latest one by then); status null and the alert's own figures for agent, host and
   * budget alerts, which no single result causes.
   */
  status: Status | null;
  metrics: Record<string, number>;
  /** When the problem began (the first failed result of the incident's run, else its first transition): resolved mails give the duration. */
  problemSince: number;
  /** For a flapping check: outages (OK → failing) within the flap window up to the transition. */
  flap: { outages: number; windowMs: number } | null;
}

/** How far back the start of a run of failures is looked for: a run longer than that counts from there. */
const FAILING_LOOKBACK_MS = 31 * 86_400_000;

interface ItemRow {
  transitionId: number; event: AlertEvent; severity: Severity | null; at: number; transitionMessage: string; alertId: number; incident: number; alertKind: AlertKind;
  checkId: string; agentId: string; checkKind: string | null; checkName: string; agentName: string; hostname: string | null; clientName: string; alertMetrics: string;
  resultStatus: Status | null; resultMessage: string | null; resultMetrics: string | null; incidentAt: number | null;
  resultCode: string | null; resultParams: string | null; transitionCode: string | null; transitionParams: string | null;
}

const parseParams = (json: string | null): ResultParams | null => (json ? (JSON.parse(json) as ResultParams) : null);

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

  /** The digest's items; `flapWindowMs` is the window FLAPPING is judged over (its outages are counted in it). */
  items(digestId: number, flapWindowMs: number): NoticeItem[] {
    // The result a transition came from has started_at = t.at (the engine feeds the state machine the result's time);
    // for reminders and escalations (t.at = the tick) it is the latest result by then.
    const rows = prepared(this.db, `SELECT t.id AS transitionId, t.event, t.severity, t.at, t.message AS transitionMessage, a.id AS alertId, t.incident, a.kind AS alertKind,
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
      )
      .all(digestId) as ItemRow[];
    return rows.map((r) => {
      const fromResult = r.resultStatus !== null;
      const item: NoticeItem = {
        transitionId: r.transitionId, event: r.event, severity: r.severity, at: r.at, alertId: r.alertId, incident: r.incident, alertKind: r.alertKind,
        checkId: r.checkId, checkKind: r.checkKind, checkName: r.checkName, agentName: r.agentName, hostname: r.hostname, clientName: r.clientName,
        message: fromResult ? r.resultMessage! : r.transitionMessage,
        code: fromResult ? r.resultCode : r.transitionCode,
        params: parseParams(fromResult ? r.resultParams : r.transitionParams),
        status: fromResult ? r.resultStatus : null,
        // A check result pruned by retention leaves no figures rather than those of another result.
        metrics: JSON.parse(fromResult ? r.resultMetrics! : r.alertKind === 'check' ? '{}' : r.alertMetrics) as Record<string, number>,
        problemSince: r.incidentAt ?? r.at,
        flap: null,
      };
      if (r.alertKind === 'check') {
        item.problemSince = this.failingSince(r.agentId, r.checkId, item.problemSince);
        if (r.event === 'flapping') item.flap = { outages: this.outages(r.agentId, r.checkId, r.at, flapWindowMs), windowMs: flapWindowMs };
      }
      // An agent went silent at its last contact, before the verdict that opened the incident.
      if (r.alertKind === 'agentSilent') item.problemSince = this.silentSince(r.agentId, item.problemSince);
      return item;
    });
  }

  /**
   * The first failed result of the run of failures that an incident's first transition (at `incidentAt`) belongs to.
   * Two index walks (newest OK before it, then the run after that OK), looking back at most FAILING_LOOKBACK_MS.
   */
  private failingSince(agentId: string, checkId: string, incidentAt: number): number {
    const floor = incidentAt - FAILING_LOOKBACK_MS;
    const lastOk = prepared(this.db, `SELECT started_at FROM results WHERE agent_id = ? AND check_id = ? AND started_at < ? AND started_at >= ? AND status = 'OK'
         ORDER BY started_at DESC LIMIT 1`,
      )
      .pluck()
      .get(agentId, checkId, incidentAt, floor) as number | undefined;
    const since = prepared(this.db, `SELECT min(started_at) FROM results WHERE agent_id = ? AND check_id = ? AND started_at > ? AND started_at <= ? AND status != 'OK'`)
      .pluck()
      .get(agentId, checkId, lastOk ?? floor - 1, incidentAt) as number | null;
    return since ?? incidentAt;
  }

  private silentSince(agentId: string, incidentAt: number): number {
    const since = prepared(this.db, `SELECT max(from_at) FROM agent_silences WHERE agent_id = ? AND from_at <= ?`).pluck().get(agentId, incidentAt) as number | null;
    return since ?? incidentAt;
  }

  /** How often the check went from passing to failing within (at - windowMs, at]. */
  private outages(agentId: string, checkId: string, at: number, windowMs: number): number {
    const before = prepared(this.db, `SELECT status FROM results WHERE agent_id = ? AND check_id = ? AND started_at <= ? ORDER BY started_at DESC, seq DESC LIMIT 1`)
      .pluck()
      .get(agentId, checkId, at - windowMs) as Status | undefined;
    const inside = prepared(this.db, `SELECT status FROM results WHERE agent_id = ? AND check_id = ? AND started_at > ? AND started_at <= ? ORDER BY started_at, seq`)
      .pluck()
      .all(agentId, checkId, at - windowMs, at) as Status[];
    let passing = before === undefined || before === 'OK';
    let outages = 0;
    for (const status of inside) {
      if (passing && status !== 'OK') outages++;
      passing = status === 'OK';
    }
    return outages;
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
