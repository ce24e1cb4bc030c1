import type { FastifyInstance } from 'fastify';
import { StatusResponseSchema } from '@nines/shared';
import { collectStatus } from '../../status.ts';

/** GET /api/v1/status: every agent the caller may see, with its checks' latest state. */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/status', { config: { access: 'client' }, schema: { response: { 200: StatusResponseSchema } } }, async (request) => {
    const { clientIds } = request.identity!;
    if (clientIds === null) return collectStatus(app.nines, undefined, app.recentFigures);
    return { agents: [...clientIds].flatMap((id) => collectStatus(app.nines, id, app.recentFigures).agents) };
  });
}
