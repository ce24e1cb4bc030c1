import type { ResultParams, Status } from '@nines/shared';
import type { AlertEvent, Severity } from '../alerting/state-machine.ts';
import type { AlertKind } from './alerts.ts';

/** A mail gathering due notices of one recipient; its Message-ID is fixed before it is first sent. */
export interface Digest {
  id: number;
  recipientId: number;
  messageId: string;
  inReplyTo: string | null;
  attempts: number;
  createdAt: number;
}

/** One transition in a digest, with what it is about and the stored result it came from. */
export interface DigestEntry {
  transitionId: number;
  event: AlertEvent;
  severity: Severity | null;
  at: number;
  /** The transition's own text, code and params (the collector's texts for agent, host and budget alerts). */
  message: string;
  code: string | null;
  params: ResultParams | null;
  alertId: number;
  incident: number;
  alertKind: AlertKind;
  /** The alert's subject: the check id; '' for agent-level alerts. */
  checkId: string;
  /** '' for client-level alerts. */
  agentId: string;
  checkKind: string | null;
  /** The check's name, else the subject. */
  checkName: string;
  /** '' for client-level alerts. */
  agentName: string;
  hostname: string | null;
  clientName: string;
  /** The alert's figures as last saved. */
  alertMetrics: Record<string, number>;
  /**
   * For a check alert, the newest stored result of the check at or before the transition (for a result-driven
   * transition, the result itself); null for other kinds, or when retention pruned it.
   */
  result: { status: Status; message: string; metrics: Record<string, number>; code: string | null; params: ResultParams | null } | null;
  /** The first transition of the incident. */
  incidentAt: number | null;
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

/** How sending to one contact point went, for Management: a refused target shows there, not only in the log. */
export interface RecipientDelivery {
  recipientId: number;
  lastSentAt: number | null;
  /** The newest unsent digest's error (retrying or given up); null when nothing unsent failed. */
  lastError: string | null;
  /** Digests waiting or retrying. */
  pending: number;
  /** Digests given up on (a permanent refusal, or maxAttempts). */
  givenUp: number;
}

/**
 * The notification outbox (migration 004): one row per transition and recipient, written in the transition's
 * `store.unitOfWork`, gathered into digests (one mail each) that are sent and marked sent. Reached as
 * `store.outbox`. Exactly once across a crash rests on two commits: `formDigests` fixes each digest's rows and
 * Message-ID before anything is sent, `markSent` records the send. A crash between the SMTP "250 OK" and
 * `markSent` resends the same Message-ID, which mail clients collapse.
 */
export interface OutboxRepository {
  /** Queues a notice of a transition for a recipient, due at `dueAt` (once per transition and recipient). */
  enqueue(transitionId: number, recipientId: number, now: number, dueAt: number): Promise<void>;
  /** Recipients queued any notice about this incident of the alert (for resolved notices and reminders), by id. */
  recipientsToldAbout(alertId: number, incident: number): Promise<number[]>;
  /**
   * Takes back the check notices of an agent not yet gathered into a digest, in one unit: their transitions are
   * marked held with `reason`, and check alerts left with nothing queued about their incident count as unannounced
   * again. Returns how many notices were removed.
   */
  withdrawPendingCheckNotices(agentId: string, reason: string): Promise<number>;

  /**
   * In one transaction, per recipient with a notice due at `now`: creates a digest, gathers into it the
   * recipient's notices due up to `now + groupWindowMs`, names it `messageId(digest)`, and threads it (In-Reply-To
   * the first mail of an incident it continues; an incident it starts is threaded under it). Returns the new ids.
   */
  formDigests(now: number, groupWindowMs: number, messageId: (digest: { id: number; recipientId: number }) => string): Promise<number[]>;
  /** Digests to send now: not sent, not given up, retry time reached; oldest first. */
  dueDigests(now: number): Promise<Digest[]>;
  /** The transitions a digest tells, by transition id. */
  entries(digestId: number): Promise<DigestEntry[]>;
  /** Records a successful send. */
  markSent(digestId: number, now: number): Promise<void>;
  /** Records a failed attempt (error cut to 1000 characters); `retryAt` null means give up. */
  markFailed(digestId: number, error: string, now: number, retryAt: number | null): Promise<void>;
  /** Queue depth and last send, for health and /metrics. */
  stats(): Promise<OutboxStats>;
  /** Per contact point that has had a digest: last send, last error, pending and given-up counts. */
  deliveryByRecipient(): Promise<RecipientDelivery[]>;
}
