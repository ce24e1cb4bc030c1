import type { Clock } from '@nines/shared';
import type { JobRun, JobOutcome, JobRunRepository } from '../store/job-runs.ts';
import type { Schedule } from './rule.ts';

/** A scheduled job. A slot is identified by its due time; `run` gets that, not the time it actually runs. */
export interface Job {
  name: string;
  schedule: Schedule;
  /**
   * How long after its due time a slot is still run — after a collector that was down, or after failed attempts
   * (retried with backoff until then). The monthly report looks back to the 28th, the weekly overview a week.
   */
  lookBackMs: number;
  run(slotMs: number): Promise<void>;
  /** Releases what the job holds (its SMTP connection) when the scheduler stops. */
  close?(): void;
}

export interface ScheduleState {
  job: string;
  /** The rule in words: "monday 07:00 Europe/Berlin". */
  schedule: string;
  /** When the job runs next: its next slot, or the retry of a failed one. */
  nextAt: number;
  lastRunAt: number | null;
  lastOutcome: JobOutcome | null;
  lastError: string | null;
}

export interface SchedulerLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

export interface SchedulerOptions {
  /** The first retry of a failed slot waits this long, each further one twice as long … */
  retryBaseMs?: number;
  /** … up to this. */
  retryMaxMs?: number;
  /** The timer wakes at least this often, so a jump of the clock is noticed. */
  rearmMs?: number;
  /** Slots before this are never run, however long the look-back: the database did not exist yet (store.databaseInfo). */
  notBefore?: number;
}

/** Each job's slots too old to catch up are skipped; this bounds the walk through a long look-back. */
const MAX_SLOTS_WALKED = 10_000;

/**
 * Runs jobs at their slots, each slot exactly once across restarts, catch-up and collectors sharing one database:
 * a slot is claimed by inserting its job_runs row before it runs. Only the newest slot still within its look-back
 * is run — a collector down for three weeks sends one weekly overview at start, not three. One unref'd timer sleeps
 * until the earliest due time; tests call `runDue(now)` instead of waiting.
 */
export class Scheduler {
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly rearmMs: number;
  private readonly notBefore: number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly runs: JobRunRepository,
    private readonly clock: Clock,
    private readonly log: SchedulerLog,
    readonly jobs: readonly Job[],
    options: SchedulerOptions = {},
  ) {
    const names = new Set(jobs.map((j) => j.name));
    if (names.size !== jobs.length) throw new Error('two scheduled jobs share a name');
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.retryMaxMs = options.retryMaxMs ?? 3_600_000;
    this.rearmMs = options.rearmMs ?? 60_000;
    this.notBefore = options.notBefore ?? Number.NEGATIVE_INFINITY;
  }

  /** Catches up on slots missed while the collector was down, then keeps the timer armed until `stop`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.runDue(this.clock());
    await this.arm();
  }

  /** Stops the timer and waits for runs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight.values());
    for (const job of this.jobs) job.close?.();
  }

  /** Runs every job whose newest slot up to `now` is unclaimed, or failed and past its backoff. Resolves when they are done. */
  async runDue(now: number): Promise<void> {
    await Promise.all(this.jobs.map((job) => this.runJobIfDue(job, now)));
  }

  /** Each job's next run and last outcome, for /healthz?detail=true and the Schedules card. */
  async states(now: number): Promise<ScheduleState[]> {
    return Promise.all(this.jobs.map(async (job) => {
      const latest = await this.runs.latest(job.name);
      return {
        job: job.name, schedule: job.schedule.description, nextAt: await this.nextAt(job, now), lastRunAt: latest?.startedAt ?? null,
        lastOutcome: latest?.outcome ?? null, lastError: latest?.error ?? null,
      };
    }));
  }

  /** The newest slot at or before `now` that is still within its look-back and not before `notBefore`; null if none. */
  dueSlot(job: Job, now: number): number | null {
    let due: number | null = null;
    let slot = job.schedule.next(Math.max(now - job.lookBackMs, this.notBefore - 1));
    for (let i = 0; slot <= now && i < MAX_SLOTS_WALKED; i++) {
      due = slot;
      slot = job.schedule.next(slot);
    }
    return due;
  }

  private async nextAt(job: Job, now: number): Promise<number> {
    const slot = this.dueSlot(job, now);
    if (slot !== null) {
      const run = await this.runs.get(job.name, slot);
      if (!run) return slot;
      if (run.outcome === 'failed') {
        const retryAt = this.retryAt(run);
        if (retryAt < slot + job.lookBackMs) return retryAt;
      }
    }
    return job.schedule.next(now);
  }

  private retryAt(run: JobRun): number {
    const wait = Math.min(this.retryBaseMs * 2 ** Math.min(run.attempts - 1, 30), this.retryMaxMs);
    return (run.finishedAt ?? run.startedAt) + wait;
  }

  private async runJobIfDue(job: Job, now: number): Promise<void> {
    if (this.inFlight.has(job.name)) return;
    const slot = this.dueSlot(job, now);
    if (slot === null) return;
    // In flight from here: a second pass of the same turn must not claim it again while the claim is awaited.
    const execution = this.claimAndExecute(job, slot, now);
    this.inFlight.set(job.name, execution);
    try {
      await execution;
    } finally {
      this.inFlight.delete(job.name);
    }
  }

  private async claimAndExecute(job: Job, slot: number, now: number): Promise<void> {
    const run = await this.runs.get(job.name, slot);
    let claimed: boolean;
    if (!run) claimed = await this.runs.claim(job.name, slot, now);
    else if (run.outcome === 'failed' && now >= this.retryAt(run)) claimed = await this.runs.reclaimFailed(job.name, slot, run.attempts, now);
    else claimed = false;
    if (claimed) await this.execute(job, slot, run ? run.attempts + 1 : 1);
  }

  private async execute(job: Job, slot: number, attempt: number): Promise<void> {
    const fields = { job: job.name, slotAt: new Date(slot).toISOString(), attempt };
    try {
      await job.run(slot);
      await this.runs.finish(job.name, slot, 'ok', null, this.clock());
      this.log.info(fields, 'scheduled job done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.runs.finish(job.name, slot, 'failed', message, this.clock());
      this.log.warn({ ...fields, err: message }, 'scheduled job failed; retried with backoff within its look-back');
    }
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock();
    let earliest = now + this.rearmMs;
    try {
      earliest = Math.min(...(await Promise.all(this.jobs.map((job) => this.nextAt(job, now)))), earliest);
    } catch (error) {
      // The runs could not be read: look again after rearmMs rather than never.
      this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'scheduler could not read its runs');
    }
    if (this.stopped) return; // stopped while the runs were read
    if (this.timer) clearTimeout(this.timer);
    // At least a second: a slot whose run is still in flight is "due" until it finishes.
    const delay = Math.min(Math.max(earliest - now, 1000), this.rearmMs);
    this.timer = setTimeout(() => void this.wake(), delay);
    this.timer.unref();
  }

  private async wake(): Promise<void> {
    try {
      await this.runDue(this.clock());
    } catch (error) {
      this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'scheduler could not check its jobs');
    }
    await this.arm();
  }
}
