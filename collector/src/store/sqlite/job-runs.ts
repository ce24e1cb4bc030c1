import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import { ABANDONED_RUN_ERROR, type JobOutcome, type JobRun, type JobRunRepository } from '../job-runs.ts';

interface JobRunRow { job: string; slot_at: number; started_at: number; finished_at: number | null; outcome: JobOutcome; error: string | null; attempts: number }

function toJobRun(r: JobRunRow): JobRun {
  return { job: r.job, slotAt: r.slot_at, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, error: r.error, attempts: r.attempts };
}

export class SqliteJobRuns implements Synchronous<JobRunRepository> {
  private readonly stmt;

  /** `collector`: this run's coordination instance, written beside its claims. */
  constructor(
    db: Db,
    private readonly collector: string,
  ) {
    this.stmt = {
      claim: db.prepare(`INSERT OR IGNORE INTO job_runs (job, slot_at, started_at, outcome, claimed_by) VALUES (?, ?, ?, 'running', ?)`),
      reclaim: db.prepare(
        `UPDATE job_runs SET started_at = @now, finished_at = NULL, outcome = 'running', attempts = attempts + 1, claimed_by = @collector
         WHERE job = @job AND slot_at = @slotAt AND outcome = 'failed' AND attempts = @attempts`,
      ),
      finish: db.prepare(`UPDATE job_runs SET finished_at = @now, outcome = @outcome, error = @error WHERE job = @job AND slot_at = @slotAt AND claimed_by = @collector`),
      // One collector owns the file: a claim of another run was made by one that has stopped.
      abandoned: db.prepare(`UPDATE job_runs SET outcome = 'failed', finished_at = @now, error = @error WHERE outcome = 'running' AND (claimed_by IS NULL OR claimed_by <> @collector)`),
      get: db.prepare(`SELECT * FROM job_runs WHERE job = ? AND slot_at = ?`),
      latest: db.prepare(`SELECT * FROM job_runs WHERE job = ? ORDER BY slot_at DESC LIMIT 1`),
    };
  }

  claim(job: string, slotAt: number, now: number): boolean {
    return this.stmt.claim.run(job, slotAt, now, this.collector).changes === 1;
  }

  reclaimFailed(job: string, slotAt: number, attempts: number, now: number): boolean {
    return this.stmt.reclaim.run({ job, slotAt, attempts, now, collector: this.collector }).changes === 1;
  }

  finish(job: string, slotAt: number, outcome: 'ok' | 'failed', error: string | null, now: number): void {
    this.stmt.finish.run({ job, slotAt, outcome, error, now, collector: this.collector });
  }

  failAbandoned(now: number): number {
    return this.stmt.abandoned.run({ now, error: ABANDONED_RUN_ERROR, collector: this.collector }).changes;
  }

  get(job: string, slotAt: number): JobRun | undefined {
    const row = this.stmt.get.get(job, slotAt) as JobRunRow | undefined;
    return row && toJobRun(row);
  }

  latest(job: string): JobRun | undefined {
    const row = this.stmt.latest.get(job) as JobRunRow | undefined;
    return row && toJobRun(row);
  }
}
