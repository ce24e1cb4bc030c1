import type { FastifyRequest } from 'fastify';
import { NinesError } from '../errors.ts';
import { canSeeClient, type Identity } from './identity.ts';

/** The caller's identity; routes run after the auth hook, so a missing one is a wiring bug, reported as 401. */
export function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw new NinesError('UNAUTHORIZED');
  return request.identity;
}

/** Management routes: admins only. Client users get 403 (they know the route exists; it is in the docs). */
export function requireAdmin(request: FastifyRequest): Identity {
  const identity = identityOf(request);
  if (identity.user.role !== 'admin') throw new NinesError('FORBIDDEN', 'admin only');
  return identity;
}

/**
 * A client-owned resource the caller must be allowed to see. An invisible one is reported exactly
 * like a missing one (404), so ids of other tenants cannot be probed.
 */
export function requireVisible<T extends { clientId: number }>(request: FastifyRequest, resource: T | undefined, what: string): T {
  const identity = identityOf(request);
  if (!resource || !canSeeClient(identity, resource.clientId)) throw new NinesError('NOT_FOUND', what);
  return resource;
}
