import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';
import { schemaValidator } from '../validate.ts';

/**
 * How fresh and how big a backup job's last backup must be. Every backup tool shares these fields:
 * WARN once the last backup is older than `every` + `grace`, CRIT once older than `critAge`
 * (default 2 × `every` + `grace`).
 */
const freshnessProperties = {
  every: Type.Optional(DurationSchema),
  grace: Type.Optional(DurationSchema),
  critAge: Type.Optional(DurationSchema),
  minSizeBytes: Type.Optional(Type.Integer({ minimum: 0, description: 'WARN when the last backup is smaller' })),
  maxShrinkPercent: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'WARN when the last backup is this many percent smaller than the one before' }),
  ),
};

export const DEFAULT_BACKUP_EVERY_MS = 86_400_000; // nightly is what small businesses run
export const BACKUP_CHECK_INTERVAL_MS = 15 * 60_000; // a backup's age moves in hours; checking every minute only costs repository reads

/** Secrets are read at check time from a file or an environment variable, never written inline into a config or a log. */
export const secretFile = Type.Optional(Type.String({ minLength: 1, description: 'file whose first line is the secret' }));
export const secretEnv = Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'name of the environment variable holding the secret' }));

function backupToolSchema<T extends string, P extends TProperties>(tool: T, properties: P, description: string) {
  const schema = checkSchema('backup', { tool: Type.Literal(tool), ...freshnessProperties, ...properties }, description);
  // Each variant of the union needs an id of its own; checkSchema names them all 'check.backup'.
  return { ...schema, $id: `check.backup.${tool}` };
}

export const program = Type.Optional(Type.String({ minLength: 1, description: 'the program to run, if not the one in PATH' }));

export const backupToolSchemas = {
  'file-age': backupToolSchema(
    'file-age',
    {
      path: Type.String({ minLength: 1, description: 'folder holding the backup files' }),
      pattern: Type.Optional(Type.String({ minLength: 1, description: 'glob on file names: * ? [abc], e.g. "db-*.sql.gz"; default *' })),
      recursive: Type.Optional(Type.Boolean({ description: 'also look in subfolders' })),
      minCount: Type.Optional(Type.Integer({ minimum: 1, description: 'WARN when fewer files match' })),
    },
    'newest file matching a pattern in a folder (dumps, NAS exports)',
  ),
  restic: backupToolSchema(
    'restic',
    {
      repository: Type.String({ minLength: 1, description: 'restic repository, as for -r' }),
      passwordFile: secretFile,
      passwordEnv: secretEnv,
      host: Type.Optional(Type.String({ minLength: 1 })),
      tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'snapshots must carry all these tags' })),
      paths: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'snapshots must include these paths' })),
      stats: Type.Optional(Type.Boolean({ description: 'also read the restore size of the latest snapshot (slower)' })),
      program,
    },
    'latest restic snapshot',
  ),
  borg: backupToolSchema(
    'borg',
    {
      repository: Type.String({ minLength: 1, description: 'borg repository, as for BORG_REPO' }),
      passphraseFile: secretFile,
      passphraseEnv: secretEnv,
      glob: Type.Optional(Type.String({ minLength: 1, description: 'only archives whose name matches, e.g. "server-*"' })),
      info: Type.Optional(Type.Boolean({ description: 'also read the sizes of the last two archives with borg info (slower)' })),
      program,
    },
    'latest borg archive',
  ),
  pbs: backupToolSchema(
    'pbs',
    {
      url: Type.String({ pattern: '^https?://', description: 'Proxmox Backup Server, e.g. https://pbs.example:8007' }),
      datastore: Type.String({ minLength: 1 }),
      tokenId: Type.String({ pattern: '^[^!\\s]+@[^!\\s]+![^!\\s]+$', description: 'API token id, e.g. monitor@pbs!nines' }),
      tokenSecretFile: secretFile,
      tokenSecretEnv: secretEnv,
      namespace: Type.Optional(Type.String({ minLength: 1 })),
      backupType: Type.Optional(Type.Union([Type.Literal('vm'), Type.Literal('ct'), Type.Literal('host')])),
      backupId: Type.Optional(Type.String({ minLength: 1, description: 'e.g. the VM id "100"' })),
      caFile: Type.Optional(Type.String({ minLength: 1, description: 'PEM file of the server certificate or its CA' })),
      insecureTls: Type.Optional(Type.Boolean({ description: 'accept any certificate (self-signed without caFile)' })),
    },
    'last backup and its verification on a Proxmox Backup Server',
  ),
  timemachine: backupToolSchema('timemachine', { program }, 'latest Time Machine backup (macOS)'),
  wsb: backupToolSchema('wsb', { program }, 'Windows Server Backup summary (Get-WBSummary)'),
  veeam: backupToolSchema(
    'veeam',
    {
      job: Type.Optional(Type.String({ minLength: 1, description: 'job name; default every job' })),
      program,
    },
    'last session of a Veeam Agent for Linux job (veeamconfig)',
  ),
  heartbeat: backupToolSchema(
    'heartbeat',
    {
      job: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'job name the script reports under: /hb/<job>/…' }),
      maxRunTime: Type.Optional(DurationSchema),
      minRunTime: Type.Optional(DurationSchema),
    },
    'start/success/fail reports that backup scripts send to the agent',
  ),
};

export type BackupTool = keyof typeof backupToolSchemas;
export const BACKUP_TOOLS = Object.keys(backupToolSchemas) as BackupTool[];

export const BackupCheckSchema = Type.Union(Object.values(backupToolSchemas), {
  $id: 'check.backup',
  description: 'is there a recent, complete backup? (one tool per check)',
});
export type BackupCheckConfig = Static<typeof BackupCheckSchema>;
export type BackupConfigOf<T extends BackupTool> = Static<(typeof backupToolSchemas)[T]>;

/** Problems with a backup check config; dispatches on `tool` so errors point at the bad field. */
export const backupConfigErrors = toolConfigErrors(backupToolSchemas);

/**
 * Problems with a config whose schema is one variant per `tool` (backup, backup-integrity, backup-churn):
 * dispatches on `tool` so errors point at the bad field, not at "Expected union value".
 */
export function toolConfigErrors(schemas: Record<string, TSchema>): (value: object, path?: string) => string[] {
  return (value, path = '') => {
    const tool = (value as { tool?: unknown }).tool;
    if (typeof tool !== 'string' || !Object.hasOwn(schemas, tool)) {
      return [`${path}/tool: expected one of ${Object.keys(schemas).join(', ')}, got ${JSON.stringify(tool)}`];
    }
    const errors = schemaValidator(schemas[tool]!).errors(value, 10).map((e) => path + e);
    for (const secret of ['password', 'passphrase', 'tokenSecret']) {
      if (`${secret}File` in value && `${secret}Env` in value) errors.push(`${path}/${secret}Env: give ${secret}File or ${secret}Env, not both`);
    }
    return errors;
  };
}
