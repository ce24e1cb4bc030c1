/**
 * The log level at run time: GET/PUT /api/v1/admin/log-level (admins only). Changing it takes effect
 * at once for every request and module logger (pino children follow their parent) and lasts until the
 * collector restarts; the configured level (logLevel / NINES_LOG_LEVEL) applies again after that.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireAdmin } from '../auth/guards.ts';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LogLevelSchema = Type.Object({ level: Type.Union(LEVELS.map((l) => Type.Literal(l))) }, { additionalProperties: false });

export async function logLevelRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/admin/log-level', { config: { access: 'admin', scope: 'admin' }, schema: { response: { 200: LogLevelSchema } } }, async (request) => {
    requireAdmin(request);
    return { level: app.log.level as Static<typeof LogLevelSchema>['level'] };
  });
  app.put<{ Body: Static<typeof LogLevelSchema> }>('/api/v1/admin/log-level', { config: { access: 'admin', scope: 'admin' }, schema: { body: LogLevelSchema, response: { 200: LogLevelSchema } } }, async (request) => {
    const identity = requireAdmin(request);
    const previous = app.log.level;
    app.log.level = request.body.level;
    // Logged at warn so the change itself shows even when the new level is quieter.
    app.log.warn({ from: previous, to: request.body.level, by: identity.user.username }, 'log level changed');
    return { level: request.body.level };
  });
}
