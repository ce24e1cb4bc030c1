import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DurationSchema, parseDuration } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { canSeeClient } from '../../auth/identity.ts';
import type { AlertingService } from '../../alerting/service.ts';
import type { AlertRecord, AlertRepository } from '../../store/alerts.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const MAX_SILENCE_MS = 30 * 86_400_000; // a silence longer than a month is a forgotten silence

/**
 * An alert as the API shows it. `incidentSince` is when the current problem began (its first transition: the
 * failing result's time, not when alerting looked at it), null while the alert is OK; `announcedAt` is when it was
 * first told.
 */
async function publicAlert(a: AlertRecord, alerts: AlertRepository) {
  return {
    id: a.id, clientId: a.clientId, agentId: a.agentId, kind: a.kind, checkId: a.subject || null, checkKind: a.checkKind, state: a.state, severity: a.severity,
    message: a.message, incident: a.incident, incidentSince: a.state === 'OK' ? null : ((await alerts.describe(a.id))?.incidentSince ?? null),
    announcedAt: a.announcedAt, ackedAt: a.ackedAt, ackedBy: a.ackedBy, silencedUntil: a.silencedUntil, updatedAt: a.updatedAt,
  };
}

function service(app: FastifyInstance): AlertingService {
  return app.alerting;
}

function requireAdmin(request: FastifyRequest): string {
  if (request.identity?.clientIds !== null) throw new NinesError('FORBIDDEN', 'only the consultant (admin) can acknowledge or silence alerts');
  return request.identity.user.username;
}

/** The alert, if this identity may see it; 404 otherwise (a client never learns other clients' alert ids). */
async function visibleAlert(app: FastifyInstance, request: FastifyRequest, id: number): Promise<AlertRecord> {
  const alert = await service(app).engine.alerts.get(id);
  if (!alert || !request.identity || !canSeeClient(request.identity, alert.clientId)) throw new NinesError('NOT_FOUND', `alert ${id}`);
  return alert;
}

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/alerts', { config: { access: 'client' }, schema: { querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }) } }, async (request) => {
    const { active } = request.query as { active?: boolean };
    const { alerts } = service(app).engine;
    return { alerts: await Promise.all((await alerts.list({ activeOnly: active ?? false, clientIds: request.identity!.clientIds })).map((a) => publicAlert(a, alerts))) };
  });

  app.get('/api/v1/alerts/:id', { config: { access: 'client' }, schema: { params: IdParams } }, async (request) => {
    const alert = await visibleAlert(app, request, (request.params as { id: number }).id);
    return { alert: await publicAlert(alert, service(app).engine.alerts), transitions: await service(app).engine.alerts.transitions(alert.id) };
  });

  app.post('/api/v1/alerts/:id/ack', { config: { access: 'admin' }, schema: { params: IdParams } }, async (request) => {
    const by = requireAdmin(request);
    const alert = await visibleAlert(app, request, (request.params as { id: number }).id);
    return { alert: await publicAlert((await service(app).engine.acknowledge(alert.id, by))!, service(app).engine.alerts) };
  });

  app.post(
    '/api/v1/alerts/:id/silence',
    { config: { access: 'admin' }, schema: { params: IdParams, body: Type.Object({ for: DurationSchema }, { additionalProperties: false }) } },
    async (request) => {
      requireAdmin(request);
      const alert = await visibleAlert(app, request, (request.params as { id: number }).id);
      const ms = parseDuration((request.body as { for: string | number }).for);
      if (ms > MAX_SILENCE_MS) throw new NinesError('BAD_REQUEST', 'silence at most 30 days');
      return { alert: await publicAlert((await service(app).engine.silence(alert.id, app.nines.clock() + ms))!, service(app).engine.alerts) };
    },
  );
}
