import { Type, type Static } from '@sinclair/typebox';
import type { ScheduleService } from './service.ts';

/** What /healthz?detail=true shows of each schedule, without auth: names, times and outcomes, no error texts (GET /api/v1/schedules has them). */
export const ScheduleHealthSchema = Type.Object({
  job: Type.String(),
  nextAt: Type.Integer(),
  lastRunAt: Type.Union([Type.Integer(), Type.Null()]),
  lastOutcome: Type.Union([Type.Literal('running'), Type.Literal('ok'), Type.Literal('failed'), Type.Null()]),
});
export type ScheduleHealth = Static<typeof ScheduleHealthSchema>;

export const ScheduleDetailSchema = Type.Intersect([ScheduleHealthSchema, Type.Object({ schedule: Type.String(), lastError: Type.Union([Type.String(), Type.Null()]) })]);

export async function scheduleHealth(service: ScheduleService): Promise<ScheduleHealth[]> {
  return (await service.states()).map(({ job, nextAt, lastRunAt, lastOutcome }) => ({ job, nextAt, lastRunAt, lastOutcome }));
}
