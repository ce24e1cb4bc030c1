import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { hashSecret, newSecret, verifyPassword } from '../../auth/secrets.ts';
import { SESSION_COOKIE } from '../../auth/identity.ts';
import { NinesError } from '../../errors.ts';

const SESSION_TTL_MS = 12 * 3_600_000; // a working day at the dashboard, then log in again

const LoginSchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
const MeSchema = Type.Object({
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('client')]),
  clientId: Type.Union([Type.Integer(), Type.Null()]),
});

// A valid scrypt hash of a random password: unknown users cost the same time as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;

  app.post<{ Body: Static<typeof LoginSchema> }>(
    '/api/v1/session',
    { schema: { body: LoginSchema, response: { 200: MeSchema } }, config: { public: true } },
    async (request, reply) => {
      const user = store.findUserByName(request.body.username);
      const ok = await verifyPassword(request.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        request.log.warn({ username: request.body.username }, 'login failed');
        throw new NinesError('BAD_LOGIN');
      }
      const sessionId = newSecret();
      const now = clock();
      store.createSession(hashSecret(sessionId), user.id, now, now + SESSION_TTL_MS);
      reply.setCookie(SESSION_COOKIE, sessionId, {
        path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: SESSION_TTL_MS / 1000,
      });
      request.log.info({ username: user.username }, 'login');
      return { username: user.username, role: user.role, clientId: user.clientId };
    },
  );

  app.get('/api/v1/session', { schema: { response: { 200: MeSchema } } }, async (request) => {
    const { user } = request.identity!;
    return { username: user.username, role: user.role, clientId: user.clientId };
  });

  app.delete('/api/v1/session', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) store.deleteSession(hashSecret(cookie));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}
