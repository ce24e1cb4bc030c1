import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiTokenSchema, ApiTokenCreateSchema, ApiTokenCreatedSchema, type ApiTokenCreate } from '@nines/shared';
import { requireAdmin } from '../../auth/guards.ts';
import { hashSecret, newSecret } from '../../auth/secrets.ts';
import { ManagementQueries } from '../../management/queries.ts';
import { NinesError } from '../../errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * API tokens for scripts (admin): `Authorization: Bearer <token>`, acting as the user they belong to
 * (a client user's token reads only that client). Shown once, stored as a SHA-256 hash.
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;
  const queries = ManagementQueries.of(store);

  app.get('/api/v1/tokens', { schema: { response: { 200: Type.Array(ApiTokenSchema) } } }, async (request) => {
    requireAdmin(request);
    return queries.listApiTokens();
  });

  app.post<{ Body: ApiTokenCreate }>('/api/v1/tokens', { schema: { body: ApiTokenCreateSchema, response: { 201: ApiTokenCreatedSchema } } }, async (request, reply) => {
    const identity = requireAdmin(request);
    const userId = request.body.userId ?? identity.user.id;
    if (!queries.getUser(userId)) throw new NinesError('NOT_FOUND', 'user');
    // No dot: `Bearer <agentId>.<secret>` is an agent credential, and identity resolution tells them apart by it.
    const token = newSecret();
    const tokenHash = hashSecret(token);
    store.createApiToken(tokenHash, userId, request.body.name, clock());
    return reply.code(201).send({ id: queries.apiTokenId(tokenHash), name: request.body.name, token });
  });

  app.delete<{ Params: { id: number } }>('/api/v1/tokens/:id', { schema: { params: IdParams } }, async (request, reply) => {
    requireAdmin(request);
    if (!queries.deleteApiToken(request.params.id)) throw new NinesError('NOT_FOUND', 'API token');
    return reply.code(204).send();
  });
}
