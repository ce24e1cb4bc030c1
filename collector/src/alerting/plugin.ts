import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AlertingService } from './service.ts';
import { alertRoutes } from '../http/routes/alerts.ts';
import { recipientRoutes } from '../http/routes/recipients.ts';
import { ackRoutes } from '../http/routes/ack.ts';
import { availabilityFor, isInMaintenance } from '../availability/index.ts';

/**
 * Alerting in the collector: evaluates stored results soon after each committed batch (coalesced, off the ack path), runs the time-driven work
 * on a timer, and serves /api/v1/alerts, /api/v1/recipients and the signed /ack links. It starts working when
 * `app.alerting.start({ smtp, alerting })` is called (serve does it from the config) and then
 * catches up on everything stored before.
 */
async function alerting(app: FastifyInstance): Promise<void> {
  const service = new AlertingService(app.nines, app.log);
  app.decorate('alerting', service);
  service.maintenance = async ({ agentId, checkId, at }) => (await isInMaintenance(app.nines.store, { agentId, checkId: checkId ?? '' }, at)) !== undefined;
  service.monthAvailability = (clientId, now) => availabilityFor(app.nines.store, 'client', String(clientId), 'month', now);
  app.nines.events.on('resultsStored', ({ agentId }) => service.evaluateSoon(agentId));
  // Silence verdicts come from ingest/silence.ts; act on them at once rather than on the next tick.
  app.nines.events.on('agentSilent', () => void service.tick());
  app.nines.events.on('agentHeard', () => void service.tick());
  app.nines.events.on('agentOverQuota', (event) => void service.agentOverQuota(event));
  // The new leader catches up at once (cursors, outbox) rather than on its next tick.
  const onLeadership = (leading: boolean) => void (leading && service.runOnce().catch((err: unknown) => app.log.error({ err }, 'alerting: catching up as the new leader failed')));
  app.nines.leadership.on('change', onLeadership);
  app.addHook('onClose', async () => {
    app.nines.leadership.off('change', onLeadership);
    service.stop();
  });
  await app.register(alertRoutes);
  await app.register(recipientRoutes);
  // Its own scope: the urlencoded form parser serves the acknowledge pages only.
  await app.register(ackRoutes);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The alerting service (alerting/plugin.ts): engine, outbox worker, health. */
    alerting: AlertingService;
  }
}

/** Not encapsulated: `app.alerting` is the collector's, for serve's start and the health route. */
export const alertingPlugin = fp(alerting, { name: 'nines-alerting' });
