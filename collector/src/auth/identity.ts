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
  /** A browser session (cookie: needs the CSRF header on writes) or a script's API token (exempt). */
  via: 'session' | 'token';
  /** The session id as the cookie carries it; the CSRF token is derived from it. */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    /** The route needs no login (health, enrollment, the login itself). */
    public?: boolean;
  }
}

export function identityOf(user: UserRecord, via: Identity['via'] = 'token', sessionId?: string): Identity {
  const clientIds = user.role === 'admin' ? null : new Set(user.clientId === null ? [] : [user.clientId]);
  return sessionId === undefined ? { user, clientIds, via } : { user, clientIds, via, sessionId };
}

/** Resolves the session cookie or `Authorization: Bearer <api token>` to an identity. */
export function resolveIdentity(request: FastifyRequest, ctx: CollectorContext): Identity | null {
  const now = ctx.clock();
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const user = ctx.store.sessionUser(hashSecret(cookie), now);
    if (user) return identityOf(user, 'session', cookie);
  }
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && !header.includes('.')) {
    const user = ctx.store.apiTokenUser(hashSecret(header.slice(7)), now);
    if (user) return identityOf(user, 'token');
  }
  return null;
}

export function canSeeClient(identity: Identity, clientId: number): boolean {
  return identity.clientIds === null || identity.clientIds.has(clientId);
}

export function isAdmin(identity: Identity): boolean {
  return identity.user.role === 'admin';
}
