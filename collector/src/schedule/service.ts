import type { Clock } from '@nines/shared';
import type { JobRunRepository } from '../store/job-runs.ts';
import { Scheduler, type Job, type ScheduleState, type SchedulerLog, type SchedulerOptions } from './scheduler.ts';

/**
 * The collector's scheduled jobs (app.schedules): nothing runs until `start(jobs)` — serve calls it with the jobs
 * its YAML asks for — so tests and commands that build the app without a config run none.
 */
export class ScheduleService {
  private scheduler: Scheduler | null = null;
  private jobs: (() => Promise<Job[]>) | null = null;
  private options: SchedulerOptions | undefined;

  /** `since` is when the database came to be (store.databaseInfo.since): no catch-up of slots before it. */
  constructor(private readonly runs: JobRunRepository, private readonly clock: Clock, private readonly log: SchedulerLog, private readonly since?: (now: number) => Promise<number>) {}

  get isStarted(): boolean {
    return this.scheduler !== null;
  }

  /**
   * Starts the jobs: catches up on missed slots, then keeps the timer. Resolves after the catch-up. Given a function,
   * `reload()` calls it again for the jobs of changed settings.
   */
  async start(jobs: Job[] | (() => Promise<Job[]>), options?: SchedulerOptions): Promise<void> {
    if (this.scheduler) throw new Error('the schedules have started already');
    this.jobs = typeof jobs === 'function' ? jobs : async () => jobs;
    this.options = { ...(this.since ? { notBefore: await this.since(this.clock()) } : {}), ...options };
    this.scheduler = new Scheduler(this.runs, this.clock, this.log, await this.jobs(), this.options);
    await this.scheduler.start();
  }

  /**
   * After the report settings changed: the jobs are built anew and the timer re-armed at once, no restart. The new
   * jobs are built before the old ones stop, so a bad setting leaves the running ones in place. Slots already run
   * stay run (job_runs), so a re-arm never repeats a report. Nothing happens before `start`.
   */
  async reload(): Promise<void> {
    if (!this.scheduler || !this.jobs) return;
    const jobs = await this.jobs();
    const old = this.scheduler;
    this.scheduler = new Scheduler(this.runs, this.clock, this.log, jobs, this.options);
    await old.stop();
    await this.scheduler.start();
  }

  /** Runs what is due at `now`, for tests that drive the clock. */
  async runDue(now: number): Promise<void> {
    await this.scheduler?.runDue(now);
  }

  async states(): Promise<ScheduleState[]> {
    return (await this.scheduler?.states(this.clock())) ?? [];
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
  }
}
