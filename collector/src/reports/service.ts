/**
 * The collector's report mailing: built by `start()` from the config (smtp:, reports:, alerting.brand) when serve
 * starts, so a bad logo stops the start instead of failing a send. Before that, previews work and sends are refused.
 */
import { REPORT_DEFAULTS, type Clock, type ReportsConfig, type SmtpConfig } from '@nines/shared';
import type { Store } from '../store/store.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import type { Notifier } from '../notify/notifier.ts';
import { ReportDelivery, type ReportLog } from './delivery.ts';
import { loadBranding } from './pdf/branding.ts';
import { ALERT_DEFAULTS } from '../alerting/settings.ts';

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

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly log: ReportLog) {
    this.current = this.build({}, null);
  }

  get delivery(): ReportDelivery {
    return this.current;
  }

  /** Throws BrandingError for a missing or unreadable logo. */
  start(options: ReportStartOptions): void {
    const mailer = options.mailer ?? (options.smtp ? emailNotifier(options.smtp) : null);
    this.current = this.build(options, mailer);
    this.mailer?.close();
    this.mailer = mailer;
  }

  stop(): void {
    this.mailer?.close();
    this.mailer = null;
  }

  private build(options: ReportStartOptions, mailer: Notifier | null): ReportDelivery {
    return new ReportDelivery({
      store: this.store, clock: this.clock, log: this.log, mailer,
      senderDomain: senderDomain(options.smtp?.from ?? 'nines@nines.invalid'),
      branding: loadBranding(options.reports?.branding, options.brand ?? ALERT_DEFAULTS.brand),
      reports: options.reports ?? { monthly: { ...REPORT_DEFAULTS.monthly } },
    });
  }
}
