import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { ReportSend, ReportSendRepository } from '../report-sends.ts';

interface ReportSendRow {
  id: number; client_id: number; period: string; recipient_id: number; resend: number; message_id: string;
  rendered_at: number; sent_at: number | null; attempts: number; last_error: string | null;
}

const toSend = (r: ReportSendRow): ReportSend => ({
  id: r.id, clientId: r.client_id, period: r.period, recipientId: r.recipient_id, resend: r.resend, messageId: r.message_id,
  renderedAt: r.rendered_at, sentAt: r.sent_at, attempts: r.attempts, lastError: r.last_error,
});

export class SqliteReportSends implements Synchronous<ReportSendRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      // DO NOTHING: a row already there (an earlier, interrupted run) keeps its Message-ID.
      insert: db.prepare(
        `INSERT INTO report_sends (client_id, period, recipient_id, resend, message_id, rendered_at) VALUES (@clientId, @period, @recipientId, @resend, @messageId, @now)
         ON CONFLICT (client_id, period, recipient_id, resend) DO NOTHING`,
      ),
      byKey: db.prepare(`SELECT * FROM report_sends WHERE client_id = @clientId AND period = @period AND recipient_id = @recipientId AND resend = @resend`),
      nextResend: db.prepare(`SELECT ifnull(max(resend), 0) + 1 FROM report_sends WHERE client_id = ? AND period = ? AND recipient_id = ?`).pluck(),
      attempted: db.prepare(`UPDATE report_sends SET attempts = attempts + 1 WHERE id = ?`),
      sent: db.prepare(`UPDATE report_sends SET sent_at = ?, last_error = NULL WHERE id = ?`),
      failed: db.prepare(`UPDATE report_sends SET last_error = ? WHERE id = ?`),
      forPeriod: db.prepare(`SELECT * FROM report_sends WHERE client_id = ? AND period = ? ORDER BY id`),
    };
  }

  claim(key: { clientId: number; period: string; recipientId: number; resend: number }, messageId: string, now: number): ReportSend {
    this.stmt.insert.run({ ...key, messageId, now });
    return toSend(this.stmt.byKey.get(key) as ReportSendRow);
  }

  nextResend(clientId: number, period: string, recipientId: number): number {
    return this.stmt.nextResend.get(clientId, period, recipientId) as number;
  }

  attempted(id: number): void {
    this.stmt.attempted.run(id);
  }

  markSent(id: number, now: number): void {
    this.stmt.sent.run(now, id);
  }

  markFailed(id: number, error: string): void {
    this.stmt.failed.run(error.slice(0, 1000), id);
  }

  forPeriod(clientId: number, period: string): ReportSend[] {
    return (this.stmt.forPeriod.all(clientId, period) as ReportSendRow[]).map(toSend);
  }
}
