import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { RecipientConfigSchema, type RecipientConfig } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { upsertRecipient } from '../../alerting/recipients.ts';
import type { Recipient } from '../../store/recipients.ts';
import { channelDefinition, channelDefinitions } from '../../notify/channels/registry.ts';
import { testNotice } from '../../notify/notice.ts';
import { senderDomain } from '../../notify/email.ts';

function requireAdmin(request: FastifyRequest): void {
  if (request.identity?.clientIds !== null) throw new NinesError('FORBIDDEN', 'only the consultant (admin) manages recipients');
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * Contact points (who is told, over which channel): admin only, since those of one client must not be visible to
 * another. A contact point is shown with its target described (tokens and credential URL paths masked), never whole.
 */
export async function recipientRoutes(app: FastifyInstance): Promise<void> {
  const recipients = () => app.alerting.engine.recipients;
  const NO_DELIVERY = { lastSentAt: null, lastError: null, pending: 0, givenUp: 0 };
  const shown = (r: Recipient, delivery = new Map(app.nines.store.outbox.deliveryByRecipient().map((d) => [d.recipientId, d]))) => {
    const { address: _address, target, ...rest } = r;
    const definition = channelDefinition(r.channel);
    const set = app.alerting.channelSet();
    const { recipientId: _id, ...sending } = delivery.get(r.id) ?? { recipientId: r.id, ...NO_DELIVERY };
    return { ...rest, contact: definition ? definition.describe(target as never) : r.channel, ready: set?.has(r.channel) ?? false, delivery: sending };
  };

  app.get('/api/v1/recipients', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    const delivery = new Map(app.nines.store.outbox.deliveryByRecipient().map((d) => [d.recipientId, d]));
    return { recipients: recipients().list().map((r) => shown(r, delivery)) };
  });

  app.get('/api/v1/channels', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    const set = app.alerting.channelSet();
    return {
      channels: channelDefinitions.map((d) => {
        const live = set?.list().find((c) => c.definition.kind === d.kind);
        return { kind: d.kind, label: d.label, ready: live?.sender != null, problem: live?.problem ?? (set ? null : 'alerting has not started'), target: d.targetSchema };
      }),
    };
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
    return reply.code(201).send({ recipient: shown(recipients().get(id)!) });
  });

  // Sends at once, past the outbox: the person at the screen wants to know now whether the contact point works.
  app.post('/api/v1/recipients/:id/test', { config: { access: 'admin' }, schema: { params: IdParams } }, async (request) => {
    requireAdmin(request);
    const recipient = recipients().get((request.params as { id: number }).id);
    if (!recipient) throw new NinesError('NOT_FOUND', 'recipient');
    const set = app.alerting.channelSet();
    if (!set) throw new NinesError('CHANNEL_FAILED', 'alerting has not started');
    const now = app.nines.clock();
    try {
      const { definition, sender } = set.sender(recipient.channel);
      const domain = senderDomain(app.alerting.smtpFrom ?? 'nines@nines.invalid');
      await sender.send(testNotice(recipient, definition.label, app.alerting.settings.brand, now, domain), { id: recipient.id, label: recipient.name, target: recipient.target });
      request.log.info({ recipient: recipient.id, channel: recipient.channel }, 'test message sent');
      return { sent: true, at: now, contact: definition.describe(recipient.target as never) };
    } catch (error) {
      request.log.warn({ recipient: recipient.id, channel: recipient.channel, err: (error as Error).message }, 'test message failed');
      throw new NinesError('CHANNEL_FAILED', (error as Error).message);
    }
  });

  app.delete('/api/v1/recipients/:id', { config: { access: 'admin' }, schema: { params: IdParams } }, async (request, reply) => {
    requireAdmin(request);
    if (!recipients().remove((request.params as { id: number }).id)) throw new NinesError('NOT_FOUND', 'recipient');
    return reply.code(204).send();
  });
}
