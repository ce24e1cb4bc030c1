import type { FastifyBaseLogger } from 'fastify';
import type { CollectorEventMap, CollectorEvents } from '../events.ts';
import type { Coordination } from '../store/coordination.ts';
import { eventOf, messagesOf, type BridgedEvent } from './messages.ts';

const BRIDGED = ['resultsStored', 'checksChanged', 'agentConnection', 'gapStored', 'agentSilent', 'agentHeard', 'agentOverQuota', 'configAssigned', 'settingsChanged', 'upgradeSettingChanged'] as const satisfies ReadonlyArray<keyof CollectorEventMap>;

/**
 * Fans this collector's post-commit events out to the others sharing its database, and theirs in as local events
 * marked `remote`: a dashboard on any collector sees what an agent on any other one sent, and the leader's alerting
 * hears of every batch. Nothing is published when the store is not shared. Returns the receiver of messages and
 * the function that detaches it.
 */
export function bridgeEvents(events: CollectorEvents, coordination: Coordination, log: Pick<FastifyBaseLogger, 'warn'>) {
  const detachers: Array<() => void> = [];
  if (coordination.shared) {
    for (const name of BRIDGED) {
      const listener = (payload: { remote?: unknown }) => {
        if (payload.remote) return; // told by another collector: it told everyone itself
        for (const text of messagesOf({ name, payload } as BridgedEvent, coordination.maxMessageBytes)) void coordination.publish(text);
      };
      events.on(name, listener);
      detachers.push(() => events.off(name, listener));
    }
  }
  let dropped = 0;
  return {
    receive(text: string): void {
      const event = eventOf(text);
      if (!event) {
        // A collector of another version, most likely: say so once in a while, not per message.
        if (dropped++ % 1000 === 0) log.warn({ dropped }, 'cluster: a message from another collector was not understood and is dropped');
        return;
      }
      (events.emit as (name: string, payload: unknown) => boolean)(event.name, event.payload);
    },
    detach(): void {
      for (const detach of detachers) detach();
    },
  };
}
