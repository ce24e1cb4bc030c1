import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  compareVersions, AgentDetailSchema, AgentPatchSchema, CheckHistorySchema, HistoryQuerySchema,
  type AgentDetail, type AgentPatch, type CheckHistory, type HistoryQuery,
} from '@nines/shared';
import { identityOf, requireAdmin, requireVisible } from '../../auth/guards.ts';
import { canSeeClient } from '../../auth/identity.ts';
import { availabilityFor, checkStates } from '../../availability/index.ts';
import { revokeAgent } from '../../ingest/revocation.ts';
import { NinesError } from '../../errors.ts';
import type { AgentRecord } from '../../store/store.ts';

const DAY_MS = 86_400_000;
const DEFAULT_HISTORY_MS = DAY_MS;
const MAX_HISTORY_MS = 31 * DAY_MS; // a month of charts; longer ranges are the reports' job
const DEFAULT_HISTORY_POINTS = 5_000;

const AgentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const CheckParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), checkId: Type.String({ minLength: 1, maxLength: 100 }) });
const AgentListItem = Type.Omit(AgentDetailSchema.properties.agent, []);

/** `offered`: the version of the published agent builds (upgrade/offer.ts), null when none are. */
function agentInfo(agent: AgentRecord, storedResults: number, offered: string | null) {
  const newer = offered !== null && agent.agentVersion !== null && compareVersions(offered, agent.agentVersion) === 1;
  return {
    updateAvailable: newer ? offered : null,
    id: agent.id, name: agent.name, client: agent.clientName, clientId: agent.clientId, hostname: agent.hostname, platform: agent.platform,
    agentVersion: agent.agentVersion, connected: agent.connected, lastSeenAt: agent.lastSeenAt, lastSeq: agent.lastSeq, storedResults,
    backlog: agent.backlog, clockOffsetMs: agent.clockOffsetMs, revoked: agent.revokedAt !== null,
  };
}

/** Hosts (agents): list, detail with checks, a check's history for charts, and (admin) rename and revoke. */
export async function agentRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;
  const { management } = store;
  const offered = () => app.nines.upgrade.offer()?.version ?? null;

  app.get('/api/v1/agents', { config: { access: 'client' }, schema: { response: { 200: Type.Array(AgentListItem) } } }, async (request) => {
    const identity = identityOf(request);
    const version = offered(); // once per request: it reads the downloads directory
    return (await Promise.all((await store.listAgents()).filter((a) => canSeeClient(identity, a.clientId)).map(async (a) => agentInfo(a, await store.countResults(a.id), version))));
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/agents/:id',
    { config: { access: 'client' }, schema: { params: AgentParams, response: { 200: AgentDetailSchema } } },
    async (request): Promise<AgentDetail> => {
      const agent = requireVisible(request, await store.getAgent(request.params.id), 'agent');
      const now = clock();
      const assigned = new Set((await store.assignedConfig(agent.id)).checks.map((c) => c.id));
      const checks = await Promise.all((await store.listChecks(agent.id)).map(async (check) => {
        return {
          id: check.id, name: check.name, kind: check.kind, status: check.status ?? 'UNKNOWN', message: check.message, code: check.code, params: check.params,
          lastResultAt: check.lastResultAt, // The engine's figure, as in status and reports: gaps UNKNOWN, maintenance excluded.
          availability24h: (await availabilityFor(store, 'check', `${agent.id}/${check.id}`, '24h', now)).availability,
          intervalMs: check.intervalMs, metrics: check.metrics ?? {}, details: await management.latestDetails(agent.id, check.id), assigned: assigned.has(check.id), labels: check.labels,
        };
      }));
      return { agent: agentInfo(agent, await store.countResults(agent.id), offered()), configVersion: agent.configVersion, checks };
    },
  );

  app.get<{ Params: { id: string; checkId: string }; Querystring: HistoryQuery }>(
    '/api/v1/agents/:id/checks/:checkId/history',
    { config: { access: 'client' }, schema: { params: CheckParams, querystring: HistoryQuerySchema, response: { 200: CheckHistorySchema } } },
    async (request): Promise<CheckHistory> => {
      const agent = requireVisible(request, await store.getAgent(request.params.id), 'agent');
      if (!(await store.listChecks(agent.id)).some((c) => c.id === request.params.checkId)) throw new NinesError('NOT_FOUND', 'check');
      const to = request.query.to ?? clock();
      const from = request.query.from ?? to - DEFAULT_HISTORY_MS;
      if (from >= to) throw new NinesError('BAD_REQUEST', '`from` must be before `to`');
      if (to - from > MAX_HISTORY_MS) throw new NinesError('BAD_REQUEST', 'at most 31 days of history per request');
      const limit = request.query.limit ?? DEFAULT_HISTORY_POINTS;
      const results = await store.resultsBetween(agent.id, request.params.checkId, from, to);
      const kept = results.slice(-limit);
      return {
        agentId: agent.id, checkId: request.params.checkId, from, to, truncated: kept.length < results.length,
        points: kept.map((r) => ({ at: r.startedAt, status: r.status, message: r.message, code: r.code ?? null, params: r.params ?? null, metrics: r.metrics })),
        states: await checkStates(store, agent.id, request.params.checkId, from, to),
      };
    },
  );

  app.patch<{ Params: { id: string }; Body: AgentPatch }>(
    '/api/v1/agents/:id',
    { config: { access: 'admin' }, schema: { params: AgentParams, body: AgentPatchSchema, response: { 200: AgentListItem } } },
    async (request) => {
      requireAdmin(request);
      if (!(await management.renameAgent(request.params.id, request.body.name))) throw new NinesError('NOT_FOUND', 'agent');
      const agent = (await store.getAgent(request.params.id))!;
      return agentInfo(agent, agent.lastSeq, offered());
    },
  );

  /** Revoking is final: the stored results stay, the credential is refused from now on and an open socket is closed. */
  app.delete<{ Params: { id: string } }>('/api/v1/agents/:id', { config: { access: 'admin' }, schema: { params: AgentParams } }, async (request, reply) => {
    requireAdmin(request);
    if ((await revokeAgent(app.nines, request.params.id)).outcome === 'unknown') throw new NinesError('NOT_FOUND', 'agent');
    request.log.info({ agentId: request.params.id }, 'agent revoked from the dashboard');
    return reply.code(204).send();
  });
}
