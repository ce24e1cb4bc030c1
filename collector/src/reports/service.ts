/**
 * The collector's report mailing: built by `start()` from the config (smtp:, reports:, alerting.brand) when serve
 * starts, so a bad logo stops the start instead of failing a send. Before that, previews work and sends are refused.
 * Parts of `reports:` saved through the API (store.reportSettings) take the file's place; `reload()` rebuilds after
 * one was saved or deleted.
 */
import { REPORT_DEFAULTS, type Clock, type ReportsConfig, type SmtpConfig } from '@nines/shared';
import type { Store } from '../store/store.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import type { Notifier } from '../notify/notifier.ts';
import { ReportDelivery, type ReportLog } from './delivery.ts';
import { loadBranding, loadStoredBranding, type LoadedBranding } from './pdf/branding.ts';
import { reportSettingsInEffect, type ReportSettingsInEffect } from './settings.ts';
import { ALERT_DEFAULTS } from '../alerting/settings.ts';
import type { SavedReportSettings } from '../store/report-settings.ts';

export interface ReportStartOptions {
  smtp?: SmtpConfig;
  reports?: ReportsConfig;
  brand?: string;
  /** Replaces the SMTP sender (tests of failure paths). */
  mailer?: Notifier;
}

export class ReportService {
  private current: ReportDelivery;
  private mailer: Notifier | null = null;
  private options: ReportStartOptions = {};

  /** Builds from the file's settings alone; `reload()` (the reports plugin awaits it at start) adds those saved. */
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly log: ReportLog) {
    this.current = this.build({}, null, []);
  }

  get delivery(): ReportDelivery {
    return this.current;
  }

  /** Throws BrandingError for a missing or unreadable logo. */
  async start(options: ReportStartOptions): Promise<void> {
    const saved = await this.store.reportSettings.list();
    const mailer = options.mailer ?? (options.smtp ? emailNotifier(options.smtp) : null);
    try {
      this.current = this.build(options, mailer, saved);
    } catch (error) {
      if (!options.mailer) mailer?.close();
      throw error;
    }
    this.mailer?.close();
    this.mailer = mailer;
    this.options = options;
  }

  /** Rebuilds the delivery from the file's settings and those saved now; the SMTP connection stays. */
  async reload(): Promise<void> {
    this.current = this.build(this.options, this.mailer, await this.store.reportSettings.list());
  }

  /** The settings in effect: the file's `reports:` with each saved part in its place. */
  async inEffect(): Promise<ReportSettingsInEffect> {
    return reportSettingsInEffect(this.options.reports, await this.store.reportSettings.list());
  }

  /** The file's `reports:` section as serve read it. */
  get fileReports(): ReportStartOptions['reports'] {
    return this.options.reports;
  }

  /** The brand name reports fall back to when the branding names none (alerting.brand). */
  get fallbackBrand(): string {
    return this.options.brand ?? ALERT_DEFAULTS.brand;
  }

  stop(): void {
    this.mailer?.close();
    this.mailer = null;
  }

  private build(options: ReportStartOptions, mailer: Notifier | null, saved: readonly SavedReportSettings[]): ReportDelivery {
    const effect = reportSettingsInEffect(options.reports, saved);
    const fallback = options.brand ?? ALERT_DEFAULTS.brand;
    const branding: LoadedBranding = effect.branding.source === 'stored' ? loadStoredBranding(effect.branding.stored, fallback) : loadBranding(effect.branding.file, fallback);
    return new ReportDelivery({
      store: this.store, clock: this.clock, log: this.log, mailer,
      senderDomain: senderDomain(options.smtp?.from ?? 'nines@nines.invalid'),
      branding,
      reports: Object.keys(effect.reports).length > 0 ? effect.reports : { monthly: { ...REPORT_DEFAULTS.monthly } },
    });
  }
}
