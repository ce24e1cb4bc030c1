import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * The OpenAPI 3 document of /api/v1, generated from the same TypeBox schemas the routes validate with.
 * Registered before the routes (it collects them as they are added); public, since it holds no data.
 */
export const openApi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Nines API', version: app.nines.version, description: 'Uptime, backup and patch monitoring: docs/dashboard.md, docs/availability.md, docs/alerting.md' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'nines_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    hideUntagged: false,
  });
  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
});
