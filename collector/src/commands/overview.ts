import { parseArgs } from 'node:util';
import { REPORT_DEFAULTS, systemClock } from '@nines/shared';
import { readConfigFile } from '../settings.ts';
import { isLang } from '../reports/index.ts';
import { gatherOverview } from '../reports/weekly/gather.ts';
import { renderOverview } from '../reports/weekly/render.ts';
import { sendOverview } from '../reports/weekly/job.ts';
import { alertSettingsFrom } from '../alerting/settings.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import { openStore, settingsFrom, settingsOptions, SETTINGS_HELP, UsageError } from './common.ts';

export const overviewHelp = `nines-collector overview (--print | --send) [--lang de|en] [--at <ISO time>] [settings]
  The consultant's Monday overview now: per client what needs attention (failing backups, security updates
  pending a week, reboots, certificates within 30 days, error budget half used, silent agents, full disks).
  --print writes the mail's text to stdout; --send mails it to the consultant's e-mail contact points over the
  config file's smtp: (an extra send: the scheduled one still goes out). --lang defaults to reports.weekly.language,
  dates are in reports.weekly.timezone; --at shows the estate as of another instant. Reads the database directly.
${SETTINGS_HELP}`;

export async function overviewCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, options: { ...settingsOptions, print: { type: 'boolean' }, send: { type: 'boolean' }, lang: { type: 'string' }, at: { type: 'string' } },
  });
  if (values.print === values.send) throw new UsageError('give exactly one of --print and --send');
  if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang must be de or en, not "${values.lang}"`);
  const at = values.at === undefined ? systemClock() : Date.parse(values.at);
  if (Number.isNaN(at)) throw new UsageError(`--at must be an ISO time such as 2026-11-30T06:00:00Z, not "${values.at}"`);
  const settings = settingsFrom(values);
  const configPath = (values.config as string | undefined) ?? process.env.NINES_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};
  const weekly = { ...REPORT_DEFAULTS.weekly, ...Object.fromEntries(Object.entries(file.reports?.weekly ?? {}).filter(([, v]) => v !== undefined)) };
  const options = {
    timezone: weekly.timezone, language: (values.lang ?? weekly.language) as 'de' | 'en', publicUrl: settings.publicUrl,
    brand: file.reports?.branding?.name ?? alertSettingsFrom(file.alerting).brand,
  };
  if (values.send && !file.smtp) throw new UsageError('--send needs smtp: in the config file (--config / NINES_CONFIG)');
  const store = await openStore(settings);
  try {
    if (values.print) {
      const mail = renderOverview(await gatherOverview(store, at), { lang: options.language, timeZone: options.timezone, publicUrl: options.publicUrl, brand: options.brand });
      process.stdout.write(`Subject: ${mail.subject}\n\n${mail.text}`);
      return 0;
    }
    const email = emailNotifier(file.smtp!);
    try {
      const domain = senderDomain(file.smtp!.from);
      const sent = await sendOverview({ ...options, store, email }, at, (id) => `<weekly-overview.manual.${at}.${id}@${domain}>`);
      process.stderr.write(`overview sent to ${sent} consultant mailbox${sent === 1 ? '' : 'es'}\n`);
      return 0;
    } finally {
      email.close();
    }
  } finally {
    await store.close();
  }
}
