import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { NinesError } from '../errors.ts';

export const CSRF_COOKIE = 'nines_csrf';
export const CSRF_HEADER = 'x-nines-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token of a session: derived from the session id, so it needs no storage and a cookie
 * planted by a sibling subdomain cannot match it. The page reads it from a non-httpOnly cookie
 * and echoes it in a header (double submit); a cross-site form can do neither.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`nines-csrf:${sessionId}`).digest('base64url');
}

export function csrfHeaderMatches(request: FastifyRequest, sessionId: string): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Refuses state-changing requests made with the session cookie unless they carry the CSRF header.
 * Bearer-token requests are exempt: a browser never attaches those on its own.
 * Registered without encapsulation so it guards every route.
 */
export async function csrfProtection(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const identity = request.identity;
    if (!identity || identity.via !== 'session' || identity.sessionId === undefined) return;
    if (!csrfHeaderMatches(request, identity.sessionId)) throw new NinesError('CSRF');
  });
}
(csrfProtection as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
