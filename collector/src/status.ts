import type { AgentStatus, CheckStatus, StatusResponse } from '@nines/shared';
import type { CollectorContext } from './context.ts';
import { stateTotals, availabilityOf } from './availability/timeline.ts';

const DAY_MS = 86_400_000;

/** The state of every agent (or one client's) and its checks: `status --json` and GET /api/v1/status. */
export function collectStatus(ctx: Pick<CollectorContext, 'store' | 'clock'>, clientId?: number): StatusResponse {
  const now = ctx.clock();
  const agents = ctx.store.listAgents(clientId).map((agent): AgentStatus => {
    const checks = ctx.store.listChecks(agent.id).map((check): CheckStatus => {
      const history = ctx.store.resultsBetween(agent.id, check.id, now - DAY_MS - 2 * check.intervalMs, now);
      return {
        id: check.id,
        name: check.name,
        kind: check.kind,
        status: check.status ?? 'UNKNOWN',
        message: check.message,
        lastResultAt: check.lastResultAt,
        availability24h: availabilityOf(stateTotals(history, check.intervalMs, now - DAY_MS, now)),
      };
    });
    return {
      id: agent.id, name: agent.name, client: agent.clientName, clientId: agent.clientId, hostname: agent.hostname,
      platform: agent.platform, agentVersion: agent.agentVersion, connected: agent.connected,
      lastSeenAt: agent.lastSeenAt, lastSeq: agent.lastSeq, storedResults: ctx.store.countResults(agent.id),
      backlog: agent.backlog, clockOffsetMs: agent.clockOffsetMs, revoked: agent.revokedAt !== null, checks,
    };
  });
  return { agents };
}
