import type { Store } from '../store/store.ts';

/**
 * Keeps agents.last_seen_at true for a connected agent whose checks run rarely: every keepalive pong and every
 * frame counts as seen. One UPDATE per agent per `minGapMs` at most (the heartbeat interval, 30 s), not one per frame.
 */
export class LastSeenWriter {
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly store: Pick<Store, 'recordSeen'>,
    private readonly minGapMs: number,
  ) {}

  async heard(agentId: string, now: number): Promise<void> {
    const last = this.writtenAt.get(agentId);
    if (last !== undefined && now - last < this.minGapMs) return;
    this.writtenAt.set(agentId, now);
    await this.store.recordSeen(agentId, now);
  }

  /** The socket closed: the disconnect writes its own last-seen time. */
  forget(agentId: string): void {
    this.writtenAt.delete(agentId);
  }
}
