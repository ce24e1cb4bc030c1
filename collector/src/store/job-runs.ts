/**
 * How one run of a scheduled job ended; 'running' while it runs (until the leader fails it as abandoned, when the
 * process died in it).
 */
export type JobOutcome = 'running' | 'ok' | 'failed';

/** The error of a run whose collector died in it: shown on the Schedules card and in /healthz. */
export const ABANDONED_RUN_ERROR = 'the collector running this stopped before it ended; retried';

/** One job's slot: when it was due, when it last started and ended, how, and how often it was tried. */
export interface JobRun {
  job: string;
  slotAt: number;
  startedAt: number;
  finishedAt: number | null;
  outcome: JobOutcome;
  error: string | null;
  attempts: number;
}

/**
 * The runs of scheduled jobs (migration 013), one row per (job, slot). Claiming a slot is inserting its row, so
 * exactly one scheduler — of this process, a restarted one or another collector on the same database — runs it.
 * Reached as `store.jobRuns`.
 */
export interface JobRunRepository {
  /** Claims a slot never run before: true iff this call inserted its row (outcome 'running'). */
  claim(job: string, slotAt: number, now: number): Promise<boolean>;
  /**
   * Claims a failed slot for another attempt: true iff it was still failed after `attempts` tries (a compare and set,
   * so two schedulers retrying the same slot do not both run it).
   */
  reclaimFailed(job: string, slotAt: number, attempts: number, now: number): Promise<boolean>;
  /**
   * Records how the run of a slot this collector claimed ended; nothing when another collector has claimed it again
   * since (this one was taken for gone: failAbandoned).
   */
  finish(job: string, slotAt: number, outcome: 'ok' | 'failed', error: string | null, now: number): Promise<void>;
  /**
   * Fails the slots still 'running' whose collector is gone (it died in the middle of the run), with
   * ABANDONED_RUN_ERROR: the scheduler then retries them with backoff (client reports already sent are not sent
   * again: report_sends). On PostgreSQL a collector is gone when its coordination session is; on SQLite every
   * claim of an earlier run is, since one collector owns the file. Returns how many were failed. Called by the leader.
   */
  failAbandoned(now: number): Promise<number>;
  /** The run of one slot; undefined if it was never claimed. */
  get(job: string, slotAt: number): Promise<JobRun | undefined>;
  /** The job's run with the newest slot; undefined if it never ran. */
  latest(job: string): Promise<JobRun | undefined>;
}
