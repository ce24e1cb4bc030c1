/** Online backup of the collector's database: consistent while the collector runs and writes. */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';

export interface BackupReport {
  file: string;
  bytes: number;
  /** PRAGMA user_version of the copy: the collector version needed to open it is at least this new. */
  schemaVersion: number;
  agents: number;
  results: number;
  tookMs: number;
}

export class BackupError extends Error {
  readonly code = 'NINES_ERR_BACKUP';
}

/**
 * Copies the database with SQLite's online backup API (pages are copied in steps; writes by the running
 * collector restart the copy, so the result is one consistent snapshot), checks the copy's integrity and
 * makes it a single self-contained file. Written beside the target and renamed, so a failed or
 * interrupted backup never leaves a half file under the target's name.
 */
export async function backupDatabase(sourceFile: string, outFile: string, options: { force?: boolean; now?: () => number } = {}): Promise<BackupReport> {
  const now = options.now ?? Date.now;
  const started = now();
  if (!existsSync(sourceFile)) throw new BackupError(`no database at ${sourceFile} (check --data-dir)`);
  if (existsSync(outFile) && !options.force) throw new BackupError(`${outFile} exists; choose another name or pass --force`);
  const partial = `${outFile}.partial`;
  rmSync(partial, { force: true });
  // Read-only and without migrations: a backup must never change the live database, whatever its version.
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  try {
    // The copy holds what the database holds: readable by its owner only, like nines.db.
    closeSync(openSync(partial, 'wx', 0o600));
    source.pragma('busy_timeout = 5000');
    await source.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup of ${sourceFile} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    source.close();
  }
  let report: Omit<BackupReport, 'file' | 'bytes' | 'tookMs'>;
  const copy = new Database(partial);
  try {
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`the copy failed its integrity check: ${String(integrity)}`);
    // WAL mode is recorded in the file; the copy is a plain single file you can move anywhere.
    copy.pragma('journal_mode = DELETE');
    const count = (table: string) => copy.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    report = { schemaVersion: copy.pragma('user_version', { simple: true }) as number, agents: count('agents'), results: count('results') };
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error instanceof BackupError ? error : new BackupError(`the copy is not readable: ${(error as Error).message}`, { cause: error });
  }
  copy.close();
  renameSync(partial, outFile);
  return { file: outFile, bytes: statSync(outFile).size, ...report, tookMs: now() - started };
}
