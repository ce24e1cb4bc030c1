import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { alertingHealthDetail, AlertingHealthDetailSchema } from '../../alerting/health.ts';
import { scheduleHealth, ScheduleHealthSchema } from '../../schedule/health.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        querystring: Type.Object({ detail: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), alerting: Type.Optional(AlertingHealthDetailSchema), schedules: Type.Optional(Type.Array(ScheduleHealthSchema)) }) },
      },
    },
    async (request) => ({
      status: 'ok' as const, version: app.nines.version,
      ...((request.query as { detail?: boolean }).detail ? { alerting: await alertingHealthDetail(app.alerting), schedules: await scheduleHealth(app.schedules) } : {}),
    }),
  );
}
