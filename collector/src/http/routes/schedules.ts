import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { requireAdmin } from '../../auth/guards.ts';
import { ScheduleDetailSchema } from '../../schedule/health.ts';

/** The scheduled jobs with their rule, next run and last outcome, error text included (admin only; /healthz shows them without it). */
export async function scheduleRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/schedules', { config: { access: 'admin' }, schema: { response: { 200: Type.Object({ schedules: Type.Array(ScheduleDetailSchema) }) } } }, async (request) => {
    requireAdmin(request);
    return { schedules: await app.schedules.states() };
  });
}
