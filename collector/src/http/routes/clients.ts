import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ClientSchema, ClientCreateSchema, ClientUpdateSchema, OverviewResponseSchema, StatusResponseSchema, ClientAvailabilitySchema,
  type ClientCreate, type ClientUpdate,
} from '@nines/shared';
import { identityOf, requireAdmin, requireVisible } from '../../auth/guards.ts';
import { clientAvailability } from '../../management/availability.ts';
import { NinesError } from '../../errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const OverviewQuery = Type.Object({ client: Type.Optional(Type.Integer({ minimum: 1, description: "one client's row only, with every host's bar" })) }, { additionalProperties: false });
const ClientDetailSchema = Type.Object({ client: ClientSchema, agents: StatusResponseSchema.properties.agents });

/** Clients: the overview (one row each, worst first), a client's hosts, and (admin) create/edit. */
export async function clientRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;
  const { management } = store;

  app.get<{ Querystring: { client?: number } }>(
    '/api/v1/overview',
    { config: { access: 'client' }, schema: { querystring: OverviewQuery, response: { 200: OverviewResponseSchema } } },
    async (request) => {
      // From the overview in memory (live/overview-model.ts): a client's request reads its own rows only, and a row is
      // recomputed only after a change, from that client's agents and checks.
      const now = clock();
      const visible = identityOf(request).clientIds;
      const wanted = request.query.client;
      // `?client=` is the client page's one row, with every host's bar: another tenant's id reads nothing, as a missing
      // one. The list carries a few bars a row (what the overview draws), or a client of 10,000 hosts would be 29 MB.
      const ids = wanted === undefined ? visible : new Set(visible === null || visible.has(wanted) ? [wanted] : []);
      return { generatedAt: now, clients: await app.overview.read(ids, wanted !== undefined) };
    },
  );

  app.get('/api/v1/clients', { config: { access: 'client' }, schema: { response: { 200: Type.Array(ClientSchema) } } }, async (request) => {
    return await management.listClients(identityOf(request).clientIds);
  });

  app.get<{ Params: { id: number } }>(
    '/api/v1/clients/:id',
    { config: { access: 'client' }, schema: { params: IdParams, response: { 200: ClientDetailSchema } } },
    async (request) => {
      const client = requireVisible(request, withClientId(await management.getClient(request.params.id)), 'client');
      return { client, agents: await app.statusModel.agents([client.id]) };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/clients/:id/availability',
    { config: { access: 'client' }, schema: { params: IdParams, response: { 200: ClientAvailabilitySchema } } },
    async (request) => {
      const client = requireVisible(request, withClientId(await management.getClient(request.params.id)), 'client');
      return clientAvailability(store, client.id, clock());
    },
  );

  app.post<{ Body: ClientCreate }>(
    '/api/v1/clients',
    { config: { access: 'admin' }, schema: { body: ClientCreateSchema, response: { 201: ClientSchema } } },
    async (request, reply) => {
      requireAdmin(request);
      assertTimeZone(request.body.timezone);
      if (await management.clientNameTaken(request.body.name.trim())) throw new NinesError('CONFLICT', `client "${request.body.name}"`);
      return reply.code(201).send(await management.createClient(request.body, clock()));
    },
  );

  app.patch<{ Params: { id: number }; Body: ClientUpdate }>(
    '/api/v1/clients/:id',
    { config: { access: 'admin' }, schema: { params: IdParams, body: ClientUpdateSchema, response: { 200: ClientSchema } } },
    async (request) => {
      requireAdmin(request);
      if (!(await management.getClient(request.params.id))) throw new NinesError('NOT_FOUND', 'client');
      assertTimeZone(request.body.timezone);
      if (request.body.name && await management.clientNameTaken(request.body.name.trim(), request.params.id)) {
        throw new NinesError('CONFLICT', `client "${request.body.name}"`);
      }
      return await management.updateClient(request.params.id, request.body)!;
    },
  );
}

function withClientId<T extends { id: number }>(client: T | undefined): (T & { clientId: number }) | undefined {
  return client && { ...client, clientId: client.id };
}

/** Reports cut months in the client's zone: an unknown zone must be refused here, not fail a report later. */
function assertTimeZone(zone: string | undefined): void {
  if (zone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new NinesError('BAD_REQUEST', `unknown time zone "${zone}"`);
  }
}
