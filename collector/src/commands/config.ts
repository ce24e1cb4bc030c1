import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkConfig } from '../ops/config-check.ts';
import { settingsOptions, UsageError, SETTINGS_HELP } from './common.ts';

export const configHelp = `nines-collector config check [--json] [settings]
  Resolves the settings exactly as \`serve\` would (flag > environment > config file > default), prints
  each effective value with where it came from, and checks them: config file readable and valid, port,
  log level, public URL, data directory writable, database schema (up to date, to be migrated, or too
  new), the downloads' VERSION and the signing key (docs/install.md#upgrade). Exit code 0 when everything is fine, 1 with the problems listed.
${SETTINGS_HELP}`;

export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...settingsOptions, json: { type: 'boolean' } } });
  if (positionals[0] !== 'check') throw new UsageError('usage: config check [--json] [settings]');
  const report = checkConfig(
    {
      host: values.host, port: values.port, dataDir: values['data-dir'], logLevel: values['log-level'], config: values.config,
      publicUrl: values['public-url'], retentionRawDays: values['retention-raw-days'], retentionHourlyDays: values['retention-hourly-days'],
      downloadsDir: values['downloads-dir'], databaseUrl: values['database-url'],
    },
    process.env,
    (path) => (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>,
  );
  if (values.json) {
    process.stdout.write(JSON.stringify({ ok: report.problems.length === 0, ...report }, null, 2) + '\n');
    return report.problems.length === 0 ? 0 : 1;
  }
  if (report.configFile) process.stdout.write(`config file: ${report.configFile}\n`);
  if (report.settings) {
    const s = report.settings;
    const rows: [string, unknown][] = [
      ['host', s.host], ['port', s.port], ['dataDir', s.dataDir], ['logLevel', s.logLevel], ['publicUrl', s.publicUrl],
      ['retention.rawDays', s.retention.rawDays ?? 'module default'], ['retention.hourlyDays', s.retention.hourlyDays ?? 'module default'],
      ['downloadsDir', s.downloadsDir], ['databaseUrl', s.databaseUrl ?? 'none (SQLite in dataDir)'], ['upgrade.automatic', s.upgrade.automatic ?? 'false (default; the API may override)'],
    ];
    for (const [key, value] of rows) process.stdout.write(`  ${key.padEnd(22)} ${String(value).padEnd(40)} (${report.sources[key]})\n`);
  }
  if (report.database) {
    const d = report.database;
    process.stdout.write(`database: ${d.file} — ${d.exists ? `schema ${d.schemaVersion ?? '?'} of ${d.latestVersion}, ${d.action}` : d.action}\n`);
  }
  if (report.problems.length === 0) {
    process.stdout.write('config ok\n');
    return 0;
  }
  process.stderr.write(`config has ${report.problems.length} problem(s):\n  ${report.problems.join('\n  ')}\n`);
  return 1;
}
