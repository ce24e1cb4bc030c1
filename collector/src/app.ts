import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { LIMITS, systemClock, type Clock } from '@nines/shared';
import type { Store } from './store/store.ts';
import { LiveHub } from './live/hub.ts';
import { AgentConnections } from './ingest/connections.ts';
import { CollectorEvents } from './events.ts';
import { agentSocketRoutes } from './ingest/agent-socket.ts';
import type { IngestQuota } from './ingest/quota.ts';
import { liveSocketRoutes } from './live/live-socket.ts';
import { healthRoutes } from './http/routes/health.ts';
import { openApi } from './http/routes/openapi.ts';
import { enrollRoutes } from './http/routes/enroll.ts';
import { sessionRoutes } from './http/routes/session.ts';
import { statusRoutes } from './http/routes/status.ts';
import { availabilityRoutes } from './http/routes/availability.ts';
import { maintenanceRoutes } from './http/routes/maintenance.ts';
import { reportRoutes } from './http/routes/reports.ts';
import { csrfProtection } from './auth/csrf.ts';
import { clientRoutes } from './http/routes/clients.ts';
import { agentRoutes } from './http/routes/agents.ts';
import { checkRoutes } from './http/routes/checks.ts';
import { enrollmentTokenRoutes } from './http/routes/enrollment-tokens.ts';
import { userRoutes } from './http/routes/users.ts';
import { tokenRoutes } from './http/routes/tokens.ts';
import { resolveIdentity } from './auth/identity.ts';
import { NinesError } from './errors.ts';
import { VERSION } from './version.ts';
import type { CollectorContext } from './context.ts';
import { alertingPlugin } from './alerting/plugin.ts';
import { operationsPlugin } from './ops/plugin.ts';

export interface AppOptions {
  store: Store;
  clock?: Clock;
  /** Built dashboard assets (dashboard/dist); the UI is not served when absent. */
  dashboardDir?: string;
  logger?: FastifyServerOptions['logger'] | false;
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** Days of raw results and hourly rollups to keep (settings: flag > env > file > default). */
  retention?: { rawDays?: number; hourlyDays?: number };
  /** The agent sockets' ping interval (default 30 s); tests shorten it. */
  heartbeatMs?: number;
  /** Per-agent ingest quota (collector config `ingest:`); unset limits have their defaults (ingest/quota.ts). */
  ingestQuota?: Partial<IngestQuota>;
}

/** The collector as a Fastify instance: tests inject() into it or listen() on port 0. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    bodyLimit: LIMITS.maxFrameBytes,
    requestIdHeader: 'x-request-id',
  });
  const clock = options.clock ?? systemClock;
  const ctx: CollectorContext = {
    store: options.store, clock, hub: new LiveHub(), connections: new AgentConnections(), events: new CollectorEvents(), version: VERSION, startedAt: clock(),
  };
  app.decorate('nines', ctx);
  app.decorateRequest('identity', null);
  options.store.resetConnections();

  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: LIMITS.maxFrameBytes },
    // Agents get "going away" (1001) and reconnect with backoff; dashboards likewise.
    preClose: async function (this: FastifyInstance) {
      await ctx.connections.closeAll(1001, 'collector shutting down');
      for (const client of this.websocketServer.clients) client.close(1001, 'collector shutting down');
    },
  });

  // Every /api and /ws/live request is authenticated unless its route says `config: { public: true }`.
  app.addHook('onRequest', async (request) => {
    const url = request.url;
    if (!url.startsWith('/api/') && !url.startsWith('/ws/live')) return;
    request.identity = resolveIdentity(request, ctx);
    const isPublic = (request.routeOptions.config as { public?: boolean } | undefined)?.public === true;
    if (!request.identity && !isPublic) throw new NinesError('UNAUTHORIZED');
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof NinesError) return reply.code(error.statusCode).send({ code: error.code, message: error.message });
    if (error.validation) return reply.code(400).send({ code: 'NINES_ERR_BAD_REQUEST', message: error.message });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ code: error.code ?? 'NINES_ERR_INTERNAL', message: status === 500 ? 'internal error' : error.message });
  });

  await app.register(openApi);
  await app.register(healthRoutes);
  await app.register(enrollRoutes);
  await app.register(sessionRoutes);
  await app.register(statusRoutes);
  await app.register(csrfProtection);
  await app.register(availabilityRoutes, { retention: options.retention });
  await app.register(maintenanceRoutes);
  await app.register(reportRoutes);
  await app.register(clientRoutes);
  await app.register(agentRoutes);
  await app.register(checkRoutes);
  await app.register(enrollmentTokenRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes);
  await app.register(alertingPlugin);
  await app.register(operationsPlugin);
  await app.register(agentSocketRoutes, { heartbeatMs: options.heartbeatMs, quota: options.ingestQuota });
  await app.register(liveSocketRoutes);

  if (options.dashboardDir && existsSync(options.dashboardDir)) {
    await app.register(fastifyStatic, { root: options.dashboardDir, index: 'index.html' });
  }

  app.addHook('onClose', async () => {
    options.store.resetConnections();
  });
  return app;
}
