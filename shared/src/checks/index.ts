import { Type, type Static } from '@sinclair/typebox';
import { schemaValidator } from '../validate.ts';
import { parseDuration } from '../time.ts';
import { MIN_INTERVAL_MS } from './base.ts';
import { HttpCheckSchema } from './http.ts';
import { TcpCheckSchema } from './tcp.ts';
import { DiskCheckSchema } from './disk.ts';
import { DnsCheckSchema } from './dns.ts';
import { TlsCheckSchema } from './tls.ts';
import { PingCheckSchema } from './ping.ts';
import { ServiceCheckSchema } from './service.ts';
import { ProcessCheckSchema } from './process.ts';
import { MemoryCheckSchema } from './memory.ts';
import { LoadCheckSchema } from './load.ts';
import { CommandCheckSchema } from './command.ts';
import { PatchCheckSchema } from './patch.ts';
import { BackupCheckSchema, backupConfigErrors } from './backup.ts';
import { BackupIntegrityCheckSchema, backupIntegrityConfigErrors } from './backup-integrity.ts';
import { BackupChurnCheckSchema, backupChurnConfigErrors } from './backup-churn.ts';
import { SmartCheckSchema } from './smart.ts';
import { FirewallCheckSchema } from './firewall.ts';
import { LoginsCheckSchema } from './logins.ts';
import { AntivirusCheckSchema } from './antivirus.ts';
import { EncryptionCheckSchema } from './encryption.ts';
import { AdminsCheckSchema } from './admins.ts';
import { EventlogCheckSchema } from './eventlog.ts';

export * from './base.ts';
export * from './http.ts';
export * from './tcp.ts';
export * from './disk.ts';
export * from './dns.ts';
export * from './tls.ts';
export * from './ping.ts';
export * from './service.ts';
export * from './process.ts';
export * from './memory.ts';
export * from './load.ts';
export * from './command.ts';
export * from './patch.ts';
export * from './backup.ts';
export * from './backup-integrity.ts';
export * from './backup-churn.ts';
export * from './smart.ts';
export * from './firewall.ts';
export * from './logins.ts';
export * from './antivirus.ts';
export * from './encryption.ts';
export * from './admins.ts';
export * from './eventlog.ts';

/** Every check kind's schema, one line each. Adding a kind: its file beside this one, and a line here. */
export const checkSchemas = {
  http: HttpCheckSchema,
  tcp: TcpCheckSchema,
  disk: DiskCheckSchema,
  dns: DnsCheckSchema,
  tls: TlsCheckSchema,
  ping: PingCheckSchema,
  service: ServiceCheckSchema,
  process: ProcessCheckSchema,
  memory: MemoryCheckSchema,
  load: LoadCheckSchema,
  command: CommandCheckSchema,
  patch: PatchCheckSchema,
  backup: BackupCheckSchema,
  'backup-integrity': BackupIntegrityCheckSchema,
  'backup-churn': BackupChurnCheckSchema,
  smart: SmartCheckSchema,
  firewall: FirewallCheckSchema,
  logins: LoginsCheckSchema,
  antivirus: AntivirusCheckSchema,
  encryption: EncryptionCheckSchema,
  admins: AdminsCheckSchema,
  eventlog: EventlogCheckSchema,
} as const;

export type CheckKind = keyof typeof checkSchemas;
export const CHECK_KINDS = Object.keys(checkSchemas) as CheckKind[];

export const CheckConfigSchema = Type.Union(Object.values(checkSchemas), { $id: 'CheckConfig' });
export type CheckConfig = Static<(typeof checkSchemas)[CheckKind]>;
export type CheckConfigOf<K extends CheckKind> = Static<(typeof checkSchemas)[K]>;

/** Kinds whose schema is one variant per `tool`: their errors are found on the variant the config names. */
const TOOL_VARIANTS: Partial<Record<CheckKind, (value: object, path: string) => string[]>> = {
  backup: backupConfigErrors,
  'backup-integrity': backupIntegrityConfigErrors,
  'backup-churn': backupChurnConfigErrors,
};

/**
 * Problems with one check config, each pointing at the bad field ("/port: Expected integer").
 * Dispatches on `kind` first, because a union's own errors only say "Expected union value".
 */
export function checkConfigErrors(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${path || '/'}: expected a check object`];
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in checkSchemas)) {
    return [`${path}/kind: expected one of ${CHECK_KINDS.join(', ')}, got ${JSON.stringify(kind)}`];
  }
  const byTool = TOOL_VARIANTS[kind as CheckKind];
  const errors = byTool ? byTool(value, path) : schemaValidator(checkSchemas[kind as CheckKind]).errors(value, 10).map((e) => path + e);
  return [...errors, ...intervalErrors(value as { id?: unknown; interval?: unknown }, path)];
}

/**
 * The documented 10 s minimum, refused where a config is read rather than quietly raised by the scheduler:
 * a `5s` that runs every 10 s would make the config say something untrue.
 */
function intervalErrors(check: { id?: unknown; interval?: unknown }, path: string): string[] {
  if (typeof check.interval !== 'string' && typeof check.interval !== 'number') return [];
  let ms: number;
  try {
    ms = parseDuration(check.interval);
  } catch {
    return []; // the schema already reports a malformed duration
  }
  if (ms >= MIN_INTERVAL_MS) return [];
  const which = typeof check.id === 'string' ? `check "${check.id}"` : 'check';
  return [`${path}/interval: ${which}: interval ${JSON.stringify(check.interval)} is below the minimum of ${MIN_INTERVAL_MS / 1000}s`];
}
