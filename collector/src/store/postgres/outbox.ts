import type { ResultParams, Status } from '@nines/shared';
import type { PgConnection } from './connection.ts';
import { storableText } from './text.ts';
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

// Quoted aliases throughout: PostgreSQL folds unquoted names to lower case.
const DIGEST_SELECT = `SELECT id, recipient_id AS "recipientId", message_id AS "messageId", in_reply_to AS "inReplyTo", attempts, created_at AS "createdAt"
  FROM notification_digests`;

/**
 * The notification outbox on PostgreSQL. Several collectors may share it:
 * - formDigests takes each recipient's due rows with FOR UPDATE SKIP LOCKED, so a row goes into exactly one digest
 *   even when two collectors form digests at once, and no digest is made of rows another one took;
 * - dueDigests is a read, not a claim (the interface hands the digests out and the send happens outside any
 *   transaction), so two collectors sending would both send a due digest. The claim would go there — an UPDATE of
 *   next_attempt_at to a lease time over `SELECT … FOR UPDATE SKIP LOCKED`, returning the claimed digests — or the
 *   sending stays with one leader (issue 24, part 2).
 */
export class PgOutbox implements OutboxRepository {
  constructor(private readonly db: PgConnection) {}

  async enqueue(transitionId: number, recipientId: number, now: number, dueAt: number): Promise<void> {
    await this.db.run(
      `INSERT INTO notification_outbox (transition_id, recipient_id, created_at, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [transitionId, recipientId, now, dueAt],
    );
  }

  async recipientsToldAbout(alertId: number, incident: number): Promise<number[]> {
    const rows = await this.db.rows<{ recipient_id: number }>(
      `SELECT DISTINCT o.recipient_id FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
       WHERE t.alert_id = $1 AND t.incident = $2 ORDER BY o.recipient_id`,
      [alertId, incident],
    );
    return rows.map((r) => r.recipient_id);
  }

  withdrawPendingCheckNotices(agentId: string, reason: string): Promise<number> {
    return this.db.transaction(async () => {
      // The rows first, deleted (and so locked): a digest formed meanwhile by another collector either took a row
      // before (it is not deleted, its transition not held) or cannot take it any more. SQLite marks the
      // transitions first and deletes after; with one writer at a time that is the same set.
      const removed = await this.db.rows<{ transition_id: number }>(
        `DELETE FROM notification_outbox o USING alert_transitions t, alerts a
         WHERE t.id = o.transition_id AND a.id = t.alert_id AND a.agent_id = $1 AND a.kind = 'check' AND o.digest_id IS NULL
         RETURNING o.transition_id`,
        [agentId],
      );
      if (removed.length > 0) {
        const transitions = [...new Set(removed.map((r) => r.transition_id))];
        await this.db.run(`UPDATE alert_transitions SET held = $1 WHERE id = ANY($2::bigint[])`, [reason, transitions]);
      }
      await this.db.run(
        `UPDATE alerts SET announced_at = NULL WHERE agent_id = $1 AND kind = 'check' AND announced_at IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM alert_transitions t JOIN notification_outbox o ON o.transition_id = t.id WHERE t.alert_id = alerts.id AND t.incident = alerts.incident)`,
        [agentId],
      );
      return removed.length;
    });
  }

  formDigests(now: number, groupWindowMs: number, messageId: (digest: { id: number; recipientId: number }) => string): Promise<number[]> {
    return this.db.transaction(async () => {
      const created: number[] = [];
      const due = await this.db.rows<{ recipient_id: number }>(
        `SELECT recipient_id FROM notification_outbox WHERE digest_id IS NULL GROUP BY recipient_id HAVING min(due_at) <= $1 ORDER BY recipient_id`,
        [now],
      );
      for (const { recipient_id: recipientId } of due) {
        // Rows due within one more window join too: events a few seconds apart belong in the same mail. Locked first,
        // SKIP LOCKED: rows another collector is gathering right now are its, and rows it already gathered no longer
        // match; what is left forms a digest only if one of them is due now, as SQLite's choice of recipients says.
        const rows = await this.db.rows<{ id: number; due_at: number }>(
          `SELECT id, due_at FROM notification_outbox WHERE recipient_id = $1 AND digest_id IS NULL AND due_at <= $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
          [recipientId, now + groupWindowMs],
        );
        if (!rows.some((r) => r.due_at <= now)) continue;
        // message_id is UNIQUE: a placeholder until the id it is made from exists.
        const placeholder = `pending-${recipientId}-${now}-${Math.random()}`;
        const digestId = (await this.db.row<{ id: number }>(
          `INSERT INTO notification_digests (recipient_id, message_id, created_at, next_attempt_at) VALUES ($1, $2, $3, $3) RETURNING id`,
          [recipientId, placeholder, now],
        ))!.id;
        const name = messageId({ id: digestId, recipientId });
        await this.db.run(`UPDATE notification_outbox SET digest_id = $1 WHERE id = ANY($2::bigint[])`, [digestId, rows.map((r) => r.id)]);
        let inReplyTo: string | null = null;
        const incidents = await this.db.rows<{ alert_id: number; incident: number }>(
          `SELECT t.alert_id, t.incident, min(t.id) AS first FROM notification_outbox o JOIN alert_transitions t ON t.id = o.transition_id
           WHERE o.digest_id = $1 GROUP BY t.alert_id, t.incident ORDER BY first`,
          [digestId],
        );
        for (const { alert_id: alertId, incident } of incidents) {
          const thread = await this.thread(alertId, incident, recipientId);
          if (thread !== undefined) {
            inReplyTo ??= thread;
            continue;
          }
          // ON CONFLICT: another collector's digest may start the same thread at once; then this one answers it.
          const started = await this.db.run(
            `INSERT INTO alert_threads (alert_id, incident, recipient_id, message_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
            [alertId, incident, recipientId, name],
          );
          if (started === 0) inReplyTo ??= (await this.thread(alertId, incident, recipientId)) ?? null;
        }
        await this.db.run(`UPDATE notification_digests SET message_id = $1, in_reply_to = $2 WHERE id = $3`, [name, inReplyTo, digestId]);
        created.push(digestId);
      }
      return created;
    });
  }

  private async thread(alertId: number, incident: number, recipientId: number): Promise<string | undefined> {
    const row = await this.db.row<{ message_id: string }>(
      `SELECT message_id FROM alert_threads WHERE alert_id = $1 AND incident = $2 AND recipient_id = $3`,
      [alertId, incident, recipientId],
    );
    return row?.message_id;
  }

  dueDigests(now: number): Promise<Digest[]> {
    return this.db.rows<Digest>(`${DIGEST_SELECT} WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY id`, [now]);
  }

  async entries(digestId: number): Promise<DigestEntry[]> {
    // The result a transition came from has started_at = t.at (the engine feeds the state machine the result's time);
    // for reminders and escalations (t.at = the tick) it is the latest result by then. LATERAL: the newest such row
    // itself, where SQLite finds its seq and joins on it (the same row: a seq is stored once per agent).
    const rows = await this.db.rows<EntryRow>(
      `SELECT t.id AS "transitionId", t.event, t.severity, t.at, t.message AS "transitionMessage", a.id AS "alertId", t.incident, a.kind AS "alertKind",
              a.subject AS "checkId", a.agent_id AS "agentId", a.check_kind AS "checkKind", coalesce(c.name, a.subject) AS "checkName",
              coalesce(ag.name, '') AS "agentName", ag.hostname, cl.name AS "clientName", a.metrics_json AS "alertMetrics", r.status AS "resultStatus",
              r.message AS "resultMessage", r.metrics_json AS "resultMetrics", r.code AS "resultCode", r.params_json AS "resultParams",
              t.code AS "transitionCode", t.params_json AS "transitionParams",
              (SELECT min(s.at) FROM alert_transitions s WHERE s.alert_id = t.alert_id AND s.incident = t.incident) AS "incidentAt"
       FROM notification_outbox o
       JOIN alert_transitions t ON t.id = o.transition_id
       JOIN alerts a ON a.id = t.alert_id
       LEFT JOIN agents ag ON ag.id = a.agent_id
       JOIN clients cl ON cl.id = a.client_id
       LEFT JOIN checks c ON c.agent_id = a.agent_id AND c.id = a.subject
       LEFT JOIN LATERAL (
         SELECT x.status, x.message, x.metrics_json, x.code, x.params_json FROM results x
         WHERE a.kind = 'check' AND x.agent_id = a.agent_id AND x.check_id = a.subject AND x.started_at <= t.at
         ORDER BY x.started_at DESC, x.seq DESC LIMIT 1) r ON true
       WHERE o.digest_id = $1 ORDER BY t.id`,
      [digestId],
    );
    return rows.map((r) => ({
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

  async markSent(digestId: number, now: number): Promise<void> {
    await this.db.run(`UPDATE notification_digests SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2`, [now, digestId]);
  }

  async markFailed(digestId: number, error: string, now: number, retryAt: number | null): Promise<void> {
    await this.db.run(
      `UPDATE notification_digests SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, failed_at = $3 WHERE id = $4`,
      [storableText(error.slice(0, 1000)), retryAt ?? now, retryAt === null ? now : null, digestId],
    );
  }

  async stats(): Promise<OutboxStats> {
    const row = await this.db.row<OutboxStats>(
      `SELECT
         (SELECT count(*) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS "pendingDigests",
         (SELECT count(*) FROM notification_outbox WHERE digest_id IS NULL) AS "waitingNotices",
         (SELECT count(*) FROM notification_digests WHERE failed_at IS NOT NULL) AS "failedDigests",
         (SELECT min(created_at) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL) AS "oldestPendingAt",
         (SELECT max(sent_at) FROM notification_digests) AS "lastSentAt"`,
    );
    return row!;
  }

  deliveryByRecipient(): Promise<RecipientDelivery[]> {
    // count(*) FILTER, not sum(boolean): sum of a bigint is numeric, which would arrive as a string.
    return this.db.rows<RecipientDelivery>(
      `SELECT recipient_id AS "recipientId", max(sent_at) AS "lastSentAt",
         (SELECT x.last_error FROM notification_digests x
           WHERE x.recipient_id = d.recipient_id AND x.sent_at IS NULL AND x.last_error IS NOT NULL ORDER BY x.id DESC LIMIT 1) AS "lastError",
         count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS pending, count(*) FILTER (WHERE failed_at IS NOT NULL) AS "givenUp"
       FROM notification_digests d GROUP BY recipient_id ORDER BY recipient_id`,
    );
  }
}
