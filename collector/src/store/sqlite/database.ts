import Database from 'better-sqlite3';
import { readdirSync, readFileSync, mkdirSync, openSync, closeSync, statSync, chmodSync, accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQLITE_ADDON } from '../../layout.ts';
import { registerContentHash } from './content-hash.ts';

export type Db = Database.Database;

// Beside this file in the sources; collector/build.mjs copies them to collector/dist/migrations, beside the bundle.
const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this build, in order: files named NNN_name.sql. */
export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Opens (or creates) the collector's database: WAL so readers never block the ingest writer,
 * NORMAL sync (durable at checkpoints; WAL keeps it consistent on power loss), migrations applied.
 */
export function openDatabase(file: string, migrations = loadMigrations()): Db {
  if (file !== ':memory:') prepareFiles(file);
  let db: Db;
  try {
    db = new Database(file, { nativeBinding: SQLITE_ADDON });
  } catch (error) {
    throw new Error(`cannot open the database ${file}: ${whyNotWritable(file) ?? (error as Error).message}`, { cause: error });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * The database holds every client's data and the hashes of every secret: its directory is the owner's
 * alone (0700) and the file is 0600; SQLite gives its -wal and -shm files the database file's mode.
 * An existing directory or file with wider modes is narrowed.
 */
function prepareFiles(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    narrow(dir, 0o700);
    closeSync(openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600));
    narrow(file, 0o600);
  } catch (error) {
    const reason = whyNotWritable(file) ?? (error as NodeJS.ErrnoException).message;
    throw new Error(`cannot open the database ${file}: ${reason}`, { cause: error });
  }
}

/** Narrows a path we own to `mode`; a sticky shared directory (/tmp) or someone else's is left as it is. */
function narrow(path: string, mode: number): void {
  const stat = statSync(path);
  if ((stat.mode & 0o1000) !== 0 || stat.uid !== process.getuid?.()) return;
  const current = stat.mode & 0o777;
  if ((current & ~mode) !== 0) chmodSync(path, current & mode);
}

/** A sentence naming what stands in the way, or undefined when the directory and file look usable. */
function whyNotWritable(file: string): string | undefined {
  const dir = dirname(file);
  const uid = process.getuid?.();
  const who = uid === undefined ? 'this user' : `user ${uid}`;
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `a path component of ${dir} is a file, not a directory`;
    if (code === 'EACCES') return `${who} may not look into a parent of ${dir} (permission denied)`;
    if (code === 'ENOENT') return `the data directory ${dir} does not exist and cannot be created`;
    return undefined;
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `the data directory ${dir} is not writable by ${who} (SQLite also needs to create nines.db-wal and nines.db-shm there)`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a directory, not a database file`;
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${file} is not readable and writable by ${who}`;
  }
  return undefined;
}

/** Applies every migration newer than the DB's user_version, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[]): number {
  // Migration 021 and the results view's insert trigger call it: every connection that migrates can write through the view.
  registerContentHash(db);
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw Object.assign(new Error(`database schema version ${current} is newer than this collector knows (${newest}); upgrade the collector`), {
      code: 'NINES_ERR_SCHEMA_TOO_NEW',
    });
  }
  let applied = 0;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied++;
  }
  return applied;
}
