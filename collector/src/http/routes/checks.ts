import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AssignedChecksSchema, checkConfigErrors, type AssignedChecks, type CheckConfig } from '@nines/shared';
import { requireAdmin, requireVisible } from '../../auth/guards.ts';
import { NinesError } from '../../errors.ts';
import type { CollectorContext } from '../../context.ts';

const AgentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const CheckParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), checkId: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * Stores the new assignment, bumps the config version and pushes it to the agent if it is connected: to this
 * collector, or to another one sharing the database, which hears of it as `configAssigned` (pushConfigHeld).
 */
async function assign(ctx: CollectorContext, agent: { id: string; clientId: number }, checks: CheckConfig[]): Promise<AssignedChecks> {
  const version = await ctx.store.assignChecks(agent.id, checks);
  const pushed = ctx.connections.send(agent.id, JSON.stringify({ type: 'config', version, checks }));
  ctx.events.emit('configAssigned', { agentId: agent.id, clientId: agent.clientId, version });
  const elsewhere = !pushed && ctx.store.coordination.shared && (await ctx.store.getAgent(agent.id))?.connected === true;
  return { version, checks, pushed: pushed || elsewhere };
}

/** Another collector assigned checks to an agent whose socket is here: push what is stored now (never older). */
async function pushConfigHeld(ctx: CollectorContext, { agentId, remote }: { agentId: string; remote?: true }): Promise<void> {
  if (!remote || !ctx.connections.isConnected(agentId)) return;
  const { version, checks } = await ctx.store.assignedConfig(agentId);
  ctx.connections.send(agentId, JSON.stringify({ type: 'config', version, checks }));
}

/**
 * The checks the collector assigns to an agent (admin): validated against the same shared schemas
 * the agent uses, so a check the dashboard accepts is one the agent can run.
 */
export async function checkRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.nines;
  const onAssigned = (event: { agentId: string; remote?: true }) =>
    void pushConfigHeld(ctx, event).catch((err: unknown) => app.log.warn({ err, agentId: event.agentId }, 'could not push the checks another collector assigned'));
  ctx.events.on('configAssigned', onAssigned);
  app.addHook('onClose', async () => void ctx.events.off('configAssigned', onAssigned));

  app.get<{ Params: { id: string } }>(
    '/api/v1/agents/:id/config',
    { config: { access: 'client' }, schema: { params: AgentParams, response: { 200: AssignedChecksSchema } } },
    async (request) => {
      const agent = requireVisible(request, await ctx.store.getAgent(request.params.id), 'agent');
      const { version, checks } = await ctx.store.assignedConfig(agent.id);
      return { version, checks, pushed: ctx.connections.isConnected(agent.id) };
    },
  );

  // Body validated by checkConfigErrors, not a route schema: a union's schema errors only say "Expected union value".
  app.put<{ Params: { id: string; checkId: string }; Body: unknown }>(
    '/api/v1/agents/:id/checks/:checkId',
    { config: { access: 'admin' }, schema: { params: CheckParams, response: { 200: AssignedChecksSchema } } },
    async (request) => {
      requireAdmin(request);
      const agent = requireVisible(request, await ctx.store.getAgent(request.params.id), 'agent');
      const body = request.body as Record<string, unknown> | null;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NinesError('INVALID_CHECK', 'expected a JSON object');
      const check = { ...body, id: body.id ?? request.params.checkId };
      if (check.id !== request.params.checkId) throw new NinesError('INVALID_CHECK', `id "${String(check.id)}" does not match the URL's "${request.params.checkId}"`);
      const problems = checkConfigErrors(check);
      if (problems.length > 0) throw new NinesError('INVALID_CHECK', problems.join('; '));
      const others = (await ctx.store.assignedConfig(agent.id)).checks.filter((c) => c.id !== request.params.checkId);
      const result = await assign(ctx, agent, [...others, check as CheckConfig]);
      request.log.info({ agentId: agent.id, checkId: request.params.checkId, version: result.version }, 'check assigned');
      return result;
    },
  );

  app.delete<{ Params: { id: string; checkId: string } }>(
    '/api/v1/agents/:id/checks/:checkId',
    { config: { access: 'admin' }, schema: { params: CheckParams, response: { 200: AssignedChecksSchema } } },
    async (request) => {
      requireAdmin(request);
      const agent = requireVisible(request, await ctx.store.getAgent(request.params.id), 'agent');
      const current = (await ctx.store.assignedConfig(agent.id)).checks;
      if (!current.some((c) => c.id === request.params.checkId)) throw new NinesError('NOT_FOUND', 'assigned check');
      return assign(ctx, agent, current.filter((c) => c.id !== request.params.checkId));
    },
  );
}
