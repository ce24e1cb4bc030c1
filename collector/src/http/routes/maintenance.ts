import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { identityOf, requireAdmin } from '../../auth/guards.ts';
import { createMaintenance, deleteMaintenance, listMaintenance } from '../../availability/index.ts';
import { NinesError } from '../../errors.ts';

// Null first: Fastify's Ajv coerces types, and would turn a null into 0 or "" for an earlier branch.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);

const WindowBody = Type.Object(
  {
    clientId: Type.Integer({ minimum: 1 }),
    agentId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    checkId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    recurrence: Type.Union([Type.Literal('once'), Type.Literal('daily'), Type.Literal('weekly')]),
    startsAt: Type.Integer({ minimum: 0 }),
    endsAt: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    localTime: Type.Optional(Nullable(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }))),
    durationMs: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    weekdays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 127, description: 'bit set: Monday = 1 … Sunday = 64' }))),
  },
  { additionalProperties: false },
);

/** Maintenance windows: list (clients see their own), create and delete (admin). Figures they touch are recomputed. */
export async function maintenanceRoutes(app: FastifyInstance): Promise<void> {
  const src = app.nines.store;

  app.get<{ Querystring: { clientId: number } }>(
    '/api/v1/maintenance',
    { config: { access: 'client' }, schema: { querystring: Type.Object({ clientId: Type.Integer({ minimum: 1 }) }) } },
    async (request) => {
      const { clientIds } = identityOf(request);
      if (clientIds !== null && !clientIds.has(request.query.clientId)) throw new NinesError('NOT_FOUND', 'client');
      return { windows: await listMaintenance(src, request.query.clientId) };
    },
  );

  app.post<{ Body: Static<typeof WindowBody> }>('/api/v1/maintenance', { config: { access: 'admin' }, schema: { body: WindowBody } }, async (request, reply) => {
    requireAdmin(request);
    const b = request.body;
    const window = await createMaintenance(src, {
      clientId: b.clientId, agentId: b.agentId ?? null, checkId: b.checkId ?? null, title: b.title ?? '', recurrence: b.recurrence, startsAt: b.startsAt,
      endsAt: b.endsAt ?? null, localTime: b.localTime ?? null, durationMs: b.durationMs ?? null, weekdays: b.weekdays ?? null,
    }, app.nines.clock());
    return reply.code(201).send(window);
  });

  app.delete<{ Params: { id: number } }>('/api/v1/maintenance/:id', { config: { access: 'admin' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    requireAdmin(request);
    if (!(await deleteMaintenance(src, request.params.id, app.nines.clock()))) throw new NinesError('NOT_FOUND', `maintenance window ${request.params.id}`);
    return reply.code(204).send();
  });
}
