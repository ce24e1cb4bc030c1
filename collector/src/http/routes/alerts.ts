import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DurationSchema, parseDuration } from '@nines/shared';
import { NinesError } from '../../errors.ts';
import { canSeeClient } from '../../auth/identity.ts';
import { alertingOf, type AlertingService } from '../../alerting/service.ts';
import { ackLinkProblem } from '../../alerting/ack-link.ts';
import type { AlertRecord } from '../../alerting/alert-store.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const LinkQuery = Type.Object({ incident: Type.Integer({ minimum: 0 }), expires: Type.Integer({ minimum: 0 }), sig: Type.String({ minLength: 10, maxLength: 100 }) });
const MAX_SILENCE_MS = 30 * 86_400_000; // a silence longer than a month is a forgotten silence

function publicAlert(a: AlertRecord) {
  return {
    id: a.id, clientId: a.clientId, agentId: a.agentId, kind: a.kind, checkId: a.subject || null, checkKind: a.checkKind, state: a.state, severity: a.severity,
    message: a.message, incident: a.incident, announcedAt: a.announcedAt, ackedAt: a.ackedAt, ackedBy: a.ackedBy, silencedUntil: a.silencedUntil, updatedAt: a.updatedAt,
  };
}

function service(app: FastifyInstance): AlertingService {
  const s = alertingOf(app.nines);
  if (!s) throw new Error('alerting plugin not registered');
  return s;
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

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif">${body}</body></html>`;
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

  // The signed link from the consultant's mail. GET only shows a button: mail scanners that prefetch links must not acknowledge.
  app.get('/ack/alerts/:id', { config: { access: 'public' }, schema: { params: IdParams, querystring: LinkQuery } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const q = request.query as { incident: number; expires: number; sig: string };
    const problem = ackLinkProblem(service(app).secret, { alertId: id, incident: q.incident, expiresAt: q.expires, sig: q.sig }, app.nines.clock());
    if (problem) throw new NinesError('FORBIDDEN', `acknowledge link ${problem === 'expired' ? 'has expired' : 'is not valid'}`);
    const action = `/ack/alerts/${id}?incident=${q.incident}&expires=${q.expires}&sig=${encodeURIComponent(q.sig)}`;
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Acknowledge', `<form method="post" action="${action}"><p>Alert ${id}, incident ${q.incident}</p><button type="submit">Acknowledge / Bestätigen</button></form>`));
  });

  app.post('/ack/alerts/:id', { config: { access: 'public' }, schema: { params: IdParams, querystring: LinkQuery } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const q = request.query as { incident: number; expires: number; sig: string };
    const s = service(app);
    const problem = ackLinkProblem(s.secret, { alertId: id, incident: q.incident, expiresAt: q.expires, sig: q.sig }, app.nines.clock());
    if (problem) throw new NinesError('FORBIDDEN', `acknowledge link ${problem === 'expired' ? 'has expired' : 'is not valid'}`);
    const alert = s.engine.alerts.get(id);
    if (!alert) throw new NinesError('NOT_FOUND', `alert ${id}`);
    // A link of an older incident must not acknowledge the current one.
    const acked = alert.incident === q.incident ? s.engine.acknowledge(id, 'email link')! : alert;
    return reply.type('text/html; charset=utf-8').send(page('Acknowledged', `<p>${acked.ackedAt ? 'Acknowledged / Bestätigt' : 'Nothing to acknowledge / Nichts zu bestätigen'}</p>`));
  });
}
