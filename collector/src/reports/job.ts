import type { Schedule } from '../schedule/rule.ts';
import type { Job } from '../schedule/scheduler.ts';
import type { ReportDelivery } from './delivery.ts';

export const CLIENT_REPORTS_JOB = 'client-reports';

const HOUR_MS = 3_600_000;

/**
 * Every full hour (UTC). Each client's report is due at a local time in the client's own zone, so one schedule
 * cannot name it; the hourly run asks ReportDelivery which clients are due (their day and time have come, within
 * the catch-up days) and sends what report_sends does not have yet. A report at 08:00 therefore goes at the first
 * full hour at or after 08:00 local — exactly 08:00 in every zone with whole-hour offsets.
 */
export const EVERY_HOUR: Schedule = {
  description: 'hourly: monthly and yearly reports due in each client\'s zone',
  next: (afterMs) => (Math.floor(afterMs / HOUR_MS) + 1) * HOUR_MS,
};

/** The monthly reports and, on 1 January, the yearly summaries, as one scheduled job. */
export function clientReportsJob(delivery: () => ReportDelivery): Job {
  return {
    name: CLIENT_REPORTS_JOB,
    schedule: EVERY_HOUR,
    // A missed hour is made up by the next one (the catch-up days are the delivery's); one hour back is enough.
    lookBackMs: HOUR_MS,
    async run(slotMs) {
      const outcomes = [...await delivery().runMonthlyReports(slotMs), ...await delivery().runYearlyReports(slotMs)];
      const failed = outcomes.filter((o) => o.status === 'failed');
      if (failed.length > 0) throw new Error(`${failed.length} report mail(s) failed; retried on the next run`);
    },
  };
}
