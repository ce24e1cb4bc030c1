import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { EnrollRequestSchema, EnrollResponseSchema, type EnrollRequest } from '@nines/shared';
import { hashSecret, newAgentId, newSecret } from '../../auth/secrets.ts';
import { NinesError } from '../../errors.ts';

const problemError = { unknown: 'TOKEN_UNKNOWN', used: 'TOKEN_USED', expired: 'TOKEN_EXPIRED' } as const;
/**
 * Per client address and minute. Tokens are 192 random bits, so guessing is hopeless anyway; the limit
 * keeps a misbehaving install script (or a scanner) from filling the log and the agents table's neighbour.
 * A consultant enrolling a whole office from one NAT address does a few machines a minute, well under it.
 */
export const ENROLL_ATTEMPTS_PER_MINUTE = 10;

/** POST /api/v1/enroll: a single-use token buys an agent identity; the secret is shown this once. */
export async function enrollRoutes(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => new NinesError('ENROLL_RATE_LIMITED') });
  app.post<{ Body: EnrollRequest }>(
    '/api/v1/enroll',
    {
      schema: { body: EnrollRequestSchema, response: { 200: EnrollResponseSchema } },
      config: { access: 'public', rateLimit: { max: ENROLL_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } },
    },
    async (request) => {
      const { store, clock } = app.nines;
      const agentId = newAgentId();
      const secret = newSecret();
      const outcome = await store.enrollAgent(
        hashSecret(request.body.token),
        { id: agentId, name: request.body.hostname, secretHash: hashSecret(secret), platform: request.body.platform, agentVersion: request.body.agentVersion },
        clock(),
      );
      if ('problem' in outcome) {
        request.log.warn({ problem: outcome.problem, hostname: request.body.hostname }, 'enrollment refused');
        throw new NinesError(problemError[outcome.problem]);
      }
      request.log.info({ agentId, clientId: outcome.clientId, hostname: request.body.hostname }, 'agent enrolled');
      return { agentId, secret, signingKey: app.nines.upgrade.signingKey.publicKey };
    },
  );
}
