import type { FastifyInstance } from 'fastify';
import { REPORT_DEFAULTS, type CollectorConfig } from '@nines/shared';
import type { Settings } from '../settings.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import { weeklyOverviewJob } from '../reports/weekly/job.ts';
import { clientReportsJob } from '../reports/job.ts';
import type { Job } from './scheduler.ts';
import { reportSettingsInEffect } from '../reports/settings.ts';

/**
 * The scheduled jobs the YAML's `reports:` section asks for, started in a running collector. Reports go out by
 * e-mail, so without `smtp:` no job is started (and the log says so).
 */
export async function startSchedulesFromConfig(app: FastifyInstance, settings: Settings, file: Pick<CollectorConfig, 'reports' | 'smtp' | 'alerting'>): Promise<void> {
  // Built again by app.schedules.reload() when report settings are saved through the API.
  const jobs = async () => {
    const built = scheduledJobs(app, settings, { ...file, reports: await reportsInEffect(app, file.reports) });
    app.log.info({ jobs: built.map((j) => `${j.name}: ${j.schedule.description}`) }, 'schedules armed');
    return built;
  };
  await app.schedules.start(jobs);
}

/** The file's `reports:` with the parts saved through the API in their place (the weekly job needs only the brand name of the branding). */
async function reportsInEffect(app: FastifyInstance, file: CollectorConfig['reports']): Promise<CollectorConfig['reports']> {
  const effect = reportSettingsInEffect(file, await app.nines.store.reportSettings.list());
  const name = effect.branding.source === 'stored' ? effect.branding.stored.name : effect.branding.file?.name;
  return { ...effect.reports, ...(name ? { branding: { name } } : {}) };
}

export function scheduledJobs(app: FastifyInstance, settings: Settings, file: Pick<CollectorConfig, 'reports' | 'smtp' | 'alerting'>): Job[] {
  const weekly = { ...REPORT_DEFAULTS.weekly, ...definedOnly(file.reports?.weekly ?? {}) };
  const monthly = { ...REPORT_DEFAULTS.monthly, ...definedOnly(file.reports?.monthly ?? {}) };
  const yearly = { ...REPORT_DEFAULTS.yearly, ...definedOnly(file.reports?.yearly ?? {}) };
  if (!file.smtp) {
    if (weekly.enabled || monthly.enabled || yearly.enabled) app.log.warn('no smtp: in the config: no report is scheduled');
    return [];
  }
  // The clients' reports: app.reports was started from the same file before (serve), with its SMTP and branding.
  const jobs: Job[] = monthly.enabled || yearly.enabled ? [clientReportsJob(() => app.reports.delivery)] : [];
  if (!weekly.enabled) return jobs;
  const email = emailNotifier(file.smtp);
  try {
    const weeklyJob = weeklyOverviewJob({
      store: app.nines.store, clock: app.nines.clock, email, senderDomain: senderDomain(file.smtp.from), publicUrl: settings.publicUrl,
      brand: file.reports?.branding?.name ?? app.alerting.settings.brand,
      weekday: weekly.weekday, at: weekly.at, timezone: weekly.timezone, language: weekly.language,
    });
    return [...jobs, { ...weeklyJob, close: () => email.close() }];
  } catch (error) {
    email.close();
    throw new Error(`reports.weekly: ${(error as Error).message}`);
  }
}

/** Config keys left unset must not override the defaults with undefined. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
