import type { FastifyInstance } from 'fastify';
import { collectStatus } from '../../status.ts';

/** GET /api/v1/status: every agent the caller may see, with its checks' latest state. */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/status', async (request) => {
    const { clientIds } = request.identity!;
    if (clientIds === null) return collectStatus(app.nines);
    return { agents: [...clientIds].flatMap((id) => collectStatus(app.nines, id).agents) };
  });
}
