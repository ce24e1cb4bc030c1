import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { UserSchema, UserCreateSchema, type UserCreate } from '@nines/shared';
import { requireAdmin } from '../../auth/guards.ts';
import { hashPassword } from '../../auth/secrets.ts';
import { NinesError } from '../../errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Users (admin): consultants are admins; a client user reads its one client's data and nothing else. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { store, clock } = app.nines;
  const { management } = store;

  app.get('/api/v1/users', { config: { access: 'admin', scope: 'admin' }, schema: { response: { 200: Type.Array(UserSchema) } } }, async (request) => {
    requireAdmin(request);
    return await management.listUsers();
  });

  app.post<{ Body: UserCreate }>('/api/v1/users', { config: { access: 'admin', scope: 'admin' }, schema: { body: UserCreateSchema, response: { 201: UserSchema } } }, async (request, reply) => {
    requireAdmin(request);
    const { username, password, role, clientId = null, language = null } = request.body;
    if (role === 'client' && (clientId === null || !await store.findClient(clientId))) throw new NinesError('BAD_REQUEST', 'a client user needs an existing clientId');
    if (role === 'admin' && clientId !== null) throw new NinesError('BAD_REQUEST', 'an admin sees every client; leave clientId out');
    if (await store.findUserByName(username)) throw new NinesError('CONFLICT', `user "${username}"`);
    const id = await store.createUser({ username, passwordHash: await hashPassword(password), role, clientId }, clock());
    if (language !== null) await management.setUserLanguage(id, language);
    request.log.info({ username, role, clientId }, 'user created');
    return reply.code(201).send(await management.getUser(id));
  });

  app.delete<{ Params: { id: number } }>('/api/v1/users/:id', { config: { access: 'admin', scope: 'admin' }, schema: { params: IdParams } }, async (request, reply) => {
    const identity = requireAdmin(request);
    const user = await management.getUser(request.params.id);
    if (!user) throw new NinesError('NOT_FOUND', 'user');
    if (user.id === identity.user.id) throw new NinesError('BAD_REQUEST', 'you cannot delete your own account');
    if (user.role === 'admin' && await management.countAdmins() <= 1) throw new NinesError('BAD_REQUEST', 'the last admin cannot be deleted');
    await management.deleteUser(user.id);
    app.nines.liveSockets.endUser(user.id); // its sessions are gone with it (CASCADE); so must be what they opened
    return reply.code(204).send();
  });
}
