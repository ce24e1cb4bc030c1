import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { RecipientConfigSchema, type RecipientConfig } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { upsertRecipient } from '../../alerting/recipients.ts';
import { compileValidator } from '@nines/shared';
import type { Recipient } from '../../store/recipients.ts';
import type { RecipientDelivery } from '../../store/outbox.ts';
import { channelDefinition, channelDefinitions } from '../../notify/channels/registry.ts';
import { testNotice } from '../../notify/notice.ts';
import { senderDomain } from '../../notify/email.ts';

function requireAdmin(request: FastifyRequest): void {
  if (request.identity?.clientIds !== null) throw new NinesError('FORBIDDEN', 'only the consultant (admin) manages recipients');
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const KindParams = Type.Object({ kind: Type.String({ minLength: 1, maxLength: 40 }) });

/** Keys whose values are credentials: shown as their first characters only. */
const SECRET_KEY = /token|password|secret|key/i;

/** Settings as Management shows them: credentials cut to a recognisable start, everything else whole. */
function maskedSettings(settings: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!settings) return null;
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' ? `${v.length > 8 ? v.slice(0, 4) : ''}…` : v]));
}

/**
 * Contact points (who is told, over which channel): admin only, since those of one client must not be visible to
 * another. A contact point is shown with its target described (tokens and credential URL paths masked), never whole.
 */
export async function recipientRoutes(app: FastifyInstance): Promise<void> {
  // Saved on another collector sharing the database: the leader among them delivers, so every one rebuilds.
  const onSettings = ({ part, remote }: { part: string; remote?: true }) =>
    void (remote && part === 'channels' && app.alerting.reloadChannels().catch((err: unknown) => app.log.error({ err }, 'could not rebuild the channels another collector changed')));
  app.nines.events.on('settingsChanged', onSettings);
  app.addHook('onClose', async () => void app.nines.events.off('settingsChanged', onSettings));
  const recipients = () => app.alerting.engine.recipients;
  const NO_DELIVERY = { lastSentAt: null, lastError: null, pending: 0, givenUp: 0 };
  const deliveries = async () => new Map((await app.nines.store.outbox.deliveryByRecipient()).map((d) => [d.recipientId, d]));
  const shown = async (r: Recipient, delivery?: Map<number, RecipientDelivery>) => {
    delivery ??= await deliveries();
    const { address: _address, target, ...rest } = r;
    const definition = channelDefinition(r.channel);
    const set = app.alerting.channelSet();
    const { recipientId: _id, ...sending } = delivery.get(r.id) ?? { recipientId: r.id, ...NO_DELIVERY };
    return { ...rest, contact: definition ? definition.describe(target as never) : r.channel, ready: set?.has(r.channel) ?? false, delivery: sending };
  };

  app.get('/api/v1/recipients', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    const delivery = new Map((await app.nines.store.outbox.deliveryByRecipient()).map((d) => [d.recipientId, d]));
    return { recipients: await Promise.all((await recipients().list()).map((r) => shown(r, delivery))) };
  });

  const channelInfo = async (kind: string) => {
    const d = channelDefinition(kind)!;
    const set = app.alerting.channelSet();
    const live = set?.list().find((c) => c.definition.kind === kind);
    const saved = (await app.nines.store.channelSettings.list()).find((c) => c.kind === kind) ?? null;
    const file = app.alerting.fileChannelSettings(kind);
    return {
      kind: d.kind, label: d.label, ready: live?.sender != null, problem: live?.problem ?? (set ? null : 'alerting has not started'), target: d.targetSchema,
      // E-mail's settings are the file's smtp: section; webhook, Teams and Slack have none.
      settingsSchema: d.kind === 'email' ? null : d.settingsSchema,
      settings: maskedSettings(saved?.settings ?? file),
      settingsFrom: saved ? 'management' : file ? 'file' : null,
      settingsUpdatedAt: saved?.updatedAt ?? null,
    };
  };

  app.get('/api/v1/channels', { config: { access: 'admin' } }, async (request) => {
    requireAdmin(request);
    return { channels: await Promise.all(channelDefinitions.map((d) => channelInfo(d.kind))) };
  });

  // Saved settings replace the file's channels.<kind> for that kind; the channels are rebuilt at once.
  app.put('/api/v1/channels/:kind/settings', { config: { access: 'admin' }, schema: { params: KindParams, body: Type.Record(Type.String(), Type.Unknown()) } }, async (request) => {
    requireAdmin(request);
    const { kind } = request.params as { kind: string };
    const definition = channelDefinition(kind);
    if (!definition) throw new NinesError('NOT_FOUND', `channel "${kind}"`);
    if (kind === 'email' || !definition.settingsSchema) throw new NinesError('BAD_REQUEST', kind === 'email' ? 'e-mail is set up in the smtp: section of the config file' : `${definition.label} has no settings: everything is in each contact point's target`);
    const settings = request.body as Record<string, unknown>;
    const validator = compileValidator(definition.settingsSchema);
    if (!validator.check(settings)) throw new NinesError('BAD_REQUEST', `bad ${kind} settings: ${validator.errors(settings).join('; ')}`);
    try {
      definition.create(settings as never, { fetch: globalThis.fetch, log: request.log, clock: app.nines.clock }).close();
    } catch (error) {
      throw new NinesError('BAD_REQUEST', `${kind}: ${(error as Error).message}`);
    }
    await app.nines.store.channelSettings.put(kind, settings, app.nines.clock(), request.identity?.user.username ?? null);
    await app.alerting.reloadChannels();
    app.nines.events.emit('settingsChanged', { part: 'channels', at: app.nines.clock() });
    request.log.info({ channel: kind }, 'channel settings saved in Management');
    return { channel: await channelInfo(kind) };
  });

  app.delete('/api/v1/channels/:kind/settings', { config: { access: 'admin' }, schema: { params: KindParams } }, async (request, reply) => {
    requireAdmin(request);
    const { kind } = request.params as { kind: string };
    if (!(await app.nines.store.channelSettings.remove(kind))) throw new NinesError('NOT_FOUND', `saved settings of channel "${kind}"`);
    await app.alerting.reloadChannels();
    app.nines.events.emit('settingsChanged', { part: 'channels', at: app.nines.clock() });
    return reply.code(204).send();
  });

  app.post('/api/v1/recipients', { config: { access: 'admin' }, schema: { body: RecipientConfigSchema } }, async (request, reply) => {
    requireAdmin(request);
    const { client, ...rest } = request.body as RecipientConfig;
    const clientId = client === undefined ? null : ((await app.nines.store.findClient(client))?.id ?? null);
    if (client !== undefined && clientId === null) throw new NinesError('NOT_FOUND', `client "${client}"`);
    let id: number;
    try {
      id = await upsertRecipient(recipients(), { ...rest, clientId }, app.nines.clock());
    } catch (error) {
      throw new NinesError('BAD_REQUEST', (error as Error).message);
    }
    return reply.code(201).send({ recipient: await shown((await recipients().get(id))!) });
  });

  // Sends at once, past the outbox: the person at the screen wants to know now whether the contact point works.
  app.post('/api/v1/recipients/:id/test', { config: { access: 'admin' }, schema: { params: IdParams } }, async (request) => {
    requireAdmin(request);
    const recipient = await recipients().get((request.params as { id: number }).id);
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
    if (!(await recipients().remove((request.params as { id: number }).id))) throw new NinesError('NOT_FOUND', 'recipient');
    return reply.code(204).send();
  });
}
