/**
 * A token bucket of bytes per connection: each frame costs its size plus a fixed `perFrameBytes` (what parsing and
 * answering any frame costs, however small). So the limit follows what the collector spends, not the number of
 * frames: an honest agent with many checks (1,000 checks at 20 s are 50 results a second, a frame each from an
 * agent that does not batch: ~0.5 MiB/s of budget) or replaying a day (a 4-frame burst of up to 1 MiB each) is
 * never cut off, while a client flooding tiny frames is after ~600 of them, a few hundred a second beyond that.
 * Results per minute and bytes per minute are capped per agent by the quota (quota.ts).
 */
export class FrameRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly budget: FrameBudget,
    now: number,
  ) {
    this.tokens = budget.burstBytes;
    this.last = now;
  }

  /** Charges one frame of `bytes`; false when the bucket cannot pay for it. */
  take(now: number, bytes: number): boolean {
    const { bytesPerSecond, burstBytes, perFrameBytes } = this.budget;
    this.tokens = Math.min(burstBytes, this.tokens + ((now - this.last) / 1000) * bytesPerSecond);
    this.last = now;
    const cost = perFrameBytes + bytes;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

export interface FrameBudget {
  bytesPerSecond: number;
  /** At least one frame of the maximum size plus perFrameBytes. */
  burstBytes: number;
  perFrameBytes: number;
}

const MiB = 1024 * 1024;
export const FRAME_BUDGET: FrameBudget = { bytesPerSecond: 2 * MiB, burstBytes: 5 * MiB, perFrameBytes: 8 * 1024 };

export function describeFrameBudget(budget: FrameBudget = FRAME_BUDGET): string {
  return `more than ${budget.bytesPerSecond / MiB} MiB of frames a second (each counted as its size + ${budget.perFrameBytes / 1024} KiB; burst ${budget.burstBytes / MiB} MiB)`;
}
