import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { MeSchema, LoginRequestSchema, LanguageSchema, type LoginRequest, type Me } from '@nines/shared';
import { hashSecret, newSecret, verifyPassword } from '../../auth/secrets.ts';
import { SESSION_COOKIE, type Identity } from '../../auth/identity.ts';
import { CSRF_COOKIE, csrfTokenFor } from '../../auth/csrf.ts';
import { NinesError } from '../../errors.ts';
import { LoginThrottle } from '../../auth/login-throttle.ts';

const LanguageBody = Type.Object({ language: Type.Union([Type.Null(), LanguageSchema]) }, { additionalProperties: false });

export const SESSION_TTL_MS = 12 * 3_600_000; // a working day at the dashboard, then log in again
// Per client address (the real one behind a trusted proxy, see trustedProxies): enough for typos, far too few for
// guessing (10/min ≈ 14,400 a day against a ≥ 12-char password). Per username as well: auth/login-throttle.ts.
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;

// A valid scrypt hash of a random password: unknown users cost the same time as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function me(identity: Pick<Identity, 'user'>, sessionId: string | undefined): Me {
  const { user } = identity;
  return {
    username: user.username, role: user.role, clientId: user.clientId, language: user.language === 'de' || user.language === 'en' ? user.language : null,
    csrfToken: sessionId === undefined ? null : csrfTokenFor(sessionId),
  };
}

/** Cookies are `secure` whenever the dashboard is reached over https (directly or via a proxy that says so). */
function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** POST/GET/DELETE /api/v1/session: password login for people; scripts use API tokens instead. */
export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock, liveSockets } = app.nines;
  const throttle = new LoginThrottle();
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new NinesError('LOGIN_RATE_LIMITED'),
  });

  app.post<{ Body: LoginRequest }>(
    '/api/v1/session',
    {
      schema: { body: LoginRequestSchema, response: { 200: MeSchema } },
      config: { access: 'public', rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { username } = request.body;
      if (throttle.isLocked(username, clock())) {
        request.log.warn({ username }, 'login refused: too many failures for this username');
        throw new NinesError('LOGIN_RATE_LIMITED');
      }
      const user = await store.findUserByName(username);
      const ok = await verifyPassword(request.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        throttle.recordFailure(username, clock());
        request.log.warn({ username }, 'login failed');
        throw new NinesError('BAD_LOGIN');
      }
      throttle.recordSuccess(username);
      const sessionId = newSecret();
      const now = clock();
      const ttl = app.nines.sessionTtlMs;
      await store.createSession(hashSecret(sessionId), user.id, now, now + ttl);
      const secure = isHttps(request);
      reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: Math.ceil(ttl / 1000) });
      // Readable by the page on purpose: it echoes the value in the x-nines-csrf header.
      reply.setCookie(CSRF_COOKIE, csrfTokenFor(sessionId), { path: '/', httpOnly: false, sameSite: 'strict', secure, maxAge: Math.ceil(ttl / 1000) });
      request.log.info({ username: user.username }, 'login');
      return me({ user }, sessionId);
    },
  );

  app.get('/api/v1/session', { schema: { response: { 200: MeSchema } }, config: { access: 'client' } }, async (request) => {
    const identity = request.identity!;
    return me(identity, identity.sessionId);
  });

  app.delete('/api/v1/session', { config: { access: 'client' } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      await store.deleteSession(hashSecret(cookie));
      liveSockets.endSession(hashSecret(cookie));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  /** Any user may choose the UI language for themselves (null: follow the browser). */
  app.put<{ Body: { language: 'de' | 'en' | null } }>('/api/v1/session/language', { schema: { body: LanguageBody }, config: { access: 'client' } }, async (request, reply) => {
    await store.management.setUserLanguage(request.identity!.user.id, request.body.language);
    return reply.code(204).send();
  });
}
