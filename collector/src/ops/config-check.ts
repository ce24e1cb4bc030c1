/** `config check`: the effective settings, where each came from, and what is wrong before the collector starts. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { latestSchemaVersion, schemaVersionOf } from '../store/sqlite/database-file.ts';
import { databaseFile, redactedUrl, resolveSettings, type Settings } from '../settings.ts';
import { loadPostgresMigrations } from '../store/postgres/database.ts';
import { contactPointOf } from '../alerting/recipients.ts';
import { channelDefinition } from '../notify/channels/registry.ts';
import { localTimeSchedule } from '../schedule/rule.ts';
import { upgradeProblems } from '../upgrade/config-problems.ts';

export type SettingSource = 'flag' | 'env' | 'file' | 'default';

export interface ConfigReport {
  /** null when the settings could not be resolved at all (unreadable file, bad number). */
  settings: Settings | null;
  sources: Record<string, SettingSource>;
  configFile: string | null;
  database: { file: string; exists: boolean; schemaVersion: number | null; latestVersion: number; action: string } | null;
  problems: string[];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
type Flags = Parameters<typeof resolveSettings>[0];

/** Same keys, flags, env names and file keys as resolveSettings; kept here to say where a value came from. */
const KEYS: [keyof Flags, string, string][] = [
  ['host', 'NINES_HOST', 'host'], ['port', 'NINES_PORT', 'port'], ['dataDir', 'NINES_DATA_DIR', 'dataDir'], ['logLevel', 'NINES_LOG_LEVEL', 'logLevel'],
  ['publicUrl', 'NINES_PUBLIC_URL', 'publicUrl'], ['retentionRawDays', 'NINES_RETENTION_RAW_DAYS', 'retention.rawDays'],
  ['retentionHourlyDays', 'NINES_RETENTION_HOURLY_DAYS', 'retention.hourlyDays'], ['downloadsDir', 'NINES_DOWNLOADS_DIR', 'downloadsDir'],
  ['databaseUrl', 'NINES_DATABASE_URL', 'databaseUrl'],
];

export function checkConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => Record<string, unknown> = () => ({})): ConfigReport {
  const configFile = flags.config ?? env.NINES_CONFIG ?? null;
  const problems: string[] = [];
  let settings: Settings | null = null;
  try {
    settings = resolveSettings(flags, env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  let file: Record<string, unknown> = {};
  if (settings && configFile) file = readFile(configFile);
  const sources: Record<string, SettingSource> = {};
  for (const [flag, envName, fileKey] of KEYS) {
    const inFile = fileKey.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], file);
    sources[fileKey] = flags[flag] !== undefined ? 'flag' : env[envName] !== undefined && env[envName] !== '' ? 'env' : inFile !== undefined ? 'file' : 'default';
  }
  // File only (no flag or environment): the API's saved switch, if any, wins at run time (upgrade/service.ts).
  sources['upgrade.automatic'] = (file.upgrade as { automatic?: unknown } | undefined)?.automatic !== undefined ? 'file' : 'default';
  if (!settings) return { settings, sources, configFile, database: null, problems };

  if (!LOG_LEVELS.includes(settings.logLevel)) problems.push(`logLevel "${settings.logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  if (settings.host.trim() === '') problems.push('host is empty');
  if (settings.publicUrl !== null) {
    let url: URL | null = null;
    try {
      url = new URL(settings.publicUrl);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) problems.push(`publicUrl "${settings.publicUrl}" is not an http(s) URL`);
  }
  problems.push(...dataDirProblems(settings.dataDir));
  problems.push(...upgradeProblems(settings.downloadsDir, settings.dataDir));
  problems.push(...contactPointProblems(file));
  problems.push(...weeklyScheduleProblems(file));
  const database = databaseState(settings, problems);
  // The report is printed (--json too): the database URL's password never is.
  return { settings: { ...settings, databaseUrl: settings.databaseUrl && redactedUrl(settings.databaseUrl) }, sources, configFile, database, problems };
}

/**
 * Each recipient's contact point as `serve` will store it (channel known, target valid), and each channel the
 * recipients use set up (its settings present and accepted); a channel's sender is built and closed again for that.
 */
function contactPointProblems(file: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const recipients = ((file.alerting as { recipients?: unknown[] } | undefined)?.recipients ?? []) as Parameters<typeof contactPointOf>[0][];
  const used = new Set<string>();
  for (const recipient of recipients) {
    try {
      used.add(contactPointOf(recipient).channel);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const quiet = { warn() {}, info() {} };
  for (const kind of used) {
    const settings = kind === 'email' ? file.smtp : (file.channels as Record<string, unknown> | undefined)?.[kind];
    try {
      channelDefinition(kind)!.create(settings as never, { fetch: globalThis.fetch, log: quiet, clock: Date.now }).close();
    } catch (error) {
      problems.push(`recipients use ${kind}, which is not set up: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The Monday overview's rule as `serve` will schedule it: the schema checks the time's form, not the zone. */
function weeklyScheduleProblems(file: Record<string, unknown>): string[] {
  const weekly = (file.reports as { weekly?: { at?: string; timezone?: string } } | undefined)?.weekly;
  if (!weekly) return [];
  try {
    localTimeSchedule({ at: weekly.at ?? '07:00', timezone: weekly.timezone ?? 'Europe/Berlin' });
    return [];
  } catch (error) {
    return [`reports.weekly: ${(error as Error).message}`];
  }
}

function dataDirProblems(dir: string): string[] {
  // The collector creates the data dir; it must exist and be writable, or its nearest existing parent must be.
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  if (existsSync(probe) && !statSync(probe).isDirectory()) return [`dataDir ${dir}: ${probe} is not a directory`];
  try {
    accessSync(probe, constants.W_OK);
    return [];
  } catch {
    return [`dataDir ${dir}: ${probe} is not writable by this user`];
  }
}

function databaseState(settings: Settings, problems: string[]): ConfigReport['database'] {
  if (settings.databaseUrl !== null) {
    // Offline like the rest of the check: the server's schema is read, and migrated, when the collector starts.
    const latestVersion = loadPostgresMigrations().at(-1)?.version ?? 0;
    return { file: redactedUrl(settings.databaseUrl), exists: false, schemaVersion: null, latestVersion, action: 'PostgreSQL: migrated when the collector starts (not connected by config check)' };
  }
  const file = databaseFile(settings);
  const latestVersion = latestSchemaVersion();
  if (!existsSync(file)) return { file, exists: false, schemaVersion: null, latestVersion, action: 'created on first start' };
  try {
    const schemaVersion = schemaVersionOf(file);
    let action = 'up to date';
    if (schemaVersion < latestVersion) action = `migrated from schema ${schemaVersion} to ${latestVersion} on next start (take a backup first)`;
    if (schemaVersion > latestVersion) {
      action = 'refused';
      problems.push(`database schema ${schemaVersion} is newer than this collector (${latestVersion}): upgrade the collector`);
    }
    return { file, exists: true, schemaVersion, latestVersion, action };
  } catch (error) {
    problems.push(`database ${file} cannot be opened: ${(error as Error).message}`);
    return { file, exists: true, schemaVersion: null, latestVersion, action: 'unreadable' };
  }
}
