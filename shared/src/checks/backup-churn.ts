import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { program, secretEnv, secretFile, toolConfigErrors } from './backup.ts';

export const BACKUP_CHURN_INTERVAL_MS = 3_600_000; // snapshots come nightly; each new one is compared within the hour
export const BACKUP_CHURN_TIMEOUT_MS = 10 * 60_000; // restic stats/diff of a new snapshot walk its trees: minutes on a large one
/**
 * Defaults of the comparison: the newest snapshot against the `compare` before it. Mass encryption rewrites
 * most files at once; a normal night changes a few percent. The floors keep a tiny job (3 files usually,
 * 40 today) from warning.
 */
export const BACKUP_CHURN_DEFAULTS = {
  compare: 5,
  maxDropPercent: 20,
  changeFactor: 10,
  minChangedFiles: 1000,
  minNewBytes: 1024 ** 3,
} as const;

const common = {
  repository: Type.String({ minLength: 1 }),
  program,
  compare: Type.Optional(Type.Integer({ minimum: 2, maximum: 30, description: `how many snapshots before the newest make "usual" (default ${BACKUP_CHURN_DEFAULTS.compare})` })),
  maxDropPercent: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 100, description: `WARN when the file count or total size is this many percent below usual (default ${BACKUP_CHURN_DEFAULTS.maxDropPercent})` }),
  ),
  changeFactor: Type.Optional(
    Type.Number({ exclusiveMinimum: 1, description: `WARN when the newest changed this many times more than usual (default ${BACKUP_CHURN_DEFAULTS.changeFactor})` }),
  ),
};

function churnSchema<T extends string, P extends TProperties>(tool: T, properties: P, description: string) {
  const schema = checkSchema('backup-churn', { tool: Type.Literal(tool), ...common, ...properties }, description);
  return { ...schema, $id: `check.backup-churn.${tool}` };
}

export const backupChurnSchemas = {
  restic: churnSchema(
    'restic',
    {
      passwordFile: secretFile,
      passwordEnv: secretEnv,
      host: Type.Optional(Type.String({ minLength: 1 })),
      tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'snapshots must carry all these tags' })),
      paths: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'snapshots must include these paths' })),
      minChangedFiles: Type.Optional(
        Type.Integer({ minimum: 1, description: `never WARN for fewer changed, added and removed files than this (default ${BACKUP_CHURN_DEFAULTS.minChangedFiles})` }),
      ),
    },
    'restic: file count and size of the newest snapshot (stats) and the files it changed (diff), against the snapshots before',
  ),
  borg: churnSchema(
    'borg',
    {
      passphraseFile: secretFile,
      passphraseEnv: secretEnv,
      glob: Type.Optional(Type.String({ minLength: 1, description: 'only archives whose name matches, e.g. "server-*"' })),
      minNewBytes: Type.Optional(Type.Integer({ minimum: 1, description: `never WARN for less new data than this (default 1 GiB)` })),
    },
    'borg: file count, size and new (deduplicated) data of the newest archive (borg info), against the archives before',
  ),
};

export type BackupChurnTool = keyof typeof backupChurnSchemas;
export const BackupChurnCheckSchema = Type.Union(Object.values(backupChurnSchemas), {
  $id: 'check.backup-churn',
  description: 'signs of ransomware in the backups: the newest snapshot much smaller or far more changed than usual',
});
export type BackupChurnCheckConfig = Static<typeof BackupChurnCheckSchema>;
export type BackupChurnConfigOf<T extends BackupChurnTool> = Static<(typeof backupChurnSchemas)[T]>;

export const backupChurnConfigErrors = toolConfigErrors(backupChurnSchemas);
