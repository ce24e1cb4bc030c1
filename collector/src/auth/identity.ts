import type { FastifyRequest } from 'fastify';
import type { UserRecord } from '../store/store.ts';
import type { CollectorContext } from '../context.ts';
import { hashSecret } from './secrets.ts';

export const SESSION_COOKIE = 'nines_session';

/** Who is asking: an admin sees every client; a client user only its own (tenant from identity, never from a parameter). */
export interface Identity {
  user: UserRecord;
  /** null = all clients (admin). */
  clientIds: ReadonlySet<number> | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export function identityOf(user: UserRecord): Identity {
  return { user, clientIds: user.role === 'admin' ? null : new Set(user.clientId === null ? [] : [user.clientId]) };
}

/** Resolves the session cookie or `Authorization: Bearer <api token>` to an identity. */
export function resolveIdentity(request: FastifyRequest, ctx: CollectorContext): Identity | null {
  const now = ctx.clock();
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const user = ctx.store.sessionUser(hashSecret(cookie), now);
    if (user) return identityOf(user);
  }
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && !header.includes('.')) {
    const user = ctx.store.apiTokenUser(hashSecret(header.slice(7)), now);
    if (user) return identityOf(user);
  }
  return null;
}

export function canSeeClient(identity: Identity, clientId: number): boolean {
  return identity.clientIds === null || identity.clientIds.has(clientId);
}
