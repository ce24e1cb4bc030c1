import { withCode, type AgentStatus, type CheckStatus, type StatusResponse } from '@nines/shared';
import type { CollectorContext } from './context.ts';
import type { AgentRecord } from './store/store.ts';
import type { RecentFigures } from './availability/recent-figures.ts';
import {
  availabilityFor, checksOfAgent, checkTotals, clientInfo, figureOf, resolveWindow, writeQueuedMarks, type AvailabilitySource, type CheckInfo,
} from './availability/index.ts';

/**
 * The state of every agent (or one client's) and its checks, computed afresh: `status --json`. The serving
 * collector keeps the same entries in memory (live/status-model.ts).
 */
export async function collectStatus(ctx: Pick<CollectorContext, 'store' | 'clock'>, clientId?: number): Promise<StatusResponse> {
  await writeQueuedMarks(ctx.store); // the ingest's pending writes first, so the snapshot below only reads (no read→write upgrade)
  // One snapshot for the whole overview: consistent figures, and one read lock instead of one per statement.
  return ctx.store.snapshot(() => overview(ctx, clientId));
}

async function overview(ctx: Pick<CollectorContext, 'store' | 'clock'>, clientId: number | undefined): Promise<StatusResponse> {
  const now = ctx.clock();
  const agents: AgentStatus[] = [];
  for (const agent of await ctx.store.listAgents(clientId)) agents.push(await agentStatus(ctx, agent, now));
  return { agents };
}

/**
 * One agent and its checks as the status reports them at `now`. Call inside `store.snapshot` (its
 * figures then agree with each other) after `writeQueuedMarks`. With `figures` (the serving collector's), each
 * check's 24 h availability is reused for up to 30 s (recent-figures.ts); without, computed afresh.
 */
export async function agentStatus(ctx: Pick<CollectorContext, 'store'>, agent: AgentRecord, now: number, figures?: RecentFigures): Promise<AgentStatus> {
  const src = ctx.store;
  const { delivery } = ctx.store;
  const silentSince = await delivery.silentSince(agent.id);
  // What availabilityFor would look up per check (check, agent, client), read once per agent.
  const infos = new Map((await checksOfAgent(src, agent.id)).map((info) => [info.checkId, info]));
  const targetPpm = (await clientInfo(src, agent.clientId))!.targetPpm;
  const checks: CheckStatus[] = [];
  for (const check of await ctx.store.listChecks(agent.id)) {
    checks.push({
      id: check.id,
      name: check.name,
      kind: check.kind,
      // A silent agent's last word is stale: UNKNOWN, never the old OK and never DOWN.
      status: silentSince !== null ? 'UNKNOWN' : (check.status ?? 'UNKNOWN'),
      message: silentSince !== null ? `agent silent since ${new Date(silentSince).toISOString()}` : check.message,
      ...(silentSince !== null ? withCode('agent.silent', { since: silentSince }) : { code: check.code, params: check.params }),
      lastResultAt: check.lastResultAt,
      // The same engine as reports and the dashboard: gaps UNKNOWN, maintenance excluded, rollups where clean.
      availability24h: figures
        ? await figures.get(`${agent.id}/${check.id}`, check.status, now, () => availability24h(src, infos.get(check.id), `${agent.id}/${check.id}`, targetPpm, now))
        : await availability24h(src, infos.get(check.id), `${agent.id}/${check.id}`, targetPpm, now),
    });
  }
  return {
    id: agent.id, name: agent.name, client: agent.clientName, clientId: agent.clientId, hostname: agent.hostname,
    platform: agent.platform, agentVersion: agent.agentVersion, connected: agent.connected,
    lastSeenAt: agent.lastSeenAt, lastSeq: agent.lastSeq, storedResults: await ctx.store.countResults(agent.id),
    backlog: agent.backlog, clockOffsetMs: agent.clockOffsetMs, silent: silentSince !== null, silentSince,
    lostResults: await delivery.lostResults(agent.id), revoked: agent.revokedAt !== null, checks,
  };
}

/** Exactly `availabilityFor(src, 'check', id, '24h', now).availability`, from check info already read. */
async function availability24h(src: AvailabilitySource, check: CheckInfo | undefined, id: string, targetPpm: number, now: number): Promise<number | null> {
  if (!check) return (await availabilityFor(src, 'check', id, '24h', now)).availability;
  const span = resolveWindow('24h', now, check.timeZone);
  const target = { id, name: check.name, timeZone: check.timeZone, targetPpm };
  return figureOf('check', target, span, await checkTotals(src, check, span.from, span.until)).availability;
}
