import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { systemClock, type CollectorConfig } from '@nines/shared';
import { monthlyReport, renderMonthlyReport, renderMonthlyPdf, loadBranding, isLang, type LoadedBranding } from '../reports/index.ts';
import { ALERT_DEFAULTS } from '../alerting/settings.ts';
import { readConfigFile } from '../settings.ts';
import { openStore, settingsFrom, settingsOptions, SETTINGS_HELP, UsageError } from './common.ts';

export const reportHelp = `nines-collector report --client <name|id> --month YYYY-MM [--lang de|en] [--format html|pdf] [--out FILE] [settings]
  The monthly availability report of a client: target vs achieved, met or not, downtime vs the month's error
  budget (and the pro-rata part while the month runs), coverage (below 90 % the result is marked as resting on
  partial data; no measured time: no figure and no result), incidents, a table per host and check, and the
  month's backup and update summary. The PDF (A4, branded from reports.branding of --config) adds a bar chart of
  daily availability against the target. The month is a calendar month in the client's time zone; --lang
  defaults to the client's language; --format defaults to the extension of --out (.pdf or .html), else html.
  Without --out the report goes to stdout (a PDF only when stdout is not a terminal). Nothing is written when
  the client, month or branding logo is wrong.
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
    options: { ...settingsOptions, client: { type: 'string' }, month: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
  });
  if (!values.client) throw new UsageError('--client <name|id> is required');
  if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError('--month YYYY-MM is required (e.g. 2026-03)');
  if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang must be de or en, not "${values.lang}"`);
  const format = formatOf(values.format, values.out);
  if (format === 'pdf' && !values.out && process.stdout.isTTY) throw new UsageError('a PDF is not written to a terminal: use --out report.pdf or redirect stdout');
  const settings = settingsFrom(values);
  const configPath = values.config ?? process.env.NINES_CONFIG;
  const branding = brandingOf(configPath ? readConfigFile(configPath) : {});
  const store = openStore(settings);
  try {
    const report = monthlyReport(store, values.client, values.month, systemClock());
    const lang = (values.lang as 'de' | 'en' | undefined) ?? report.client.language;
    // Rendered whole before anything is written: a failure leaves no half file behind.
    const body = format === 'pdf' ? (await renderMonthlyPdf(report, lang, branding)).pdf : renderMonthlyReport(report, lang);
    if (values.out) {
      writeFileSync(values.out, body);
      process.stderr.write(`report for ${report.client.name} ${values.month} written to ${values.out}\n`);
    } else process.stdout.write(body);
    return 0;
  } finally {
    store.close();
  }
}
