import type { ResultParams, Status } from '@nines/shared';

/** A stored result as alert evaluation reads it. */
export interface StoredResult {
  seq: number;
  checkId: string;
  /** The check's kind; '' when the check row is gone. */
  checkKind: string;
  status: Status;
  message: string;
  metrics: Record<string, number>;
  startedAt: number;
  code: string | null;
  params: ResultParams | null;
}

/** Where alert evaluation stands for one agent. */
export interface AgentCursor {
  agentId: string;
  clientId: number;
  /** The highest seq evaluated; 0 before the first. */
  cursor: number;
}

/** Statuses of one check around a window, oldest first inside it: the input of counting outages. */
export interface StatusHistory {
  /** The newest status at or before the window's start; undefined when there is none. */
  before: Status | undefined;
  inside: Status[];
}

/**
 * Stored results as alerting reads them (migration 004's alert_cursors over the ingest's results): per agent a
 * cursor says up to which seq results were evaluated, so evaluation always catches up after a crash; and the
 * result history a notice quotes. Reached as `store.alertResults`. Moving a cursor belongs in the same
 * `store.unitOfWork` as the alert state it produced.
 */
export interface AlertResultRepository {
  /** Agents with stored results not yet evaluated, and where evaluation stands for each. */
  agentsBehind(): Promise<AgentCursor[]>;
  /** Where evaluation stands for one agent, if it has stored results not yet evaluated (the per-batch path: no scan of all agents). */
  agentBehind(agentId: string): Promise<AgentCursor | undefined>;
  /** Up to `limit` stored results of an agent after `afterSeq`, in seq order (gaps in seqs are fine). */
  resultsAfter(agentId: string, afterSeq: number, limit: number): Promise<StoredResult[]>;
  /** The highest seq stored for an agent; 0 when none (or no such agent). */
  lastSeq(agentId: string): Promise<number>;
  /** Moves an agent's cursor to `seq` (never backwards). */
  setCursor(agentId: string, seq: number, now: number): Promise<void>;

  /**
   * The start of the run of failures a check was in at `at`: the first non-OK result after the newest OK one
   * before `at`, looking back at most `lookbackMs`; null when no failed result lies in that span.
   */
  failingRunStart(agentId: string, checkId: string, at: number, lookbackMs: number): Promise<number | null>;
  /** The check's statuses in (from, to], with the newest status at or before `from`. */
  statusHistory(agentId: string, checkId: string, from: number, to: number): Promise<StatusHistory>;
}
