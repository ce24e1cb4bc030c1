import type { CheckConfig, UnsequencedResult } from '@nines/shared';
import { effectiveInterval } from './interval.ts';
import { runCheck, type RunnerDeps } from './runner.ts';

export { effectiveInterval };

export interface SchedulerOptions extends RunnerDeps {
  /** At most this many checks run at the same time; the rest wait their turn. */
  concurrency: number;
  onResult: (result: UnsequencedResult) => void;
  random?: () => number;
}

interface Scheduled {
  config: CheckConfig;
  key: string;
  timer: NodeJS.Timeout | null;
  running: boolean;
}

/**
 * Runs each check on its own interval, first at a random offset within it so checks spread out.
 * A slow check never delays another (bounded pool); a check still running when due is skipped, not stacked.
 */
export class Scheduler {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly queue: Scheduled[] = [];
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SchedulerOptions) {}

  /** Replaces the set of checks: unchanged ones keep their rhythm, changed ones restart. */
  setChecks(checks: readonly CheckConfig[]): void {
    const next = new Map(checks.filter((c) => c.enabled !== false).map((c) => [c.id, c]));
    for (const [id, s] of this.scheduled) {
      const config = next.get(id);
      if (!config || JSON.stringify(config) !== s.key) this.unschedule(id);
    }
    for (const [id, config] of next) if (!this.scheduled.has(id)) this.schedule(config);
  }

  get checkIds(): string[] {
    return [...this.scheduled.keys()];
  }

  /** Stops scheduling and waits for the checks that are running to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.scheduled.keys()]) this.unschedule(id);
    this.queue.length = 0;
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(config: CheckConfig): void {
    const interval = effectiveInterval(config);
    const s: Scheduled = { config, key: JSON.stringify(config), timer: null, running: false };
    this.scheduled.set(config.id, s);
    const firstDelay = Math.floor((this.options.random ?? Math.random)() * Math.min(interval, 10_000));
    s.timer = setTimeout(() => {
      this.enqueue(s);
      s.timer = setInterval(() => this.enqueue(s), interval);
    }, firstDelay);
  }

  private unschedule(id: string): void {
    const s = this.scheduled.get(id);
    if (!s) return;
    if (s.timer) clearTimeout(s.timer);
    this.scheduled.delete(id);
    const queued = this.queue.indexOf(s);
    if (queued >= 0) this.queue.splice(queued, 1);
  }

  private enqueue(s: Scheduled): void {
    if (s.running || this.queue.includes(s) || this.stopped) return;
    this.queue.push(s);
    this.drain();
  }

  private drain(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const s = this.queue.shift()!;
      s.running = true;
      this.active++;
      void runCheck(s.config, this.options)
        .then((result) => {
          if (this.scheduled.get(s.config.id) === s) this.options.onResult(result);
        })
        .finally(() => {
          s.running = false;
          this.active--;
          if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
          this.drain();
        });
    }
  }
}
