/** Online backup of the collector's database: consistent while the collector runs and writes. */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { onlineBackup, sealCopy, type CopyFacts } from '../store/sqlite/database-file.ts';

export interface BackupReport extends CopyFacts {
  file: string;
  bytes: number;
  tookMs: number;
}

export class BackupError extends Error {
  readonly code = 'NINES_ERR_BACKUP';
}

/**
 * Copies the database with the store's online backup (one consistent snapshot while the collector writes,
 * store/sqlite/database-file.ts), checks the copy's integrity and makes it a single self-contained file. Written beside the target and renamed, so a failed or
 * interrupted backup never leaves a half file under the target's name.
 */
export async function backupDatabase(sourceFile: string, outFile: string, options: { force?: boolean; now?: () => number } = {}): Promise<BackupReport> {
  const now = options.now ?? Date.now;
  const started = now();
  if (!existsSync(sourceFile)) throw new BackupError(`no database at ${sourceFile} (check --data-dir)`);
  if (existsSync(outFile) && !options.force) throw new BackupError(`${outFile} exists; choose another name or pass --force`);
  const partial = `${outFile}.partial`;
  rmSync(partial, { force: true });
  try {
    // The copy holds what the database holds: readable by its owner only, like nines.db.
    closeSync(openSync(partial, 'wx', 0o600));
    // Read-only and without migrations: a backup must never change the live database, whatever its version.
    await onlineBackup(sourceFile, partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup of ${sourceFile} failed: ${(error as Error).message}`, { cause: error });
  }
  let sealed: ReturnType<typeof sealCopy>;
  try {
    sealed = sealCopy(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy is not readable: ${(error as Error).message}`, { cause: error });
  }
  if (!sealed.ok) {
    rmSync(partial, { force: true });
    throw new BackupError(sealed.problem);
  }
  const report = sealed.facts;
  renameSync(partial, outFile);
  return { file: outFile, bytes: statSync(outFile).size, ...report, tookMs: now() - started };
}
