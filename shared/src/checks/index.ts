import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { compileValidator, type Validator } from '../validate.ts';
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
} as const;

export type CheckKind = keyof typeof checkSchemas;
export const CHECK_KINDS = Object.keys(checkSchemas) as CheckKind[];

export const CheckConfigSchema = Type.Union(Object.values(checkSchemas), { $id: 'CheckConfig' });
export type CheckConfig = Static<(typeof checkSchemas)[CheckKind]>;
export type CheckConfigOf<K extends CheckKind> = Static<(typeof checkSchemas)[K]>;

const validators = new Map<string, Validator<TSchema>>();
function validatorFor(kind: CheckKind): Validator<TSchema> {
  let v = validators.get(kind);
  if (!v) validators.set(kind, (v = compileValidator(checkSchemas[kind])));
  return v;
}

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
  if (kind === 'backup') return backupConfigErrors(value, path);
  return validatorFor(kind as CheckKind).errors(value, 10).map((e) => path + e);
}
