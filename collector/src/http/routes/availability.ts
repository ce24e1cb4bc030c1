import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { identityOf, requireAdmin, requireVisible } from '../../auth/guards.ts';
import { availabilityFor, incidents, scopeTarget, setCheckSla, checksOfClient, type AvailabilitySource } from '../../availability/index.ts';
import { NinesError } from '../../errors.ts';

const ScopeQuery = Type.Object({
  scope: Type.Union([Type.Literal('check'), Type.Literal('host'), Type.Literal('client')]),
  id: Type.String({ minLength: 1, maxLength: 200, description: 'check: agentId/checkId; host: agent id; client: id or name' }),
  window: Type.Optional(Type.String({ maxLength: 16, description: '24h, 7d, 30d, month, or YYYY-MM (default 30d)' })),
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  to: Type.Optional(Type.Integer({ minimum: 0 })),
});
type ScopeQuery = Static<typeof ScopeQuery>;

/**
 * The longest custom window (from/to): a year and a month, enough for a yearly figure. Longer ones walked decades
 * of empty hours per check on the event loop (`from=0`). Named windows (24h … a month) are short already.
 */
export const MAX_AVAILABILITY_WINDOW_MS = 397 * 86_400_000;

const SlaBody = Type.Object({ critical: Type.Boolean(), weight: Type.Integer({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false });
const SlaParams = Type.Object({ agentId: Type.String({ maxLength: 100 }), checkId: Type.String({ maxLength: 64 }) });

/**
 * GET /api/v1/availability and /api/v1/incidents for a check, host or client the caller may see; PUT/DELETE a
 * check's SLA role (admin). The rollups behind them are kept current by availability/plugin.ts.
 */
export async function availabilityRoutes(app: FastifyInstance): Promise<void> {
  const src = app.nines.store;
  const resolve = async (request: Parameters<typeof identityOf>[0], q: ScopeQuery) => {
    // A missing target and another tenant's get the same 404 text, or names of other clients could be confirmed.
    requireVisible(request, await findTarget(src, q.scope, q.id), q.scope);
    if ((q.from === undefined) !== (q.to === undefined)) throw new NinesError('BAD_REQUEST', 'from and to go together');
    if (q.from !== undefined && q.to! - q.from > MAX_AVAILABILITY_WINDOW_MS) {
      throw new NinesError('BAD_REQUEST', `a custom window spans at most ${MAX_AVAILABILITY_WINDOW_MS / 86_400_000} days`);
    }
    return q.from !== undefined ? { from: q.from, to: q.to! } : q.window ?? '30d';
  };

  app.get<{ Querystring: ScopeQuery }>('/api/v1/availability', { config: { access: 'client' }, schema: { querystring: ScopeQuery } }, async (request) => {
    const window = await resolve(request, request.query);
    return availabilityFor(src, request.query.scope, request.query.id, window, app.nines.clock());
  });

  app.get<{ Querystring: ScopeQuery }>('/api/v1/incidents', { config: { access: 'client' }, schema: { querystring: ScopeQuery } }, async (request) => {
    const window = await resolve(request, request.query);
    return { incidents: await incidents(src, request.query.scope, request.query.id, window, app.nines.clock()) };
  });

  app.get<{ Querystring: { clientId: number } }>(
    '/api/v1/availability/checks',
    { config: { access: 'client' }, schema: { querystring: Type.Object({ clientId: Type.Integer({ minimum: 1 }) }) } },
    async (request) => {
      const { clientIds } = identityOf(request);
      if (clientIds !== null && !clientIds.has(request.query.clientId)) throw new NinesError('NOT_FOUND', 'client');
      return { checks: await checksOfClient(src, request.query.clientId) };
    },
  );

  app.put<{ Params: Static<typeof SlaParams>; Body: Static<typeof SlaBody> }>(
    '/api/v1/availability/checks/:agentId/:checkId',
    { config: { access: 'admin' }, schema: { params: SlaParams, body: SlaBody } },
    async (request) => {
      requireAdmin(request);
      await setCheckSla(src, request.params, request.body, app.nines.clock());
      return { agentId: request.params.agentId, checkId: request.params.checkId, ...request.body };
    },
  );

  app.delete<{ Params: Static<typeof SlaParams> }>('/api/v1/availability/checks/:agentId/:checkId', { config: { access: 'admin' }, schema: { params: SlaParams } }, async (request, reply) => {
    requireAdmin(request);
    await setCheckSla(src, request.params, null, app.nines.clock());
    return reply.code(204).send();
  });
}

async function findTarget(src: AvailabilitySource, scope: ScopeQuery['scope'], id: string): Promise<{ clientId: number } | undefined> {
  try {
    return await scopeTarget(src, scope, id);
  } catch (error) {
    if (error instanceof NinesError && error.statusCode === 404) return undefined;
    throw error;
  }
}
