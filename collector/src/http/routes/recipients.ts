import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { RecipientConfigSchema, type RecipientConfig } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { upsertRecipient } from '../../alerting/recipients.ts';

function requireAdmin(request: FastifyRequest): void {
  if (request.identity?.clientIds !== null) throw new NinesError('FORBIDDEN', 'only the consultant (admin) manages recipients');
}

/** Who gets alert mail: admin only, since recipients of one client must not be visible to another. */
export async function recipientRoutes(app: FastifyInstance): Promise<void> {
  const recipients = () => app.alerting.engine.recipients;

  app.get('/api/v1/recipients', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    return { recipients: recipients().list() };
  });

  app.post('/api/v1/recipients', { config: { access: 'admin' }, schema: { body: RecipientConfigSchema } }, async (request, reply) => {
    requireAdmin(request);
    const { client, ...rest } = request.body as RecipientConfig;
    const clientId = client === undefined ? null : (app.nines.store.findClient(client)?.id ?? null);
    if (client !== undefined && clientId === null) throw new NinesError('NOT_FOUND', `client "${client}"`);
    let id: number;
    try {
      id = upsertRecipient(recipients(), { ...rest, clientId }, app.nines.clock());
    } catch (error) {
      throw new NinesError('BAD_REQUEST', (error as Error).message);
    }
    return reply.code(201).send({ recipient: recipients().get(id) });
  });

  app.delete('/api/v1/recipients/:id', { config: { access: 'admin' }, schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    requireAdmin(request);
    if (!recipients().remove((request.params as { id: number }).id)) throw new NinesError('NOT_FOUND', 'recipient');
    return reply.code(204).send();
  });
}
