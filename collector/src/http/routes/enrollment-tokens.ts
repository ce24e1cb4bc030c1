import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EnrollTokenCreateSchema, EnrollTokenCreatedSchema, type EnrollTokenCreate } from '@nines/shared';
import { requireAdmin } from '../../auth/guards.ts';
import { hashSecret, newEnrollToken } from '../../auth/secrets.ts';
import { InstallCommandError } from '@nines/shared';
import { installCommands } from '../../management/install-commands.ts';
import { NinesError } from '../../errors.ts';
import { DEFAULT_TOKEN_TTL_MS } from '../../commands/enroll-token.ts';

/** The collector's address as the browser reached it: what an agent on the client's network should use too. */
function collectorUrl(request: FastifyRequest): string {
  const proto = request.headers['x-forwarded-proto'] === 'https' || request.protocol === 'https' ? 'https' : 'http';
  return `${proto}://${request.host}`;
}

/** POST /api/v1/enrollment-tokens (admin): a single-use token for a client and the commands that use it. */
export async function enrollmentTokenRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;
  app.post<{ Body: EnrollTokenCreate }>(
    '/api/v1/enrollment-tokens',
    { config: { access: 'admin' }, schema: { body: EnrollTokenCreateSchema, response: { 201: EnrollTokenCreatedSchema } } },
    async (request, reply) => {
      requireAdmin(request);
      const client = await store.findClient(request.body.clientId);
      if (!client) throw new NinesError('NOT_FOUND', 'client');
      const now = clock();
      const expiresAt = now + (request.body.ttlHours === undefined ? DEFAULT_TOKEN_TTL_MS : request.body.ttlHours * 3_600_000);
      const token = newEnrollToken();
      // Built before the token is stored: a Host header no shell could take spends nothing.
      let commands: ReturnType<typeof installCommands>;
      try {
        commands = installCommands(collectorUrl(request), token);
      } catch (error) {
        if (error instanceof InstallCommandError) throw new NinesError('BAD_REQUEST', error.message);
        throw error;
      }
      await store.createEnrollToken(hashSecret(token), client.id, now, expiresAt);
      request.log.info({ clientId: client.id, expiresAt }, 'enrollment token created');
      return reply.code(201).send({ token, clientId: client.id, expiresAt, commands });
    },
  );
}
