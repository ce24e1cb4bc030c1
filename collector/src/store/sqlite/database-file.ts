/**
 * The database as a file, for ops commands that must not open it as a Store (that would migrate it):
 * online backup, the check of a copy, the schema version of a file.
 */
import Database from 'better-sqlite3';
import { loadMigrations } from './database.ts';
import { SQLITE_ADDON } from '../../layout.ts';
import { pragmaNumber } from './storage.ts';

/** What a checked copy holds. */
export interface CopyFacts {
  /** PRAGMA user_version of the copy: the collector version needed to open it is at least this new. */
  schemaVersion: number;
  agents: number;
  results: number;
}

/**
 * Copies a live database with SQLite's online backup API into `targetFile` (which must exist, empty, with the
 * permissions the copy should have). Pages are copied in steps; writes by the running collector restart the
 * copy, so the result is one consistent snapshot. The source is opened read-only and never migrated.
 */
export async function onlineBackup(sourceFile: string, targetFile: string): Promise<void> {
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true, nativeBinding: SQLITE_ADDON });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(targetFile);
  } finally {
    source.close();
  }
}

/**
 * Checks a copy's integrity and makes it a single self-contained file (WAL mode is recorded in the file;
 * the copy is switched to a plain journal so it can be moved anywhere). Returns the problem when the
 * integrity check fails; throws when the file is no readable database at all.
 */
export function sealCopy(file: string): { ok: true; facts: CopyFacts } | { ok: false; problem: string } {
  const copy = new Database(file, { fileMustExist: true, nativeBinding: SQLITE_ADDON });
  try {
    const integrity: unknown = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return { ok: false, problem: `the copy failed its integrity check: ${String(integrity)}` };
    copy.pragma('journal_mode = DELETE');
    const count = (sql: string) => copy.prepare<[], number>(sql).pluck().get() ?? 0;
    return {
      ok: true,
      facts: { schemaVersion: pragmaNumber(copy, 'user_version'), agents: count(`SELECT count(*) FROM agents`), results: count(`SELECT count(*) FROM results`) },
    };
  } finally {
    copy.close();
  }
}

/** The schema version of an existing database file, read without changing it; throws when it cannot be opened. */
export function schemaVersionOf(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: SQLITE_ADDON });
  try {
    return pragmaNumber(db, 'user_version');
  } finally {
    db.close();
  }
}

/** The schema version this collector migrates to. */
export function latestSchemaVersion(): number {
  return loadMigrations().at(-1)?.version ?? 0;
}
