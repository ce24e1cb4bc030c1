import { readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { parse } from 'yaml';
import { CollectorConfigSchema, compileValidator, type CollectorConfig } from '@nines/shared';
import { httpLimitsOf, type HttpLimits } from './http/limits.ts';
import { AGENT_EXE_DIR } from './layout.ts';

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  /** A PostgreSQL URL: the store lives there instead of in dataDir/nines.db (the data directory keeps the keys). */
  databaseUrl: string | null;
  logLevel: string;
  publicUrl: string | null;
  /** Directory served at /download/: the agent executables, WinSW and SHA256SUMS. */
  downloadsDir: string;
  /** Days raw results / hourly rollups are kept (0 = forever); only what was set, the availability module has the defaults. */
  retention: { rawDays?: number; hourlyDays?: number };
  /** Per-agent ingest limits from the config file (`ingest:`); only what was set, ingest/quota.ts has the defaults. */
  ingestQuota: { maxChecksPerAgent?: number; maxResultsPerMinute?: number; maxBytesPerMinute?: number };
  /** Trusted proxies and request/idle timeouts (env or file; defaults in http/limits.ts). */
  http: HttpLimits;
  /** Agent upgrades from the config file (`upgrade:`); the API's saved switch wins over it (upgrade/service.ts). */
  upgrade: { automatic?: boolean };
}

const validateFile = compileValidator(CollectorConfigSchema);

export const DEFAULTS = { host: '127.0.0.1', port: 8080, dataDir: './data', logLevel: 'info' } as const;
/** Where `npm run build` (agent/build.mjs --cross) writes the executables: served as they are, no copy step. */
export const DEFAULT_DOWNLOADS_DIR = AGENT_EXE_DIR;

/**
 * One precedence order for every setting: command-line flag, then environment (NINES_*), then the
 * YAML config file (--config or NINES_CONFIG), then the default.
 */
export function resolveSettings(
  flags: Partial<Record<Exclude<keyof Settings, 'retention' | 'ingestQuota' | 'http' | 'upgrade'> | 'config' | 'retentionRawDays' | 'retentionHourlyDays', string | undefined>>,
  env = process.env,
): Settings {
  const configPath = flags.config ?? env.NINES_CONFIG;
  const file = configPath ? readConfigFile(configPath) : {};
  const pick = (flag: string | undefined, envName: string, fromFile: unknown, fallback: string | number) =>
    flag ?? env[envName] ?? (fromFile === undefined ? undefined : String(fromFile)) ?? String(fallback);
  const port = Number(pick(flags.port, 'NINES_PORT', file.port, DEFAULTS.port));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${flags.port ?? env.NINES_PORT ?? file.port}"`);
  return {
    host: pick(flags.host, 'NINES_HOST', file.host, DEFAULTS.host),
    port,
    dataDir: resolve(pick(flags.dataDir, 'NINES_DATA_DIR', file.dataDir, DEFAULTS.dataDir)),
    // An empty variable counts as unset (as config check's sources say): the file's URL, if any, applies.
    databaseUrl: databaseUrlOf(flags.databaseUrl ?? (env.NINES_DATABASE_URL || undefined) ?? file.databaseUrl),
    logLevel: pick(flags.logLevel, 'NINES_LOG_LEVEL', file.logLevel, DEFAULTS.logLevel),
    publicUrl: flags.publicUrl ?? env.NINES_PUBLIC_URL ?? file.publicUrl ?? null,
    // A relative path in the file means relative to where the collector starts, like dataDir.
    downloadsDir: resolve(pick(flags.downloadsDir, 'NINES_DOWNLOADS_DIR', file.downloadsDir, DEFAULT_DOWNLOADS_DIR)),
    retention: retentionSettings(flags, env, file.retention),
    ingestQuota: { ...file.ingest },
    http: httpSettings(env, file),
    upgrade: { ...file.upgrade },
  };
}

/** No value means SQLite, the default; anything else must be a postgres:// URL. */
function databaseUrlOf(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('the database URL must start with postgres:// or postgresql:// (leave it unset for SQLite in the data directory)');
  try {
    new URL(raw);
  } catch {
    // The URL may hold a password: the message never repeats it.
    throw new Error('the database URL is not a valid URL (postgres://user:password@host:port/database)');
  }
  return raw;
}

/** The URL to show or log: its password replaced, never printed. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** NINES_TRUSTED_PROXIES is a comma-separated list; an empty value means none, like the default. */
function httpSettings(env: NodeJS.ProcessEnv, file: CollectorConfig): HttpLimits {
  const ms = (envName: string, fromFile: number | undefined): number | undefined => {
    const raw = env[envName];
    if (raw === undefined || raw === '') return fromFile;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${envName} must be a whole number of milliseconds above 0, not "${raw}"`);
    return n;
  };
  const proxies = env.NINES_TRUSTED_PROXIES;
  return httpLimitsOf({
    trustedProxies: proxies === undefined ? file.trustedProxies : proxies.split(',').map((p) => p.trim()).filter((p) => p !== ''),
    requestTimeoutMs: ms('NINES_REQUEST_TIMEOUT_MS', file.requestTimeoutMs),
    idleTimeoutMs: ms('NINES_IDLE_TIMEOUT_MS', file.idleTimeoutMs),
  });
}

function retentionSettings(flags: { retentionRawDays?: string; retentionHourlyDays?: string }, env: NodeJS.ProcessEnv, file: { rawDays?: unknown; hourlyDays?: unknown } = {}) {
  const days = (flag: string | undefined, envName: string, fromFile: unknown): number | undefined => {
    const raw = flag ?? env[envName] ?? fromFile;
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`retention (${envName}) must be a whole number of days, 0 = keep forever, not "${String(raw)}"`);
    return n;
  };
  const rawDays = days(flags.retentionRawDays, 'NINES_RETENTION_RAW_DAYS', file.rawDays);
  const hourlyDays = days(flags.retentionHourlyDays, 'NINES_RETENTION_HOURLY_DAYS', file.hourlyDays);
  return { ...(rawDays === undefined ? {} : { rawDays }), ...(hourlyDays === undefined ? {} : { hourlyDays }) };
}

export function readConfigFile(path: string): CollectorConfig {
  let value: unknown;
  try {
    value = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new Error(`cannot read collector config ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!validateFile.check(value)) throw new Error(`${path} is not a valid collector config:\n  ${validateFile.errors(value).join('\n  ')}`);
  return value;
}

export function databaseFile(settings: Pick<Settings, 'dataDir'>): string {
  return join(settings.dataDir, 'nines.db');
}
