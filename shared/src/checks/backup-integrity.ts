import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';
import { program, secretEnv, secretFile, toolConfigErrors } from './backup.ts';

export const BACKUP_INTEGRITY_DEFAULT_EVERY_MS = 7 * 86_400_000; // reading back a repository costs hours of disk and network: weekly
// Between two integrity runs the check reports the last outcome at this interval, so the result stays current for the collector.
export const BACKUP_INTEGRITY_INTERVAL_MS = 3_600_000;
export const BACKUP_INTEGRITY_TIMEOUT_MS = 6 * 3_600_000; // `borg check --verify-data` reads every chunk: hours on a large repository
export const DEFAULT_RESTIC_READ_DATA_SUBSETS = 4; // a quarter of the packs each week: every pack read back once a month

const every = Type.Optional({ ...DurationSchema, description: 'how often the repository is checked (default 7d); each machine gets its own slot within it' });

function integritySchema<T extends string, P extends TProperties>(tool: T, properties: P, description: string) {
  const schema = checkSchema('backup-integrity', { tool: Type.Literal(tool), repository: Type.String({ minLength: 1 }), every, program, ...properties }, description);
  return { ...schema, $id: `check.backup-integrity.${tool}` };
}

export const backupIntegritySchemas = {
  restic: integritySchema(
    'restic',
    {
      passwordFile: secretFile,
      passwordEnv: secretEnv,
      readDataSubsets: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 10_000, description: 'restic check --read-data-subset=n/T reads one of T parts per run, the next one each time (default 4; 1 reads all data)' }),
      ),
    },
    'restic check --read-data-subset: the repository structure and a rotating part of its data read back',
  ),
  borg: integritySchema('borg', { passphraseFile: secretFile, passphraseEnv: secretEnv }, 'borg check --verify-data --last 1: the repository and the data of the newest archive read back'),
};

export type BackupIntegrityTool = keyof typeof backupIntegritySchemas;
export const BackupIntegrityCheckSchema = Type.Union(Object.values(backupIntegritySchemas), {
  $id: 'check.backup-integrity',
  description: 'can the backup be restored? a scheduled read-back of a restic or borg repository',
});
export type BackupIntegrityCheckConfig = Static<typeof BackupIntegrityCheckSchema>;
export type BackupIntegrityConfigOf<T extends BackupIntegrityTool> = Static<(typeof backupIntegritySchemas)[T]>;

export const backupIntegrityConfigErrors = toolConfigErrors(backupIntegritySchemas);
