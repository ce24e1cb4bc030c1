import type { AgentStatus, CheckStatus, StatusResponse } from '@nines/shared';
import type { CollectorContext } from './context.ts';
import { availabilityFor, dbOf } from './availability/index.ts';
import { deliveryStore } from './ingest/delivery-store.ts';

/** The state of every agent (or one client's) and its checks: `status --json` and GET /api/v1/status. */
export function collectStatus(ctx: Pick<CollectorContext, 'store' | 'clock'>, clientId?: number): StatusResponse {
  const now = ctx.clock();
  const delivery = deliveryStore(ctx.store);
  const db = dbOf(ctx.store);
  const agents = ctx.store.listAgents(clientId).map((agent): AgentStatus => {
    const silentSince = delivery.silentSince(agent.id);
    const checks = ctx.store.listChecks(agent.id).map((check): CheckStatus => {
      return {
        id: check.id,
        name: check.name,
        kind: check.kind,
        // A silent agent's last word is stale: UNKNOWN, never the old OK and never DOWN.
        status: silentSince !== null ? 'UNKNOWN' : (check.status ?? 'UNKNOWN'),
        message: silentSince !== null ? `agent silent since ${new Date(silentSince).toISOString()}` : check.message,
        lastResultAt: check.lastResultAt,
        // The same engine as reports and the dashboard: gaps UNKNOWN, maintenance excluded, rollups where clean.
        availability24h: availabilityFor(db, 'check', `${agent.id}/${check.id}`, '24h', now).availability,
      };
    });
    return {
      id: agent.id, name: agent.name, client: agent.clientName, clientId: agent.clientId, hostname: agent.hostname,
      platform: agent.platform, agentVersion: agent.agentVersion, connected: agent.connected,
      lastSeenAt: agent.lastSeenAt, lastSeq: agent.lastSeq, storedResults: ctx.store.countResults(agent.id),
      backlog: agent.backlog, clockOffsetMs: agent.clockOffsetMs, silent: silentSince !== null, silentSince,
      lostResults: delivery.lostResults(agent.id), revoked: agent.revokedAt !== null, checks,
    };
  });
  return { agents };
}
