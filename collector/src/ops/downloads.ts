/**
 * GET /download/nines-agent.mjs: the bundled agent (`npm run build`), so a client machine fetches it
 * from the collector it will report to. Public: the bundle holds no secret, the token does.
 */
import type { FastifyInstance } from 'fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { NinesError } from '../errors.ts';
import { AGENT_BUNDLE } from '../layout.ts';

export { AGENT_BUNDLE };

export function downloadRoutes(bundle = AGENT_BUNDLE) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/download/nines-agent.mjs', { config: { access: 'public' } }, async (_request, reply) => {
      if (!existsSync(bundle)) throw new NinesError('NOT_FOUND', 'the agent bundle is not built on this collector (run `npm run build`)');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('content-disposition', 'attachment; filename="nines-agent.mjs"')
        .header('content-length', statSync(bundle).size)
        .header('cache-control', 'no-cache')
        .send(createReadStream(bundle));
    });
  };
}
