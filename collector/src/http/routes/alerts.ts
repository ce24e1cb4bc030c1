import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DurationSchema, parseDuration } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { canSeeClient } from '../../auth/identity.ts';
import type { AlertingService } from '../../alerting/service.ts';
import type { AlertRecord } from '../../store/alerts.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const MAX_SILENCE_MS = 30 * 86_400_000; // a silence longer than a month is a forgotten silence

function publicAlert(a: AlertRecord) {
  return {
    id: a.id, clientId: a.clientId, agentId: a.agentId, kind: a.kind, checkId: a.subject || null, checkKind: a.checkKind, state: a.state, severity: a.severity,
    message: a.message, incident: a.incident, announcedAt: a.announcedAt, ackedAt: a.ackedAt, ackedBy: a.ackedBy, silencedUntil: a.silencedUntil, updatedAt: a.updatedAt,
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
function visibleAlert(app: FastifyInstance, request: FastifyRequest, id: number): AlertRecord {
  const alert = service(app).engine.alerts.get(id);
  if (!alert || !request.identity || !canSeeClient(request.identity, alert.clientId)) throw new NinesError('NOT_FOUND', `alert ${id}`);
  return alert;
}

export async function alertRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/alerts', { config: { access: 'client' }, schema: { querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }) } }, async (request) => {
    const { active } = request.query as { active?: boolean };
    return { alerts: service(app).engine.alerts.list({ activeOnly: active ?? false, clientIds: request.identity!.clientIds }).map(publicAlert) };
  });

  app.get('/api/v1/alerts/:id', { config: { access: 'client' }, schema: { params: IdParams } }, async (request) => {
    const alert = visibleAlert(app, request, (request.params as { id: number }).id);
    return { alert: publicAlert(alert), transitions: service(app).engine.alerts.transitions(alert.id) };
  });

  app.post('/api/v1/alerts/:id/ack', { config: { access: 'admin' }, schema: { params: IdParams } }, async (request) => {
    const by = requireAdmin(request);
    const alert = visibleAlert(app, request, (request.params as { id: number }).id);
    return { alert: publicAlert(service(app).engine.acknowledge(alert.id, by)!) };
  });

  app.post(
    '/api/v1/alerts/:id/silence',
    { config: { access: 'admin' }, schema: { params: IdParams, body: Type.Object({ for: DurationSchema }, { additionalProperties: false }) } },
    async (request) => {
      requireAdmin(request);
      const alert = visibleAlert(app, request, (request.params as { id: number }).id);
      const ms = parseDuration((request.body as { for: string | number }).for);
      if (ms > MAX_SILENCE_MS) throw new NinesError('BAD_REQUEST', 'silence at most 30 days');
      return { alert: publicAlert(service(app).engine.silence(alert.id, app.nines.clock() + ms)!) };
    },
  );
}
