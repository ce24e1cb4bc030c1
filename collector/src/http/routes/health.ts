import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { alertingHealthDetail, AlertingHealthDetailSchema } from '../../alerting/health.ts';
import { scheduleHealth, ScheduleHealthSchema } from '../../schedule/health.ts';

/** Whether other collectors share this one's database, and whether this one leads them (cluster/leadership.ts). */
const ClusterHealthSchema = Type.Object({ shared: Type.Boolean(), leading: Type.Boolean(), changedAt: Type.Union([Type.Integer(), Type.Null()]) });

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        querystring: Type.Object({ detail: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), cluster: Type.Optional(ClusterHealthSchema), alerting: Type.Optional(AlertingHealthDetailSchema), schedules: Type.Optional(Type.Array(ScheduleHealthSchema)) }) },
      },
    },
    async (request) => ({
      status: 'ok' as const, version: app.nines.version,
      ...((request.query as { detail?: boolean }).detail ? { cluster: { shared: app.nines.store.coordination.shared, leading: app.nines.leadership.leading, changedAt: app.nines.leadership.changedAt }, alerting: await alertingHealthDetail(app.alerting), schedules: await scheduleHealth(app.schedules) } : {}),
    }),
  );
}
