/**
 * Deny by default, on the matched route: every route declares `config: { access }`, and one hook reads it from
 * `request.routeOptions.config` — the route the router chose after decoding the path — never from the raw URL,
 * which `/%61pi/v1/status` or `/ws/%6Cive` spell differently from the route they reach. A route without a
 * declaration is refused.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTokenScope } from '@nines/shared';
import { NinesError } from '../errors.ts';
import { resolveIdentity } from './identity.ts';

/**
 * Who may call a route. public: anyone (health, login, enrollment, signed links, static files);
 * agent: an agent, which the route authenticates itself; client: any logged-in user (a client user sees
 * only its own client, the route filters); admin: admins only.
 */
export type Access = 'public' | 'agent' | 'client' | 'admin';
export const ACCESS_LEVELS: readonly Access[] = ['public', 'agent', 'client', 'admin'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The API-token scope a route needs; default read for GET/HEAD/OPTIONS, write for the rest. */
    scope?: ApiTokenScope;
  }
}

const SCOPE_RANK: Record<ApiTokenScope, number> = { read: 0, write: 1, admin: 2 };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requiredScope(request: FastifyRequest): ApiTokenScope {
  return request.routeOptions.config?.scope ?? (SAFE_METHODS.has(request.method) ? 'read' : 'write');
}

/** Registered without encapsulation, before any route, so it guards every route. */
export async function accessControl(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request) => {
    // No route matched: the 404 handler answers, and it has nothing to guard.
    if (request.routeOptions.url === undefined) return;
    const access = request.routeOptions.config?.access;
    if (access === 'public' || access === 'agent') return;
    if (access !== 'client' && access !== 'admin') throw new NinesError('FORBIDDEN', 'this route declares no access');
    const identity = await resolveIdentity(request, app.nines);
    if (!identity) throw new NinesError('UNAUTHORIZED');
    request.identity = identity;
    if (access === 'admin' && identity.user.role !== 'admin') throw new NinesError('FORBIDDEN', 'admin only');
    const needed = requiredScope(request);
    if (SCOPE_RANK[identity.scope] < SCOPE_RANK[needed]) throw new NinesError('FORBIDDEN', `this API token has scope ${identity.scope}; the request needs ${needed}`);
  });
}
(accessControl as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

/**
 * Collects every route as it is added (onRoute), so a test can assert each declares access. The route options
 * are kept, not copied: a plugin's own onRoute hook (the dashboard's files) may set the access after this one runs.
 */
export function collectRoutes(app: FastifyInstance): () => DeclaredRoute[] {
  const routes: { method: string | string[]; url: string; config?: unknown }[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  return () => routes.flatMap((route) => [route.method].flat().map((method) => ({ method, url: route.url, access: (route.config as { access?: Access } | undefined)?.access })));
}
