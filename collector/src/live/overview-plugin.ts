import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CollectorEventMap } from '../events.ts';
import { OverviewModel, OVERVIEW_FLUSH_MS, OVERVIEW_MAX_AGE_MS } from './overview-model.ts';

/**
 * The in-memory overview (overview-model.ts) as `app.overview`: marked dirty by the post-commit events, read by
 * GET /api/v1/overview, and flushed to the live socket as 'overview' rows while any dashboard listens.
 */
async function overview(app: FastifyInstance): Promise<void> {
  const { store, clock, events, hub } = app.nines;
  const model = new OverviewModel(store, clock, app.log);
  app.decorate('overview', model);
  const mark = ({ clientId }: { clientId: number }) => model.markDirty(clientId);
  const kinds = ['checksChanged', 'agentConnection', 'agentSilent', 'agentHeard', 'gapStored'] as const satisfies ReadonlyArray<keyof CollectorEventMap>;
  for (const kind of kinds) events.on(kind, mark);
  let lastAll = clock();
  const push = () => {
    if (hub.size === 0) return;
    const now = clock();
    const all = now - lastAll >= OVERVIEW_MAX_AGE_MS;
    if (all) lastAll = now;
    try {
      for (const row of model.flush(all)) hub.publish(row.id, { type: 'overview', client: row, at: now });
    } catch (err) {
      app.log.error({ err }, 'overview flush failed');
    }
  };
  const timer = setInterval(push, OVERVIEW_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    for (const kind of kinds) events.off(kind, mark);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The overview in memory (live/overview-model.ts). */
    overview: OverviewModel;
  }
}

export const overviewPlugin = fp(overview, { name: 'nines-overview' });
