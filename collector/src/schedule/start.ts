import type { FastifyInstance } from 'fastify';
import { REPORT_DEFAULTS, type CollectorConfig } from '@nines/shared';
import type { Settings } from '../settings.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import { weeklyOverviewJob } from '../reports/weekly/job.ts';
import type { Job } from './scheduler.ts';

/**
 * The scheduled jobs the YAML's `reports:` section asks for, started in a running collector. Reports go out by
 * e-mail, so without `smtp:` no job is started (and the log says so).
 */
export async function startSchedulesFromConfig(app: FastifyInstance, settings: Settings, file: Pick<CollectorConfig, 'reports' | 'smtp' | 'alerting'>): Promise<void> {
  const jobs = scheduledJobs(app, settings, file);
  await app.schedules.start(jobs);
  app.log.info({ jobs: jobs.map((j) => `${j.name}: ${j.schedule.description}`) }, 'schedules started');
}

export function scheduledJobs(app: FastifyInstance, settings: Settings, file: Pick<CollectorConfig, 'reports' | 'smtp' | 'alerting'>): Job[] {
  const weekly = { ...REPORT_DEFAULTS.weekly, ...definedOnly(file.reports?.weekly ?? {}) };
  if (!weekly.enabled) return [];
  if (!file.smtp) {
    app.log.warn('no smtp: in the config: the weekly overview is not scheduled');
    return [];
  }
  const email = emailNotifier(file.smtp);
  try {
    const weeklyJob = weeklyOverviewJob({
      store: app.nines.store, clock: app.nines.clock, email, senderDomain: senderDomain(file.smtp.from), publicUrl: settings.publicUrl,
      brand: file.reports?.branding?.name ?? app.alerting.settings.brand,
      weekday: weekly.weekday, at: weekly.at, timezone: weekly.timezone, language: weekly.language,
    });
    return [{ ...weeklyJob, close: () => email.close() }];
  } catch (error) {
    email.close();
    throw new Error(`reports.weekly: ${(error as Error).message}`);
  }
}

/** Config keys left unset must not override the defaults with undefined. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
