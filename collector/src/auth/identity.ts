import type { FastifyRequest } from 'fastify';
import type { ApiTokenScope } from '@nines/shared';
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
  /** What this credential may do within the user's rights: a session may do all (admin), a token what it was given. */
  scope: ApiTokenScope;
  /** When the session or token stops being valid (null = never): the live socket closes then. */
  expiresAt: number | null;
  /** The API token's row id, so deleting the token can end what it opened. */
  tokenId?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export function identityOf(
  user: UserRecord, via: Identity['via'] = 'token', sessionId?: string,
  grant: { scope?: ApiTokenScope; expiresAt?: number | null; tokenId?: number } = {},
): Identity {
  const clientIds = user.role === 'admin' ? null : new Set(user.clientId === null ? [] : [user.clientId]);
  const identity: Identity = { user, clientIds, via, scope: grant.scope ?? 'admin', expiresAt: grant.expiresAt ?? null };
  if (sessionId !== undefined) identity.sessionId = sessionId;
  if (grant.tokenId !== undefined) identity.tokenId = grant.tokenId;
  return identity;
}

/** Resolves the session cookie or `Authorization: Bearer <api token>` to an identity. */
export async function resolveIdentity(request: FastifyRequest, ctx: CollectorContext): Promise<Identity | null> {
  const now = ctx.clock();
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    const session = await ctx.store.session(hashSecret(cookie), now);
    if (session) return identityOf(session.user, 'session', cookie, { expiresAt: session.expiresAt });
  }
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && !header.includes('.')) {
    const token = await ctx.store.apiToken(hashSecret(header.slice(7)), now);
    if (token) return identityOf(token.user, 'token', undefined, { scope: token.scope, expiresAt: token.expiresAt, tokenId: token.tokenId });
  }
  return null;
}

export function canSeeClient(identity: Identity, clientId: number): boolean {
  return identity.clientIds === null || identity.clientIds.has(clientId);
}

export function isAdmin(identity: Identity): boolean {
  return identity.user.role === 'admin';
}
