import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { systemClock, type CollectorConfig } from '@nines/shared';
import { monthlyReport, renderMonthlyReport, renderMonthlyPdf, loadBranding, isLang, type LoadedBranding } from '../reports/index.ts';
import { ALERT_DEFAULTS } from '../alerting/settings.ts';
import { readConfigFile } from '../settings.ts';
import { yearlyReport } from '../reports/yearly.ts';
import { renderYearlyPdf } from '../reports/pdf/yearly-pdf.ts';
import { ReportService } from '../reports/service.ts';
import { openStore, settingsFrom, settingsOptions, SETTINGS_HELP, UsageError } from './common.ts';
import type { Store } from '../store/store.ts';

export const reportHelp = `nines-collector report --client <name|id> (--month YYYY-MM | --year YYYY) [--lang de|en] [--format html|pdf] [--out FILE] [--send] [settings]
  The monthly availability report of a client: target vs achieved, met or not, downtime vs the month's error
  budget (and the pro-rata part while the month runs), coverage (below 90 % the result is marked as resting on
  partial data; no measured time: no figure and no result), incidents, a table per host and check, and the
  month's backup and update summary. The PDF (A4, branded from reports.branding of --config) adds a bar chart of
  daily availability against the target. The month is a calendar month in the client's time zone; --lang
  defaults to the client's language; --format defaults to the extension of --out (.pdf or .html), else html.
  Without --out the report goes to stdout (a PDF only when stdout is not a terminal). Nothing is written when
  the client, month or branding logo is wrong.
  --year YYYY: the yearly summary instead (each month against the target), as a one-page PDF.
  --send: mails the month's (or year's) report now to the client's report recipients and the consultant's copy,
  over smtp: of --config, as a resend (new Message-IDs, whatever was sent before); a month in the future is refused.
${SETTINGS_HELP}`;

type Format = 'html' | 'pdf';

function formatOf(format: string | undefined, out: string | undefined): Format {
  if (format !== undefined) {
    if (format !== 'html' && format !== 'pdf') throw new UsageError(`--format must be html or pdf, not "${format}"`);
    return format;
  }
  return out && extname(out).toLowerCase() === '.pdf' ? 'pdf' : 'html';
}

/** The branding of the config file (reports.branding, alerting.brand as the name); a bad logo fails here, before any work. */
export function brandingOf(config: CollectorConfig): LoadedBranding {
  return loadBranding(config.reports?.branding, config.alerting?.brand ?? ALERT_DEFAULTS.brand);
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...settingsOptions, client: { type: 'string' }, month: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, year: { type: 'string' }, send: { type: 'boolean' } },
  });
  if (!values.client) throw new UsageError('--client <name|id> is required');
  if (values.year !== undefined) {
    if (values.month !== undefined) throw new UsageError('give --month or --year, not both');
    if (!/^\d{4}$/.test(values.year)) throw new UsageError(`--year must be YYYY, not "${values.year}"`);
  } else if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError('--month YYYY-MM is required (e.g. 2026-03)');
  if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang must be de or en, not "${values.lang}"`);
  const format = values.year !== undefined && values.format === undefined ? 'pdf' : formatOf(values.format, values.out);
  if (values.year !== undefined && format !== 'pdf') throw new UsageError('the yearly summary is a PDF only');
  if (format === 'pdf' && !values.out && process.stdout.isTTY) throw new UsageError('a PDF is not written to a terminal: use --out report.pdf or redirect stdout');
  const settings = settingsFrom(values);
  const configPath = values.config ?? process.env.NINES_CONFIG;
  const config = configPath ? readConfigFile(configPath) : {};
  const branding = brandingOf(config);
  const store = await openStore(settings);
  try {
    if (values.send) return await sendNow(store, config, values.client, values.year ?? values.month!, settings.logLevel);
    if (values.year !== undefined) {
      const yearly = await yearlyReport(store, values.client, values.year, systemClock());
      const pdf = (await renderYearlyPdf(yearly, (values.lang as 'de' | 'en' | undefined) ?? yearly.client.language, branding)).pdf;
      if (values.out) {
        writeFileSync(values.out, pdf);
        process.stderr.write(`yearly summary for ${yearly.client.name} ${values.year} written to ${values.out}\n`);
      } else process.stdout.write(pdf);
      return 0;
    }
    const report = await monthlyReport(store, values.client, values.month!, systemClock());
    const lang = (values.lang as 'de' | 'en' | undefined) ?? report.client.language;
    // Rendered whole before anything is written: a failure leaves no half file behind.
    const body = format === 'pdf' ? (await renderMonthlyPdf(report, lang, branding)).pdf : renderMonthlyReport(report, lang);
    if (values.out) {
      writeFileSync(values.out, body);
      process.stderr.write(`report for ${report.client.name} ${values.month} written to ${values.out}\n`);
    } else process.stdout.write(body);
    return 0;
  } finally {
    await store.close();
  }
}

/** --send: the report mailed now as a resend; exit 1 when any recipient's mail failed (the reason is printed). */
async function sendNow(store: Store, config: CollectorConfig, client: string, period: string, logLevel: string): Promise<number> {
  if (!config.smtp) throw new UsageError('--send needs --config with an smtp: section');
  // Logs to stderr: stdout carries the outcome, one line per recipient.
  const service = new ReportService(store, systemClock, pino({ level: logLevel, base: { app: 'nines-collector' } }, pino.destination(2)));
  await service.start({ smtp: config.smtp, reports: config.reports, brand: config.alerting?.brand });
  try {
    const sends = await service.delivery.resend(client, period);
    for (const s of sends) process.stdout.write(`${s.status} ${s.address} ${s.messageId}${s.error ? ` ${s.error}` : ''}\n`);
    if (sends.length === 0) process.stderr.write(`no report recipients for client ${client}\n`);
    return sends.some((s) => s.status === 'failed') ? 1 : 0;
  } finally {
    service.stop();
  }
}
