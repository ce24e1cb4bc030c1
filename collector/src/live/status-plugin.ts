import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CollectorEventMap } from '../events.ts';
import { StatusModel } from './status-model.ts';

/**
 * The status in memory (status-model.ts) as `app.statusModel`: an agent is marked by the post-commit events that change
 * what its entry shows without changing its agent record (check states, gaps, silence).
 */
async function status(app: FastifyInstance): Promise<void> {
  const { events } = app.nines;
  const model = new StatusModel(app.nines, app.recentFigures);
  app.decorate('statusModel', model);
  const mark = ({ agentId }: { agentId: string }) => model.markDirty(agentId);
  const kinds = ['checksChanged', 'resultsStored', 'agentConnection', 'agentSilent', 'agentHeard', 'gapStored'] as const satisfies ReadonlyArray<keyof CollectorEventMap>;
  // A gap's span counts UNKNOWN: the agent's reused 24 h figures are wrong from now on, not just older.
  const gap = ({ agentId }: { agentId: string }) => app.recentFigures.forget(`${agentId}/`);
  for (const kind of kinds) events.on(kind, mark);
  events.on('gapStored', gap);
  app.addHook('onClose', async () => {
    for (const kind of kinds) events.off(kind, mark);
    events.off('gapStored', gap);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every agent's status in memory (live/status-model.ts): GET /api/v1/status and a client's hosts. */
    statusModel: StatusModel;
  }
}

export const statusPlugin = fp(status, { name: 'nines-status', dependencies: ['nines-availability'] });
