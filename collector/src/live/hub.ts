import type { LiveMessage } from '@nines/shared';

export interface LiveSubscriber {
  /** Client ids this subscriber may see; null for an admin who sees all. */
  clientIds: ReadonlySet<number> | null;
  send(frame: string): void;
}

/**
 * Fans live updates out to dashboard sockets. Each message is serialized once, whatever the number
 * of subscribers, and only reaches those allowed to see its client.
 */
export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(clientId: number, message: LiveMessage): void {
    if (this.subscribers.size === 0) return;
    const frame = JSON.stringify(message);
    for (const s of this.subscribers) {
      if (s.clientIds === null || s.clientIds.has(clientId)) s.send(frame);
    }
  }
}
