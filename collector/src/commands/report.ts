import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { systemClock } from '@nines/shared';
import { monthlyReport, renderMonthlyReport, isLang } from '../reports/index.ts';
import { openStore, settingsFrom, settingsOptions, SETTINGS_HELP, UsageError } from './common.ts';

export const reportHelp = `nines-collector report --client <name|id> --month YYYY-MM [--lang de|en] [--out report.html] [settings]
  The monthly availability report of a client as one HTML page (print it to PDF from a browser): target vs
  achieved, met or not, downtime vs the month's error budget (and the pro-rata part while the month runs),
  coverage (below 90 % the result is marked as resting on partial data; no measured time: no figure and no
  result), incidents, a table per host and check, and the month's backup and update summary. The month is a calendar month in the client's time zone; --lang
  defaults to the client's language; without --out the HTML goes to stdout.
${SETTINGS_HELP}`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, options: { ...settingsOptions, client: { type: 'string' }, month: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' } },
  });
  if (!values.client) throw new UsageError('--client <name|id> is required');
  if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError('--month YYYY-MM is required (e.g. 2026-03)');
  if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang must be de or en, not "${values.lang}"`);
  const store = openStore(settingsFrom(values));
  try {
    const report = monthlyReport(store, values.client, values.month, systemClock());
    const html = renderMonthlyReport(report, (values.lang as 'de' | 'en' | undefined) ?? report.client.language);
    if (values.out) {
      writeFileSync(values.out, html);
      process.stderr.write(`report for ${report.client.name} ${values.month} written to ${values.out}\n`);
    } else process.stdout.write(html);
    return 0;
  } finally {
    store.close();
  }
}
