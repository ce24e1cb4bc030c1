import type { Clock } from '@nines/shared';
import type { Store } from './store/store.ts';
import type { LiveHub } from './live/hub.ts';
import type { LiveSockets } from './live/live-sockets.ts';
import type { AgentConnections } from './ingest/connections.ts';
import type { CollectorEvents } from './events.ts';
import type { Leadership } from './cluster/leadership.ts';
import type { UpgradeService } from './upgrade/service.ts';

/** What the collector's plugins share; built once in buildApp and reachable as `app.nines`. */
export interface CollectorContext {
  store: Store;
  clock: Clock;
  hub: LiveHub;
  /** Open /ws/live sockets by credential: logout, user or token deletion and expiry close them. */
  liveSockets: LiveSockets;
  /** How long a login lasts (12 h unless a test shortens it). */
  sessionTtlMs: number;
  connections: AgentConnections;
  /** Post-commit events: subscribe here instead of editing the ingest path. */
  events: CollectorEvents;
  version: string;
  /** Collector start time: silence is only judged after a grace period from here. */
  startedAt: number;
  /** Whether this collector leads the ones sharing its database (cluster/leadership.ts). */
  leadership: Leadership;
  /** Agent upgrades: signing key, the build on offer, the automatic switch. */
  upgrade: UpgradeService;
}

declare module 'fastify' {
  interface FastifyInstance {
    nines: CollectorContext;
  }
}
