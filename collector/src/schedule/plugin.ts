import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ScheduleService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scheduled jobs (schedule/service.ts): the reports that go out by the calendar. */
    schedules: ScheduleService;
  }
}

/** Decorates app.schedules; the jobs start when serve reads its config (schedule/start.ts); stopped when the app closes. */
async function schedules(app: FastifyInstance): Promise<void> {
  const store = app.nines.store;
  const service = new ScheduleService(store.jobRuns, app.nines.clock, app.log.child({ part: 'schedule' }), (now) => store.databaseInfo.since(now));
  app.decorate('schedules', service);
  app.addHook('onClose', async () => service.stop());
}

export const schedulePlugin = fp(schedules, { name: 'nines-schedules' });
