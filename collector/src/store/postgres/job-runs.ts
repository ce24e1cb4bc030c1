import type { Sql } from './connection.ts';
import { ABANDONED_RUN_ERROR, type JobOutcome, type JobRun, type JobRunRepository } from '../job-runs.ts';
import { LIVE_COLLECTORS } from './coordination.ts';

interface JobRunRow { job: string; slot_at: number; started_at: number; finished_at: number | null; outcome: JobOutcome; error: string | null; attempts: number }

function toJobRun(r: JobRunRow): JobRun {
  return { job: r.job, slotAt: r.slot_at, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, error: r.error, attempts: r.attempts };
}

/** JobRunRepository on PostgreSQL: the (job, slot) key makes a claim exactly once however many collectors try. */
export class PgJobRuns implements JobRunRepository {
  /** `collector`: this collector's coordination instance, written beside its claims. */
  constructor(
    private readonly db: Sql,
    private readonly collector: string,
  ) {}

  async claim(job: string, slotAt: number, now: number): Promise<boolean> {
    return (await this.db.run(`INSERT INTO job_runs (job, slot_at, started_at, outcome, claimed_by) VALUES ($1, $2, $3, 'running', $4) ON CONFLICT DO NOTHING`, [job, slotAt, now, this.collector])) === 1;
  }

  async reclaimFailed(job: string, slotAt: number, attempts: number, now: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE job_runs SET started_at = $1, finished_at = NULL, outcome = 'running', attempts = attempts + 1, claimed_by = $5
       WHERE job = $2 AND slot_at = $3 AND outcome = 'failed' AND attempts = $4`,
      [now, job, slotAt, attempts, this.collector],
    );
    return changed === 1;
  }

  async finish(job: string, slotAt: number, outcome: 'ok' | 'failed', error: string | null, now: number): Promise<void> {
    await this.db.run(`UPDATE job_runs SET finished_at = $1, outcome = $2, error = $3 WHERE job = $4 AND slot_at = $5 AND claimed_by = $6`, [now, outcome, error, job, slotAt, this.collector]);
  }

  async failAbandoned(now: number): Promise<number> {
    // One statement: a collector that connected meanwhile is in the list compared against (as for the agents' marks).
    return this.db.run(
      `UPDATE job_runs SET outcome = 'failed', finished_at = $1, error = $2
        WHERE outcome = 'running' AND (claimed_by IS NULL OR claimed_by NOT IN ${LIVE_COLLECTORS})`,
      [now, ABANDONED_RUN_ERROR],
    );
  }

  async get(job: string, slotAt: number): Promise<JobRun | undefined> {
    const row = await this.db.row<JobRunRow>(`SELECT * FROM job_runs WHERE job = $1 AND slot_at = $2`, [job, slotAt]);
    return row && toJobRun(row);
  }

  async latest(job: string): Promise<JobRun | undefined> {
    const row = await this.db.row<JobRunRow>(`SELECT * FROM job_runs WHERE job = $1 ORDER BY slot_at DESC LIMIT 1`, [job]);
    return row && toJobRun(row);
  }
}
