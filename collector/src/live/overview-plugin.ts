import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CollectorEventMap } from '../events.ts';
import { HOUR_MS } from '../availability/rollups.ts';
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
  events.on('agentConnection', mark);
  // What changes a host's heartbeat bar marks it from the time it touched.
  const earliest = (results: ReadonlyArray<{ startedAt: number }>) => results.reduce((min, r) => Math.min(min, r.startedAt), Infinity);
  const onChecks = ({ clientId, agentId, latest }: CollectorEventMap['checksChanged'][0]) => model.markHost(clientId, agentId, earliest(latest));
  // A result of an hour before the running one (a replay after an outage) fills a gap in a finished cell, whether or
  // not it changed the check's state; the running hour's own results reach the bar through checksChanged above.
  const onStored = ({ clientId, agentId, inserted, remote }: CollectorEventMap['resultsStored'][0]) => {
    const from = remote ? remote.from : earliest(inserted);
    if (from < Math.floor(clock() / HOUR_MS) * HOUR_MS) model.markHost(clientId, agentId, from);
  };
  const onGap = ({ clientId, agentId, gap }: CollectorEventMap['gapStored'][0]) => model.markHost(clientId, agentId, gap.from);
  const onSilence = ({ clientId, agentId, silentSince }: CollectorEventMap['agentSilent'][0]) => model.markHost(clientId, agentId, silentSince);
  events.on('checksChanged', onChecks);
  events.on('resultsStored', onStored);
  events.on('gapStored', onGap);
  events.on('agentSilent', onSilence);
  events.on('agentHeard', onSilence);
  let lastAll = clock();
  let flushing = false; // one flush at a time: a slow one is not overtaken by the next tick
  const push = async () => {
    if (hub.size === 0 || flushing) return;
    const now = clock();
    const all = now - lastAll >= OVERVIEW_MAX_AGE_MS;
    if (all) lastAll = now;
    flushing = true;
    try {
      for (const { row, bars } of await model.flush(all)) hub.publish(row.id, { type: 'overview', client: row, bars, at: now });
    } catch (err) {
      app.log.error({ err }, 'overview flush failed');
    } finally {
      flushing = false;
    }
  };
  const timer = setInterval(() => void push(), OVERVIEW_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    events.off('agentConnection', mark);
    events.off('checksChanged', onChecks);
    events.off('resultsStored', onStored);
    events.off('gapStored', onGap);
    events.off('agentSilent', onSilence);
    events.off('agentHeard', onSilence);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The overview in memory (live/overview-model.ts). */
    overview: OverviewModel;
  }
}

export const overviewPlugin = fp(overview, { name: 'nines-overview' });
