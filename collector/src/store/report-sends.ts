/**
 * The mails of monthly and yearly reports, one row per client, period and recipient (migration 012), written before
 * the mail goes out with its fixed Message-ID and marked sent after: that makes a scheduled report go out exactly
 * once, and a crash between the two resend the very same message. Reached as `store.reportSends`.
 */
export interface ReportSend {
  id: number;
  clientId: number;
  /** "YYYY-MM" (monthly) or "YYYY" (yearly). */
  period: string;
  recipientId: number;
  /** 0: the scheduled send; 1, 2, …: resends on request, each its own message. */
  resend: number;
  messageId: string;
  renderedAt: number;
  sentAt: number | null;
  attempts: number;
  lastError: string | null;
}

export interface ReportSendRepository {
  /**
   * The row of this client, period, recipient and resend number, created with `messageId` when there is none yet;
   * an existing row keeps its Message-ID (a retry is the same message).
   */
  claim(key: { clientId: number; period: string; recipientId: number; resend: number }, messageId: string, now: number): Promise<ReportSend>;
  /** The next free resend number for this client, period and recipient. */
  nextResend(clientId: number, period: string, recipientId: number): Promise<number>;
  /** Counts an attempt before the mail is handed to SMTP. */
  attempted(id: number): Promise<void>;
  markSent(id: number, now: number): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /** Every row of a client and period, oldest first. */
  forPeriod(clientId: number, period: string): Promise<ReportSend[]>;
}
