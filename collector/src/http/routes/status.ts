import type { FastifyInstance } from 'fastify';
import { StatusResponseSchema } from '@nines/shared';

/** GET /api/v1/status: every agent the caller may see, with its checks' latest state. */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/status', { config: { access: 'client' }, schema: { response: { 200: StatusResponseSchema } } }, async (request, reply) => {
    // From the status in memory (live/status-model.ts), already JSON: a string with a JSON content type is sent as it is.
    return reply.type('application/json; charset=utf-8').send(await app.statusModel.json(request.identity!.clientIds));
  });
}
