import type { PgConnection } from './connection.ts';
import { storableText } from './text.ts';
import type { ReportSend, ReportSendRepository } from '../report-sends.ts';

interface ReportSendRow {
  id: number; client_id: number; period: string; recipient_id: number; resend: number; message_id: string;
  rendered_at: number; sent_at: number | null; attempts: number; last_error: string | null;
}

// The columns by name, never *: a prepared SELECT * fails once another collector's migration has added a column.
const SEND_COLUMNS = `id, client_id, period, recipient_id, resend, message_id, rendered_at, sent_at, attempts, last_error`;

const toSend = (r: ReportSendRow): ReportSend => ({
  id: r.id, clientId: r.client_id, period: r.period, recipientId: r.recipient_id, resend: r.resend, messageId: r.message_id,
  renderedAt: r.rendered_at, sentAt: r.sent_at, attempts: r.attempts, lastError: r.last_error,
});

/**
 * The report mails' rows on PostgreSQL. `claim` returns the row whether this call created it or found it (a retry is
 * the same message), so it cannot be an exclusive claim: two collectors running one report schedule would both send
 * it. Exclusivity belongs one level up, where the schedule runs on one leader (issue 24, part 2); a claim with
 * FOR UPDATE SKIP LOCKED would have to hold its transaction across the SMTP send, which this interface does not.
 */
export class PgReportSends implements ReportSendRepository {
  constructor(private readonly db: PgConnection) {}

  async claim(key: { clientId: number; period: string; recipientId: number; resend: number }, messageId: string, now: number): Promise<ReportSend> {
    const params = [key.clientId, key.period, key.recipientId, key.resend];
    // DO NOTHING: a row already there (an earlier, interrupted run; another collector) keeps its Message-ID. A
    // concurrent insert of the same key makes this one wait for its commit, so the SELECT then finds that row.
    const inserted = await this.db.row<ReportSendRow>(
      `INSERT INTO report_sends (client_id, period, recipient_id, resend, message_id, rendered_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (client_id, period, recipient_id, resend) DO NOTHING RETURNING ${SEND_COLUMNS}`,
      [...params, messageId, now],
    );
    const row = inserted
      ?? (await this.db.row<ReportSendRow>(`SELECT ${SEND_COLUMNS} FROM report_sends WHERE client_id = $1 AND period = $2 AND recipient_id = $3 AND resend = $4`, params))!;
    return toSend(row);
  }

  async nextResend(clientId: number, period: string, recipientId: number): Promise<number> {
    const row = await this.db.row<{ next: number }>(
      `SELECT coalesce(max(resend), 0) + 1 AS next FROM report_sends WHERE client_id = $1 AND period = $2 AND recipient_id = $3`,
      [clientId, period, recipientId],
    );
    return row!.next;
  }

  async attempted(id: number): Promise<void> {
    await this.db.run(`UPDATE report_sends SET attempts = attempts + 1 WHERE id = $1`, [id]);
  }

  async markSent(id: number, now: number): Promise<void> {
    await this.db.run(`UPDATE report_sends SET sent_at = $1, last_error = NULL WHERE id = $2`, [now, id]);
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db.run(`UPDATE report_sends SET last_error = $1 WHERE id = $2`, [storableText(error.slice(0, 1000)), id]);
  }

  async forPeriod(clientId: number, period: string): Promise<ReportSend[]> {
    return (await this.db.rows<ReportSendRow>(`SELECT ${SEND_COLUMNS} FROM report_sends WHERE client_id = $1 AND period = $2 ORDER BY id`, [clientId, period])).map(toSend);
  }
}
