import type { Clock } from '@nines/shared';
import type { JobRunRepository } from '../store/job-runs.ts';
import { Scheduler, type Job, type ScheduleState, type SchedulerLog, type SchedulerOptions } from './scheduler.ts';

/**
 * The collector's scheduled jobs (app.schedules): nothing runs until `start(jobs)` — serve calls it with the jobs
 * its YAML asks for — so tests and commands that build the app without a config run none.
 */
export class ScheduleService {
  private scheduler: Scheduler | null = null;

  constructor(private readonly runs: JobRunRepository, private readonly clock: Clock, private readonly log: SchedulerLog) {}

  get isStarted(): boolean {
    return this.scheduler !== null;
  }

  /** Starts the jobs: catches up on missed slots, then keeps the timer. Resolves after the catch-up. */
  async start(jobs: Job[], options?: SchedulerOptions): Promise<void> {
    if (this.scheduler) throw new Error('the schedules have started already');
    this.scheduler = new Scheduler(this.runs, this.clock, this.log, jobs, options);
    await this.scheduler.start();
  }

  /** Runs what is due at `now`, for tests that drive the clock. */
  async runDue(now: number): Promise<void> {
    await this.scheduler?.runDue(now);
  }

  states(): ScheduleState[] {
    return this.scheduler?.states(this.clock()) ?? [];
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
  }
}
