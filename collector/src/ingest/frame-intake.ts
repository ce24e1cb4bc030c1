/**
 * Frame intake: socket frames are queued as they arrive and handled (JSON parse, validation, submit to the
 * batcher) in slices of a few milliseconds, one slice per event-loop turn. Before, a burst of 1,000 readable
 * sockets with 4 frames each was parsed and validated in one poll phase (~0.3 ms a 100-result frame: over
 * a second in which no timer, ack or other socket ran).
 *
 * One FIFO for all sockets: per agent, frames are handled in arrival order, as before.
 */

export interface IntakeOptions {
  /** Handling stops for this turn once a slice has run this long (at least one frame a turn). */
  sliceMs?: number;
  onError?(error: unknown, frame: QueuedFrame): void;
}

export interface QueuedFrame {
  /** performance.now() when the frame was read from the socket (rate limits count real arrival). */
  readonly receivedAt: number;
  handle(receivedAt: number): void;
}

/** A slice well under the 50 ms loop-lag budget, leaving room for the batcher's transaction in the same turn. */
export const INTAKE_SLICE_MS = 8;

export class FrameIntake {
  private queue: QueuedFrame[] = [];
  private head = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly sliceMs: number;

  constructor(private readonly options: IntakeOptions = {}) {
    this.sliceMs = options.sliceMs ?? INTAKE_SLICE_MS;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  push(frame: QueuedFrame): void {
    this.queue.push(frame);
    this.scheduled ??= setImmediate(() => this.drainSlice());
  }

  /** Handles everything queued now (shutdown: what was received is still stored and acknowledged). */
  flushAll(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.head < this.queue.length) this.handleNext();
    this.compact();
  }

  private drainSlice(): void {
    this.scheduled = null;
    const until = performance.now() + this.sliceMs;
    do this.handleNext();
    while (this.head < this.queue.length && performance.now() < until);
    this.compact();
    if (this.head < this.queue.length) this.scheduled = setImmediate(() => this.drainSlice());
  }

  private handleNext(): void {
    const frame = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as QueuedFrame; // let the buffer go
    try {
      frame.handle(frame.receivedAt);
    } catch (error) {
      this.options.onError?.(error, frame);
    }
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
