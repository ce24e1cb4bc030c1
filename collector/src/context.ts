import type { Clock } from '@nines/shared';
import type { Store } from './store/store.ts';
import type { LiveHub } from './live/hub.ts';
import type { AgentConnections } from './ingest/connections.ts';

/** What the collector's plugins share; built once in buildApp and reachable as `app.nines`. */
export interface CollectorContext {
  store: Store;
  clock: Clock;
  hub: LiveHub;
  connections: AgentConnections;
  version: string;
  /** Collector start time: silence is only judged after a grace period from here. */
  startedAt: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    nines: CollectorContext;
  }
}
