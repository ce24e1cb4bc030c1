import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiTokenSchema, ApiTokenCreateSchema, ApiTokenCreatedSchema, type ApiTokenCreate } from '@nines/shared';
import { requireAdmin } from '../../auth/guards.ts';
import { hashSecret, newSecret } from '../../auth/secrets.ts';
import { NinesError } from '../../errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * API tokens for scripts (admin): `Authorization: Bearer <token>`, acting as the user they belong to
 * (a client user's token reads only that client), within the token's scope (read / write / admin, see
 * ApiTokenScopeSchema) and until its expiry. Shown once, stored as a SHA-256 hash.
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock, liveSockets } = app.nines;
  const { management } = store;

  app.get('/api/v1/tokens', { config: { access: 'admin', scope: 'admin' }, schema: { response: { 200: Type.Array(ApiTokenSchema) } } }, async (request) => {
    requireAdmin(request);
    return await management.listApiTokens();
  });

  app.post<{ Body: ApiTokenCreate }>('/api/v1/tokens', { config: { access: 'admin', scope: 'admin' }, schema: { body: ApiTokenCreateSchema, response: { 201: ApiTokenCreatedSchema } } }, async (request, reply) => {
    const identity = requireAdmin(request);
    const userId = request.body.userId ?? identity.user.id;
    if (!(await management.getUser(userId))) throw new NinesError('NOT_FOUND', 'user');
    const { name, scope, expiresAt = null } = request.body;
    const now = clock();
    if (expiresAt !== null && expiresAt <= now) throw new NinesError('BAD_REQUEST', 'expiresAt must lie in the future (ms UTC), or be null for a token that does not expire');
    // No dot: `Bearer <agentId>.<secret>` is an agent credential, and identity resolution tells them apart by it.
    const token = newSecret();
    const tokenHash = hashSecret(token);
    const id = await store.createApiToken(tokenHash, userId, name, now, { scope, expiresAt });
    request.log.info({ name, userId, scope, expiresAt }, 'API token created');
    return reply.code(201).send({ id, name, scope, expiresAt, token });
  });

  app.delete<{ Params: { id: number } }>('/api/v1/tokens/:id', { config: { access: 'admin', scope: 'admin' }, schema: { params: IdParams } }, async (request, reply) => {
    requireAdmin(request);
    if (!(await management.deleteApiToken(request.params.id))) throw new NinesError('NOT_FOUND', 'API token');
    liveSockets.endToken(request.params.id);
    return reply.code(204).send();
  });
}
