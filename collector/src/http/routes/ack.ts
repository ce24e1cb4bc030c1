import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AlertingService } from '../../alerting/service.ts';
import { ackLinkProblem, type AckParams } from '../../alerting/ack-link.ts';
import { ackLanguage, ackStatus, renderAckPage, type AckAlertView, type AckLanguage, type AckPage } from '../../alerting/ack-page.ts';
import { isActive } from '../../alerting/state-machine.ts';
import type { AlertRecord } from '../../store/alerts.ts';
import { catalogs } from '../../notify/templates/render.ts';

const FORM_BODY_LIMIT = 1024; // the form posts one hidden field; anything bigger is not our form

function service(app: FastifyInstance): AlertingService {
  return app.alerting;
}

const integer = (value: unknown): number | null => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : null);

/** The signed parameters of a link, or null when they are missing or malformed (the page then says "not valid", not a JSON 400). */
function linkParams(request: FastifyRequest): AckParams | null {
  const id = integer((request.params as { id?: string }).id);
  const q = request.query as Record<string, unknown>;
  const incident = integer(q.incident);
  const expiresAt = integer(q.expires);
  const recipientId = q.r === undefined ? null : integer(q.r);
  const sig = typeof q.sig === 'string' && q.sig.length >= 10 && q.sig.length <= 100 ? q.sig : null;
  if (id === null || incident === null || expiresAt === null || sig === null || (q.r !== undefined && recipientId === null)) return null;
  return { alertId: id, incident, expiresAt, recipientId, sig };
}

async function view(s: AlertingService, alert: AlertRecord, language: AckLanguage): Promise<AckAlertView> {
  const names = await s.engine.alerts.describe(alert.id);
  const c = catalogs[language].technical;
  const checkName = alert.kind === 'check' ? (names?.checkName ?? alert.subject) : alert.kind === 'hostDown' ? c.hostDown : alert.kind === 'budget' ? c.errorBudget : 'agent';
  const host = alert.kind === 'budget' ? c.allHosts : names && names.hostname && names.hostname !== names.agentName ? `${names.agentName} (${names.hostname})` : (names?.agentName ?? '');
  return {
    checkName, host, clientName: names?.clientName ?? '', state: alert.state, severity: alert.severity, message: alert.message,
    since: names?.incidentSince ?? alert.updatedAt, ackedAt: alert.ackedAt, ackedBy: alert.ackedBy,
  };
}

/**
 * The signed acknowledge link from the consultant's mail, as pages for a browser. GET shows the alert and a button
 * (mail scanners that prefetch links must not acknowledge); the button posts an ordinary HTML form
 * (application/x-www-form-urlencoded), which only this scope parses. The signature in the URL is what authorises.
 */
export async function ackRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const handle = (acknowledge: boolean) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const s = service(app);
    const params = linkParams(request);
    const language = ackLanguage((request.query as Record<string, unknown>).lang, request.headers['accept-language']);
    const recipient = params?.recipientId != null ? await s.engine.recipients.get(params.recipientId) : undefined;
    const timeZone = recipient?.timezone ?? 'UTC';
    const page = await (async (): Promise<AckPage> => {
      if (!params) return { kind: 'invalid' };
      const problem = ackLinkProblem(s.secret, params, app.nines.clock());
      if (problem === 'signature') return { kind: 'invalid' };
      if (problem === 'expired') return { kind: 'expired', expiresAt: params.expiresAt };
      let alert = await s.engine.alerts.get(params.alertId);
      if (!alert) return { kind: 'notFound' };
      // A link of an older incident must not acknowledge the current one.
      if (alert.incident !== params.incident) return { kind: 'staleIncident', alert: await view(s, alert, language) };
      if (alert.ackedAt !== null) return { kind: 'alreadyAcknowledged', alert: await view(s, alert, language) };
      if (!isActive(alert.state)) return { kind: 'nothingToAcknowledge', alert: await view(s, alert, language) };
      if (!acknowledge) return { kind: 'confirm', alert: await view(s, alert, language), action: request.url };
      alert = (await s.engine.acknowledge(alert.id, recipient ? recipient.name : 'email link'))!;
      return { kind: 'acknowledged', alert: await view(s, alert, language) };
    })();
    return reply
      .code(ackStatus(page))
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer') // the URL carries the signature
      .type('text/html; charset=utf-8')
      .send(renderAckPage(page, language, timeZone));
  };

  app.get('/ack/alerts/:id', { config: { access: 'public' } }, handle(false));
  app.post('/ack/alerts/:id', { config: { access: 'public' } }, handle(true));
}
