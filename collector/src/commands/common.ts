import { pino, type Logger } from 'pino';
import { openStore as openStoreFile } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { databaseFile, resolveSettings, type Settings } from '../settings.ts';

export const settingsOptions = {
  host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'log-level': { type: 'string' }, config: { type: 'string' },
  'public-url': { type: 'string' }, 'retention-raw-days': { type: 'string' }, 'retention-hourly-days': { type: 'string' },
  'downloads-dir': { type: 'string' }, 'database-url': { type: 'string' },
} as const;

export function settingsFrom(values: Record<string, unknown>): Settings {
  return resolveSettings({
    host: values.host as string | undefined, port: values.port as string | undefined, dataDir: values['data-dir'] as string | undefined,
    logLevel: values['log-level'] as string | undefined, config: values.config as string | undefined, publicUrl: values['public-url'] as string | undefined,
    retentionRawDays: values['retention-raw-days'] as string | undefined, retentionHourlyDays: values['retention-hourly-days'] as string | undefined,
    downloadsDir: values['downloads-dir'] as string | undefined, databaseUrl: values['database-url'] as string | undefined,
  });
}

export function openStore(settings: Settings): Promise<Store> {
  return openStoreFile({ databaseFile: databaseFile(settings), databaseUrl: settings.databaseUrl });
}

export function makeLogger(level: string): Logger {
  return pino({ level, base: { app: 'nines-collector' }, redact: ['req.headers.authorization', 'req.headers.cookie', 'password', 'secret', 'token'] });
}

export { UsageError } from '@nines/shared/cli';

export const SETTINGS_HELP = `Settings (flag > environment > config file > default):
  --host / NINES_HOST (127.0.0.1)   --port / NINES_PORT (8080)   --data-dir / NINES_DATA_DIR (./data)
  --log-level / NINES_LOG_LEVEL (info)   --config / NINES_CONFIG (YAML file)   --public-url / NINES_PUBLIC_URL
  --retention-raw-days / NINES_RETENTION_RAW_DAYS (90)   --retention-hourly-days / NINES_RETENTION_HOURLY_DAYS (400)
  --downloads-dir / NINES_DOWNLOADS_DIR (agent/dist/exe; served at /download/ without login)
  --database-url / NINES_DATABASE_URL (none: SQLite in the data directory; postgres://user:password@host:port/db, docs/scale.md)
  NINES_TRUSTED_PROXIES (none; comma-separated addresses/CIDRs)   NINES_REQUEST_TIMEOUT_MS (30000)   NINES_IDLE_TIMEOUT_MS (75000)`;
