import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { compileValidator, StatusNoticeInputSchema, StatusPageConfigSchema, type StatusNoticeInput, type StatusPageConfig, type StatusPageView } from '@nines/shared';
import { requireAdmin, requireVisible } from '../../auth/guards.ts';
import { NinesError } from '../../errors.ts';
import { clientInfo, checksOfClient, type ClientInfo } from '../../availability/index.ts';
import { ackLanguage } from '../../alerting/ack-page.ts';
import type { StatusPageRecord } from '../../store/status-pages.ts';
import { statusPageView } from '../../status-pages/view.ts';
import { renderStatusNotFound, renderStatusPage } from '../../status-pages/render.ts';
import { badge, stateColour, uptimeColour } from '../../status-pages/badge.ts';
import { STATUS_TEXTS } from '../../status-pages/texts.ts';

/** Public page views per address and minute: a person reloading, a wall screen and a few badges fit many times over. */
export const STATUS_PAGE_REQUESTS_PER_MINUTE = 120;
/** A view is computed at most this often per page and language: the public link cannot make the collector work harder. */
export const STATUS_PAGE_CACHE_MS = 30_000;

const configValidator = compileValidator(StatusPageConfigSchema);
const noticeValidator = compileValidator(StatusNoticeInputSchema);
const ClientParams = Type.Object({ client: Type.String({ minLength: 1, maxLength: 200 }) });
const NoticeParams = Type.Object({ client: Type.String({ minLength: 1, maxLength: 200 }), id: Type.Integer({ minimum: 1 }) });
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
const BadgeParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), position: Type.Integer({ minimum: 1, maximum: 1000 }), kind: Type.Union([Type.Literal('uptime.svg'), Type.Literal('state.svg')]) });

/** 144 random bits, URL-safe: the link is the secret, like a shared document's. */
const newToken = () => randomBytes(18).toString('base64url');

function pathOf(page: StatusPageRecord): string {
  return `/status/${page.token}`;
}

/**
 * Clients' status pages. Admin: GET/PUT/DELETE /api/v1/clients/:client/status-page, POST …/rotate (a new link; the
 * old one stops), POST …/notices and DELETE …/notices/:id. Public, by the unguessable link: GET /status/:token (HTML,
 * ?lang=de|en, else the browser's language), /status/:token/json, /status/:token/badge/:position/uptime.svg and
 * state.svg. A client's own login: GET /status-page/:client. Nothing internal is shown (docs/status-pages.md).
 */
export async function statusPageRoutes(app: FastifyInstance): Promise<void> {
  const store = app.nines.store;
  await app.register(rateLimit, { global: false });
  const cache = new Map<string, { at: number; view: StatusPageView }>();
  const forget = (clientId: number) => {
    for (const key of cache.keys()) if (key.startsWith(`${clientId}:`)) cache.delete(key);
  };

  const clientOf = async (request: FastifyRequest, idOrName: string): Promise<ClientInfo> => {
    const c = await clientInfo(store, /^\d+$/.test(idOrName) ? Number(idOrName) : idOrName);
    return requireVisible(request, c && { ...c, clientId: c.id }, `client ${idOrName}`);
  };
  const adminView = async (client: ClientInfo) => {
    const page = await store.statusPages.get(client.id);
    if (!page) throw new NinesError('NOT_FOUND', `status page of client ${client.name} (PUT one first)`);
    return { clientId: client.id, path: pathOf(page), config: page.config, updatedAt: page.updatedAt, updatedBy: page.updatedBy, notices: await store.statusPages.notices(client.id) };
  };
  const viewOf = async (client: ClientInfo, page: StatusPageRecord, language: 'de' | 'en'): Promise<StatusPageView> => {
    const now = app.nines.clock();
    const key = `${client.id}:${language}`;
    const hit = cache.get(key);
    if (hit && now - hit.at < STATUS_PAGE_CACHE_MS && now >= hit.at) return hit.view;
    const view = await statusPageView(store, client, page, await store.statusPages.notices(client.id), { language, brand: app.reports.delivery.branding.name, now });
    cache.set(key, { at: now, view: view });
    return view;
  };
  const logo = () => {
    const bytes = app.reports.delivery.branding.logo;
    return bytes ? { mime: bytes[0] === 0x89 ? 'image/png' : 'image/jpeg', base64: bytes.toString('base64') } : null;
  };

  app.get('/api/v1/clients/:client/status-page', { config: { access: 'admin' }, schema: { params: ClientParams } }, async (request) => {
    requireAdmin(request);
    return adminView(await clientOf(request, (request.params as { client: string }).client));
  });

  app.put('/api/v1/clients/:client/status-page', { config: { access: 'admin' }, schema: { params: ClientParams, body: Type.Unknown() } }, async (request) => {
    const identity = requireAdmin(request);
    const client = await clientOf(request, (request.params as { client: string }).client);
    const body = request.body as StatusPageConfig;
    // Validated here, not by the route schema: Fastify would drop an unknown key silently, and a misspelt one must be an error.
    if (!configValidator.check(body)) throw new NinesError('BAD_REQUEST', `bad status page: ${configValidator.errors(body).join('; ')}`);
    const own = new Set((await checksOfClient(store, client.id)).map((c) => `${c.agentId}/${c.checkId}`));
    const foreign = body.services.filter((s) => !own.has(s.check)).map((s) => s.check);
    // Another tenant's check gets the same answer as a missing one.
    if (foreign.length > 0) throw new NinesError('BAD_REQUEST', `bad status page: ${client.name} has no check ${foreign.join(', ')}`);
    const twice = body.services.map((s) => s.check).filter((c, i, all) => all.indexOf(c) !== i);
    if (twice.length > 0) throw new NinesError('BAD_REQUEST', `bad status page: ${twice[0]} is listed twice`);
    await store.statusPages.put(client.id, body, newToken(), app.nines.clock(), identity.user.username);
    forget(client.id);
    return adminView(client);
  });

  app.delete('/api/v1/clients/:client/status-page', { config: { access: 'admin' }, schema: { params: ClientParams } }, async (request, reply) => {
    requireAdmin(request);
    const client = await clientOf(request, (request.params as { client: string }).client);
    if (!(await store.statusPages.remove(client.id))) throw new NinesError('NOT_FOUND', `status page of client ${client.name}`);
    forget(client.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/clients/:client/status-page/rotate', { config: { access: 'admin' }, schema: { params: ClientParams } }, async (request) => {
    const identity = requireAdmin(request);
    const client = await clientOf(request, (request.params as { client: string }).client);
    if (!(await store.statusPages.rotateToken(client.id, newToken(), app.nines.clock(), identity.user.username))) throw new NinesError('NOT_FOUND', `status page of client ${client.name}`);
    return adminView(client);
  });

  app.post('/api/v1/clients/:client/status-page/notices', { config: { access: 'admin' }, schema: { params: ClientParams, body: Type.Unknown() } }, async (request, reply) => {
    const identity = requireAdmin(request);
    const client = await clientOf(request, (request.params as { client: string }).client);
    const body = request.body as StatusNoticeInput;
    if (!noticeValidator.check(body)) throw new NinesError('BAD_REQUEST', `bad notice: ${noticeValidator.errors(body).join('; ')}`);
    if (body.to != null && body.to <= body.from) throw new NinesError('BAD_REQUEST', 'bad notice: to must lie after from');
    if (!(await store.statusPages.get(client.id))) throw new NinesError('NOT_FOUND', `status page of client ${client.name} (PUT one first)`);
    const notice = await store.statusPages.addNotice({
      clientId: client.id, kind: body.kind, title: body.title, body: body.body ?? null, from: body.from, to: body.to ?? null,
      createdAt: app.nines.clock(), createdBy: identity.user.username,
    });
    forget(client.id);
    return reply.code(201).send(notice);
  });

  app.delete('/api/v1/clients/:client/status-page/notices/:id', { config: { access: 'admin' }, schema: { params: NoticeParams } }, async (request, reply) => {
    requireAdmin(request);
    const { client: name, id } = request.params as { client: string; id: number };
    const client = await clientOf(request, name);
    if (!(await store.statusPages.removeNotice(client.id, id))) throw new NinesError('NOT_FOUND', `notice ${id} of client ${client.name}`);
    forget(client.id);
    return reply.code(204).send();
  });

  // --- the pages themselves
  const language = (request: FastifyRequest, client: ClientInfo) => {
    const q = (request.query as Record<string, unknown>).lang;
    if (q === 'de' || q === 'en') return q;
    // The browser's first choice when it is one of ours; otherwise ("*", fr, none) the client's own language.
    const first = /^\s*([a-z]{2})\b/i.exec(request.headers['accept-language'] ?? '')?.[1]?.toLowerCase();
    return first === 'de' || first === 'en' ? first : client.language;
  };
  const publicPage = async (request: FastifyRequest) => {
    const page = await store.statusPages.byToken((request.params as { token: string }).token);
    const client = page?.config.enabled ? await clientInfo(store, page.clientId) : undefined;
    return page && client ? { page, client } : null;
  };
  const html = (reply: FastifyReply, code: number, body: string) => reply.code(code)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer') // the URL is the secret
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8').send(body);
  const publicConfig = { access: 'public' as const, rateLimit: { max: STATUS_PAGE_REQUESTS_PER_MINUTE, timeWindow: 60_000 } };

  app.get('/status/:token', { config: publicConfig, schema: { params: TokenParams } }, async (request, reply) => {
    const found = await publicPage(request);
    if (!found) return html(reply, 404, renderStatusNotFound(ackLanguage((request.query as Record<string, unknown>).lang, request.headers['accept-language'])));
    return html(reply, 200, renderStatusPage(await viewOf(found.client, found.page, language(request, found.client)), logo()));
  });

  app.get('/status/:token/json', { config: publicConfig, schema: { params: TokenParams } }, async (request, reply) => {
    const found = await publicPage(request);
    if (!found) throw new NinesError('NOT_FOUND', 'status page');
    return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(await viewOf(found.client, found.page, language(request, found.client)));
  });

  app.get('/status/:token/badge/:position/:kind', { config: publicConfig, schema: { params: BadgeParams } }, async (request, reply) => {
    const found = await publicPage(request);
    const { position, kind } = request.params as { position: number; kind: 'uptime.svg' | 'state.svg' };
    if (!found) throw new NinesError('NOT_FOUND', 'status page');
    const lang = language(request, found.client);
    const service = (await viewOf(found.client, found.page, lang)).services[position - 1];
    if (!service) throw new NinesError('NOT_FOUND', `service ${position} of this status page`);
    const t = STATUS_TEXTS[lang];
    const svg = kind === 'uptime.svg'
      ? badge(`${service.name} · ${t.badgeUptime}`, service.uptimePercent === null ? t.noData : `${lang === 'de' ? service.uptimePercent.replace('.', ',') : service.uptimePercent} %`, uptimeColour(service.met))
      : badge(service.name, t.state[service.state], stateColour(service.state));
    // Badges are embedded in other pages: a minute's staleness is fine, and saves the collector a view per page load.
    return reply.header('cache-control', 'max-age=60').type('image/svg+xml; charset=utf-8').send(svg);
  });

  app.get('/status-page/:client', { config: { access: 'client' }, schema: { params: ClientParams } }, async (request, reply) => {
    const client = await clientOf(request, (request.params as { client: string }).client);
    const page = await store.statusPages.get(client.id);
    // Switched off is off for the login too: the consultant took the page down.
    if (!page?.config.enabled) return html(reply, 404, renderStatusNotFound(language(request, client)));
    return html(reply, 200, renderStatusPage(await viewOf(client, page, language(request, client)), logo()));
  });
}
