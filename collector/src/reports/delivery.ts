/**
 * Monthly and yearly reports by e-mail, exactly once per client, period and recipient. For each recipient a row
 * with a fixed Message-ID is written (store.reportSends) before the mail goes to SMTP and marked sent after: a
 * second run sends nothing, and a crash in between resends the very same message once. A resend on request gets
 * new rows (resend 1, 2, …) and new Message-IDs. The scheduler calls `runMonthlyReports` / `runYearlyReports`
 * with its slot; which client is due is decided here, in the client's time zone.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { REPORT_DEFAULTS, type Clock, type ReportsConfig } from '@nines/shared';
import { NinesError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Recipient } from '../store/recipients.ts';
import type { Notifier, OutgoingMessage } from '../notify/notifier.ts';
import { clientInfo, type ClientInfo } from '../availability/source.ts';
import { fromLocal, monthOf, monthRange, toLocal } from '../availability/zoned-time.ts';
import { monthlyReport } from './monthly.ts';
import { yearlyReport } from './yearly.ts';
import { renderMonthlyReport } from './html.ts';
import { renderMonthlyPdf } from './pdf/monthly-pdf.ts';
import { renderYearlyPdf } from './pdf/yearly-pdf.ts';
import type { LoadedBranding } from './pdf/branding.ts';
import { Formatter } from './format.ts';
import { MESSAGES, type Lang } from './messages.ts';

export type ReportLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface ReportDeliveryOptions {
  store: Store;
  clock: Clock;
  log: ReportLog;
  /** The e-mail channel; null without `smtp:` (then nothing is sent and nothing is recorded). */
  mailer: Notifier | null;
  /** Message-IDs are made under the sender's domain. */
  senderDomain: string;
  branding: LoadedBranding;
  reports?: ReportsConfig;
}

/** Who gets a report: the client's report recipients and, as a copy, the consultant's e-mail contact points. */
export interface ReportAddressee {
  recipient: Recipient;
  copy: boolean;
}

export interface PreviewEntry {
  recipientId: number;
  name: string;
  address: string;
  language: Lang;
  copy: boolean;
  subject: string;
  /** The last send of this period to this recipient, if any. */
  sentAt: number | null;
  messageId: string | null;
}

export interface SendOutcome {
  clientId: number;
  period: string;
  recipientId: number;
  address: string;
  messageId: string;
  /** sent: now; already: sent before (nothing done); failed: will be retried by the next run. */
  status: 'sent' | 'already' | 'failed';
  error?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

/** "YYYY-MM" or "YYYY", checked against the client's clock: a period that has not begun yet is refused. */
export function checkPeriod(period: string, client: ClientInfo, now: number): 'month' | 'year' {
  const kind = MONTH.test(period) ? 'month' : YEAR.test(period) ? 'year' : null;
  if (!kind) throw new NinesError('BAD_REQUEST', `period "${period}" (use YYYY-MM for a month or YYYY for a year)`);
  const from = kind === 'month' ? monthRange(period, client.timeZone)[0] : fromLocal(Number(period), 1, 1, 0, 0, client.timeZone);
  if (from > now) throw new NinesError('BAD_REQUEST', `${kind} ${period} lies in the future`);
  return kind;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The month before "YYYY-MM". */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const slug = (name: string) => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'client';

interface Rendered { subject: string; html: string; text: string; pdf: Buffer; filename: string }

/** How many days after its due day a report not sent yet (the collector was down) still goes out. */
export const CATCH_UP_DAYS = 7;

/** Whether local time is at or after `day` at `minutes`, and before the end of the catch-up days. */
function withinCatchUp(local: { day: number; hour: number; minute: number }, day: number, minutes: number): boolean {
  if (local.day < day || local.day >= day + CATCH_UP_DAYS) return false;
  return local.day > day || local.hour * 60 + local.minute >= minutes;
}

export class ReportDelivery {
  /** Sends run one after another: two overlapping runs could both find a row unsent and mail it twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ReportDeliveryOptions) {}

  get branding(): LoadedBranding {
    return this.o.branding;
  }

  private get monthly() {
    return { ...REPORT_DEFAULTS.monthly, ...this.o.reports?.monthly };
  }

  private get yearly() {
    return { ...REPORT_DEFAULTS.yearly, ...this.o.reports?.yearly };
  }

  private async client(idOrName: string | number): Promise<ClientInfo> {
    const client = await clientInfo(this.o.store, idOrName);
    if (!client) throw new NinesError('NOT_FOUND', `client ${idOrName}`);
    return client;
  }

  /** The client's report recipients (enabled e-mail contact points with `reports`), then the consultant's copies. */
  async addressees(clientId: number): Promise<ReportAddressee[]> {
    const all = (await this.o.store.recipients.forClient(clientId)).filter((r) => r.channel === 'email' && r.enabled);
    const own = all.filter((r) => r.clientId === clientId && r.reports).map((recipient) => ({ recipient, copy: false }));
    const copies = this.monthly.copyToConsultant ? all.filter((r) => r.clientId === null).map((recipient) => ({ recipient, copy: true })) : [];
    return [...own, ...copies];
  }

  /**
   * Last month's report for each client whose monthly day and time (its own zone) have come at `slotMs` — or came
   * in the last CATCH_UP_DAYS days, so a collector that was down on the day sends when it is back. A report already
   * sent is not sent again (report_sends), which makes calling this every hour cheap and exact. A month that ended
   * before the client was created is never sent: its first report is of the month it was created in, flagged as
   * resting on partial data by its coverage.
   */
  async runMonthlyReports(slotMs: number): Promise<SendOutcome[]> {
    const { enabled, day, at } = this.monthly;
    if (!enabled) return [];
    const outcomes: SendOutcome[] = [];
    for (const client of await this.o.store.listClients()) {
      const info = await this.client(client.id);
      const local = toLocal(slotMs, info.timeZone);
      if (!withinCatchUp(local, day, minutesOf(at))) continue;
      const month = previousMonth(monthOf(slotMs, info.timeZone));
      // A client created on 3 December has no November: its first report is December's (a partial month).
      if (monthRange(month, info.timeZone)[1] <= info.createdAt) continue;
      outcomes.push(...await this.send(info, month, false));
    }
    return outcomes;
  }

  /** Last year's summary for each client once 1 January's time (its own zone) has come at `slotMs`, or came in the last CATCH_UP_DAYS days. */
  async runYearlyReports(slotMs: number): Promise<SendOutcome[]> {
    const { enabled, at } = this.yearly;
    if (!enabled) return [];
    const outcomes: SendOutcome[] = [];
    for (const client of await this.o.store.listClients()) {
      const info = await this.client(client.id);
      const local = toLocal(slotMs, info.timeZone);
      if (local.month !== 1 || !withinCatchUp(local, 1, minutesOf(at))) continue;
      // Nor a summary of a year that ended before the client existed.
      if (fromLocal(local.year, 1, 1, 0, 0, info.timeZone) <= info.createdAt) continue;
      outcomes.push(...await this.send(info, String(local.year - 1), false));
    }
    return outcomes;
  }

  /** A report sent again on request: new rows and Message-IDs, whatever was sent before. */
  async resend(clientIdOrName: string | number, period: string): Promise<SendOutcome[]> {
    const client = await this.client(clientIdOrName);
    checkPeriod(period, client, this.o.clock());
    if (!this.o.mailer) throw new NinesError('BAD_REQUEST', 'no smtp: section in the config: reports cannot be mailed');
    return this.send(client, period, true);
  }

  /** Who would get what for this period, and whether it was sent already; nothing is rendered or recorded. */
  async preview(clientIdOrName: string | number, period: string): Promise<{ clientId: number; client: string; period: string; mailer: boolean; recipients: PreviewEntry[] }> {
    const client = await this.client(clientIdOrName);
    const kind = checkPeriod(period, client, this.o.clock());
    const sends = await this.o.store.reportSends.forPeriod(client.id, period);
    return {
      clientId: client.id, client: client.name, period, mailer: this.o.mailer !== null,
      recipients: (await Promise.all((await this.addressees(client.id)).map(async ({ recipient: r, copy }) => {
        const last = sends.filter((s) => s.recipientId === r.id && s.sentAt !== null).at(-1);
        return {
          recipientId: r.id, name: r.name, address: r.address, language: r.language, copy,
          subject: this.subject(kind, period, client, r.language), sentAt: last?.sentAt ?? null, messageId: last?.messageId ?? null,
        };
      }))),
    };
  }

  private subject(kind: 'month' | 'year', period: string, client: ClientInfo, lang: Lang): string {
    const m = MESSAGES[lang];
    if (kind === 'year') return m.yearMailSubject.replace('{0}', period).replace('{1}', client.name);
    const monthTitle = new Formatter(lang, client.timeZone).monthTitle(monthRange(period, client.timeZone)[0]);
    return m.mailSubject.replace('{0}', monthTitle).replace('{1}', client.name);
  }

  private async render(kind: 'month' | 'year', period: string, client: ClientInfo, lang: Lang, now: number): Promise<Rendered> {
    const m = MESSAGES[lang];
    const f = new Formatter(lang, client.timeZone);
    const subject = this.subject(kind, period, client, lang);
    const filename = `${kind === 'month' ? 'report' : 'annual-report'}-${slug(client.name)}-${period}.pdf`;
    if (kind === 'month') {
      const report = await monthlyReport(this.o.store, client.id, period, now);
      const fig = report.figure;
      const verdict = fig.met === null ? m.noData : fig.met ? m.met : m.notMet;
      const text = [subject, '', `${m.achieved}: ${f.percent(fig.availabilityPercent) ?? m.noDataShort}`, `${m.verdict}: ${verdict}`,
        `${m.downtime}: ${f.duration(fig.downMs, 'up')}`, `${m.incidents}: ${report.incidents.length}`, '', m.mailAttached].join('\n');
      return { subject, text, html: renderMonthlyReport(report, lang), pdf: (await renderMonthlyPdf(report, lang, this.o.branding)).pdf, filename };
    }
    const report = await yearlyReport(this.o.store, client.id, period, now);
    const text = [subject, '', `${m.achieved}: ${f.percent(report.figure.availabilityPercent) ?? m.noDataShort}`,
      ...report.months.map((x) => `${f.monthTitle(x.figure.window.from)}: ${f.percent(x.figure.availabilityPercent) ?? m.noDataShort}`), '', m.mailAttached].join('\n');
    const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    const html = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>${escape(subject)}</title><body><pre style="font: 14px/1.45 system-ui, sans-serif">${escape(text)}</pre></body></html>`;
    return { subject, text, html, pdf: (await renderYearlyPdf(report, lang, this.o.branding)).pdf, filename };
  }

  private send(client: ClientInfo, period: string, resend: boolean): Promise<SendOutcome[]> {
    const next = this.queue.then(() => this.sendNow(client, period, resend));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async sendNow(client: ClientInfo, period: string, resend: boolean): Promise<SendOutcome[]> {
    const { store, mailer, log } = this.o;
    if (!mailer) {
      log.warn({ client: client.name, period }, 'report due but no smtp: configured; not sent');
      return [];
    }
    const kind = MONTH.test(period) ? 'month' : 'year';
    const rendered = new Map<Lang, Rendered>();
    const outcomes: SendOutcome[] = [];
    for (const { recipient, copy } of await this.addressees(client.id)) {
      const key = { clientId: client.id, period, recipientId: recipient.id, resend: resend ? await store.reportSends.nextResend(client.id, period, recipient.id) : 0 };
      const before = (await store.reportSends.forPeriod(client.id, period)).find((s) => s.recipientId === recipient.id && s.resend === key.resend);
      if (before?.sentAt != null) {
        outcomes.push({ clientId: client.id, period, recipientId: recipient.id, address: recipient.address, messageId: before.messageId, status: 'already' });
        continue;
      }
      let message = rendered.get(recipient.language);
      if (!message) rendered.set(recipient.language, (message = await this.render(kind, period, client, recipient.language, this.o.clock())));
      // Written before the mail leaves: a crash from here on resends this row, under this Message-ID, once.
      const row = await store.reportSends.claim(key, `<report.${client.id}.${period}.${recipient.id}.${key.resend}.${randomUUID()}@${this.o.senderDomain}>`, this.o.clock());
      const outgoing: OutgoingMessage = {
        to: { name: recipient.name, address: recipient.address },
        subject: copy ? `${message.subject} (${MESSAGES[recipient.language].mailCopy.replace(/\.$/, '')})` : message.subject,
        text: copy ? `${MESSAGES[recipient.language].mailCopy}\n\n${message.text}` : message.text,
        html: message.html, messageId: row.messageId, inReplyTo: null,
        attachments: [{ filename: message.filename, contentType: 'application/pdf', content: message.pdf }],
      };
      await store.reportSends.attempted(row.id);
      try {
        await mailer.send(outgoing);
        await store.reportSends.markSent(row.id, this.o.clock());
        log.info({ client: client.name, period, recipientId: recipient.id, resend: key.resend }, 'report sent');
        outcomes.push({ clientId: client.id, period, recipientId: recipient.id, address: recipient.address, messageId: row.messageId, status: 'sent' });
      } catch (error) {
        const reason = (error as Error).message;
        await store.reportSends.markFailed(row.id, reason);
        log.warn({ client: client.name, period, recipientId: recipient.id, err: reason }, 'report not sent; retried on the next run');
        outcomes.push({ clientId: client.id, period, recipientId: recipient.id, address: recipient.address, messageId: row.messageId, status: 'failed', error: reason });
      }
    }
    return outcomes;
  }
}
