import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { JobOutcome, JobRun, JobRunRepository } from '../job-runs.ts';

interface JobRunRow { job: string; slot_at: number; started_at: number; finished_at: number | null; outcome: JobOutcome; error: string | null; attempts: number }

function toJobRun(r: JobRunRow): JobRun {
  return { job: r.job, slotAt: r.slot_at, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, error: r.error, attempts: r.attempts };
}

export class SqliteJobRuns implements Synchronous<JobRunRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      claim: db.prepare(`INSERT OR IGNORE INTO job_runs (job, slot_at, started_at, outcome) VALUES (?, ?, ?, 'running')`),
      reclaim: db.prepare(
        `UPDATE job_runs SET started_at = @now, finished_at = NULL, outcome = 'running', attempts = attempts + 1
         WHERE job = @job AND slot_at = @slotAt AND outcome = 'failed' AND attempts = @attempts`,
      ),
      finish: db.prepare(`UPDATE job_runs SET finished_at = @now, outcome = @outcome, error = @error WHERE job = @job AND slot_at = @slotAt`),
      get: db.prepare(`SELECT * FROM job_runs WHERE job = ? AND slot_at = ?`),
      latest: db.prepare(`SELECT * FROM job_runs WHERE job = ? ORDER BY slot_at DESC LIMIT 1`),
    };
  }

  claim(job: string, slotAt: number, now: number): boolean {
    return this.stmt.claim.run(job, slotAt, now).changes === 1;
  }

  reclaimFailed(job: string, slotAt: number, attempts: number, now: number): boolean {
    return this.stmt.reclaim.run({ job, slotAt, attempts, now }).changes === 1;
  }

  finish(job: string, slotAt: number, outcome: 'ok' | 'failed', error: string | null, now: number): void {
    this.stmt.finish.run({ job, slotAt, outcome, error, now });
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
