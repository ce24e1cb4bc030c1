import { readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { parse } from 'yaml';
import { CollectorConfigSchema, compileValidator, type CollectorConfig } from '@nines/shared';

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  publicUrl: string | null;
}

const validateFile = compileValidator(CollectorConfigSchema);

export const DEFAULTS = { host: '127.0.0.1', port: 8080, dataDir: './data', logLevel: 'info' } as const;

/**
 * One precedence order for every setting: command-line flag, then environment (NINES_*), then the
 * YAML config file (--config or NINES_CONFIG), then the default.
 */
export function resolveSettings(flags: Partial<Record<keyof Settings | 'config', string | undefined>>, env = process.env): Settings {
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
    logLevel: pick(flags.logLevel, 'NINES_LOG_LEVEL', file.logLevel, DEFAULTS.logLevel),
    publicUrl: flags.publicUrl ?? env.NINES_PUBLIC_URL ?? file.publicUrl ?? null,
  };
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
