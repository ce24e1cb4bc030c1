/**
 * A token bucket per connection: `burst` frames at once, refilled at `perSecond`. An agent sends a frame
 * per result when live and one per acknowledged batch when replaying, far below the limit; a client
 * flooding frames is cut off before it costs the collector more than a parse each.
 */
export class FrameRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export const FRAME_RATE = { perSecond: 50, burst: 200 } as const; // a week's replay is ~1,000 frames: 20 s at this rate
