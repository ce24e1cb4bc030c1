import type { CollectorEventMap, CollectorEvents } from '../events.ts';
import type { LiveHub } from './hub.ts';

/**
 * The live feed is one more listener of the post-commit events: what the dashboard is told is what was
 * committed, and ingest knows nothing of dashboards. Returns the function that detaches it.
 */
export function connectLiveFeed(events: CollectorEvents, hub: LiveHub): () => void {
  const onChecks = ({ agentId, clientId, latest }: CollectorEventMap['checksChanged'][0]) => {
    // No dashboard listening (most of the day): no message is built for each result only for publish to drop it.
    if (hub.size === 0) return;
    for (const r of latest) {
      hub.publish(clientId, {
        type: 'check', agentId, checkId: r.checkId, kind: r.kind, name: r.name ?? r.checkId,
        status: r.status, message: r.message, metrics: r.metrics, at: r.startedAt,
        ...(r.code !== undefined ? { code: r.code, params: r.params ?? {} } : {}),
      });
    }
  };
  const onConnection = ({ agentId, clientId, connected, at }: CollectorEventMap['agentConnection'][0]) =>
    hub.publish(clientId, { type: 'agent', agentId, connected, lastSeenAt: at });
  events.on('checksChanged', onChecks);
  events.on('agentConnection', onConnection);
  return () => {
    events.off('checksChanged', onChecks);
    events.off('agentConnection', onConnection);
  };
}
