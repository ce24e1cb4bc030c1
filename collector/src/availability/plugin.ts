import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startAvailability } from './service.ts';
import { retentionFromEnv, type Retention } from './retention.ts';
import { RecentFigures } from './recent-figures.ts';

export interface AvailabilityPluginOptions {
  /** Retention from the config file; each unset part from the environment or its default. */
  retention?: Partial<Retention>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The availability service (availability/service.ts): rollup marks and flushes, retention timers. */
    availability: ReturnType<typeof startAvailability>;
    /** Checks' 24 h figures reused for up to 30 s by the status and client routes (recent-figures.ts). */
    recentFigures: RecentFigures;
  }
}

/**
 * Keeps the rollups current and old rows deleted: ingest events mark rollups dirty, timers flush them and
 * apply retention. Its own plugin, so the availability routes only read; stopped when the app closes.
 */
async function availability(app: FastifyInstance, options: AvailabilityPluginOptions): Promise<void> {
  const retention = options.retention && { ...retentionFromEnv(), ...definedOnly(options.retention) };
  const service = startAvailability(app.nines, app.log, retention ? { retention } : {});
  app.decorate('availability', service);
  app.decorate('recentFigures', new RecentFigures());
  app.addHook('onClose', async () => service.stop());
}

/** Config keys left unset must not override the environment's values with undefined. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const availabilityPlugin = fp(availability, { name: 'nines-availability' });
