import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { LIMITS, systemClock, type Clock } from '@nines/shared';
import type { Store } from './store/store.ts';
import { LiveHub } from './live/hub.ts';
import { Leadership } from './cluster/leadership.ts';
import { ConnectionMarks } from './cluster/connection-marks.ts';
import { failAbandonedRuns } from './cluster/abandoned-runs.ts';
import { bridgeEvents } from './cluster/bridge.ts';
import { connectLiveFeed } from './live/feed.ts';
import { availabilityPlugin } from './availability/plugin.ts';
import { LiveSockets } from './live/live-sockets.ts';
import { SESSION_TTL_MS } from './http/routes/session.ts';
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
import { reportsPlugin } from './reports/plugin.ts';
import { statusPageRoutes } from './http/routes/status-pages.ts';
import { overviewPlugin } from './live/overview-plugin.ts';
import { statusPlugin } from './live/status-plugin.ts';
import { csrfProtection } from './auth/csrf.ts';
import { clientRoutes } from './http/routes/clients.ts';
import { agentRoutes } from './http/routes/agents.ts';
import { checkRoutes } from './http/routes/checks.ts';
import { enrollmentTokenRoutes } from './http/routes/enrollment-tokens.ts';
import { userRoutes } from './http/routes/users.ts';
import { tokenRoutes } from './http/routes/tokens.ts';
import { accessControl, collectRoutes, type DeclaredRoute } from './auth/access.ts';
import { httpLimitsOf, type HttpLimits } from './http/limits.ts';
import { NinesError } from './errors.ts';
import { VERSION } from './version.ts';
import type { CollectorContext } from './context.ts';
import { alertingPlugin } from './alerting/plugin.ts';
import { schedulePlugin } from './schedule/plugin.ts';
import { scheduleRoutes } from './http/routes/schedules.ts';
import { operationsPlugin } from './ops/plugin.ts';
import { downloadRoutes } from './http/routes/downloads.ts';
import { AGENT_BUNDLE } from './layout.ts';
import { UpgradeService } from './upgrade/service.ts';
import { upgradeRoutes } from './upgrade/routes.ts';
import { ephemeralSigningKey, type SigningKey } from './upgrade/signing-key.ts';

export interface AppOptions {
  store: Store;
  clock?: Clock;
  /** Served at /download/ (agent executables, WinSW, SHA256SUMS); only the bundle is served when absent. */
  downloadsDir?: string;
  /** The bundled agent served at /download/nines-agent.mjs (default agent/dist/nines-agent.mjs). */
  agentBundle?: string;
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
  /** Trusted proxies and request timeouts (settings; defaults in http/limits.ts). */
  http?: Partial<HttpLimits>;
  /** How long a login lasts; tests shorten it to see the live socket close at expiry. */
  sessionTtlMs?: number;
  /** Agent upgrades: the key that signs SHA256SUMS (the server loads it from the data dir; a fresh one lives only this
   * long when absent) and the YAML's `upgrade.automatic`. */
  upgrade?: { signingKey?: SigningKey; automatic?: boolean };
}

const declaredRoutes = new WeakMap<FastifyInstance, () => DeclaredRoute[]>();

/** Every route of a built app with the access it declares (the test asserts none is missing). */
export function routesOf(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredRoutes.get(app)?.() ?? [];
}

/** The collector as a Fastify instance: tests inject() into it or listen() on port 0. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits = httpLimitsOf(options.http);
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    bodyLimit: LIMITS.maxFrameBytes,
    requestIdHeader: 'x-request-id',
    // request.ip is the X-Forwarded-For client only when the peer is a listed proxy; otherwise the peer itself.
    trustProxy: limits.trustedProxies.length > 0 ? [...limits.trustedProxies] : false,
    // A request (headers and body) must arrive whole within requestTimeoutMs; an idle socket closes after idleTimeoutMs.
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      // Node checks the two above only this often (its default, 30 s, would let a short timeout run long).
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.requestTimeoutMs / 4))),
    },
  });
  declaredRoutes.set(app, collectRoutes(app));
  const clock = options.clock ?? systemClock;
  const ctx: CollectorContext = {
    store: options.store, clock, hub: new LiveHub(), liveSockets: new LiveSockets(), sessionTtlMs: options.sessionTtlMs ?? SESSION_TTL_MS, connections: new AgentConnections(), events: new CollectorEvents(), version: VERSION, startedAt: clock(),
    leadership: new Leadership(),
    upgrade: new UpgradeService(options.upgrade?.signingKey ?? ephemeralSigningKey(), options.store, options.downloadsDir ?? null, VERSION, options.upgrade?.automatic),
  };
  app.decorate('nines', ctx);
  const disconnectLiveFeed = connectLiveFeed(ctx.events, ctx.hub);
  const bridge = bridgeEvents(ctx.events, options.store.coordination, app.log);
  const connectionMarks = new ConnectionMarks(ctx, app.log);
  app.decorateRequest('identity', null);
  // Agents marked connected by this collector's previous run are not: on SQLite that is every mark. On a shared store
  // this run has a new instance and holds none yet; the previous run's marks are released by the leader once its
  // coordination session is gone (cluster/connection-marks.ts).
  await options.store.resetConnections();

  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: LIMITS.maxFrameBytes },
    // Agents get "going away" (1001) and reconnect with backoff; dashboards likewise.
    preClose: async function (this: FastifyInstance) {
      await ctx.connections.closeAll(1001, 'collector shutting down');
      for (const client of this.websocketServer.clients) client.close(1001, 'collector shutting down');
    },
  });

  await app.register(accessControl);

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
  await app.register(availabilityPlugin, { retention: options.retention });
  await app.register(statusPlugin);
  await app.register(availabilityRoutes);
  await app.register(maintenanceRoutes);
  await app.register(reportsPlugin);
  await app.register(statusPageRoutes);
  await app.register(overviewPlugin);
  await app.register(clientRoutes);
  await app.register(agentRoutes);
  await app.register(checkRoutes);
  await app.register(enrollmentTokenRoutes);
  await app.register(userRoutes);
  await app.register(tokenRoutes);
  await app.register(alertingPlugin);
  await app.register(schedulePlugin);
  await app.register(scheduleRoutes);
  await app.register(operationsPlugin);
  await app.register(agentSocketRoutes, { heartbeatMs: options.heartbeatMs, quota: options.ingestQuota });
  await app.register(liveSocketRoutes);
  // Before the downloads: /download/SHA256SUMS.sig is a static route beside their /download/:name.
  await app.register(upgradeRoutes);
  await app.register(downloadRoutes, { dir: options.downloadsDir ?? null, bundle: options.agentBundle ?? AGENT_BUNDLE });

  if (options.dashboardDir && existsSync(options.dashboardDir)) {
    const dashboardDir = options.dashboardDir;
    await app.register(async (files) => {
      // The dashboard's files are public (the page logs in through the API); @fastify/static takes no route config.
      files.addHook('onRoute', (route) => {
        route.config = Object.assign(route.config ?? {}, { access: 'public' as const });
      });
      await files.register(fastifyStatic, { root: dashboardDir, index: 'index.html' });
    });
  }

  app.addHook('onClose', async () => {
    disconnectLiveFeed();
    bridge.detach();
    await options.store.coordination.stop();
    await options.store.resetConnections();
  });
  // Last: the plugins above listen to the leadership, and on SQLite this collector leads from here on.
  await options.store.coordination.start({
    leading: (leading) => ctx.leadership.set(leading, clock()),
    message: (text) => bridge.receive(text),
    collectorsLeft: async () => void (await Promise.all([connectionMarks.releaseOrphaned(), failAbandonedRuns(options.store.jobRuns, clock, app.log)])),
    rejoined: () => connectionMarks.markHeld(),
  });
  return app;
}
