/**
 * The store a test runs on: SQLite in a fresh temporary file by default, or a fresh PostgreSQL database when
 * NINES_TEST_STORE=postgres (the server: NINES_TEST_POSTGRES_URL, default the role .ci/postgres-up makes on
 * loopback). `bothStores` runs a test on each, for the repository contract tests.
 */
import type { Test } from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';

export type StoreKind = 'sqlite' | 'postgres';

export const TEST_STORE: StoreKind = process.env.NINES_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const POSTGRES_ADMIN_URL = process.env.NINES_TEST_POSTGRES_URL ?? 'postgres://nines_test:nines_test@127.0.0.1:5432/postgres';

let reachable: Promise<string | null> | undefined;

/** Null when the test server answers; else why not. */
function postgresProblem(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} does not answer (${(error as Error).message}); start it with .ci/postgres-up`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Why the test server cannot be used: under CI (NINES_CI) the test fails, elsewhere it is skipped with the reason. */
function refuse(t: Test, problem: string): undefined {
  if (process.env.NINES_CI) t.fail(problem);
  else t.pass(problem, { skip: true });
  return undefined;
}

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server: its URL, and how to drop it (connections still open are cut). */
async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nines_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}

/**
 * Drops a test database, cutting connections still open. WITH (FORCE) was seen to refuse once (42501, "must be a
 * member of the role whose process is being terminated") after the test's own store had closed: a backend in the
 * database that is not the test role's, most likely an autovacuum worker (a plain DROP cancels autovacuum itself),
 * so that is tried next; a connection of the test still closing (55006) is waited for.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== '42501' && code !== '55006')) throw error;
      if (code === '42501') {
        try {
          await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name}`));
          return;
        } catch {
          // still in use: the next round forces it again
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * A fresh, empty database whose dropping the caller orders itself (after the processes that use it have stopped);
 * throws when the server does not answer — the suite was asked to run on PostgreSQL.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const problem = await postgresProblem();
  if (problem) throw new Error(problem);
  return createDatabase();
}

/** A fresh, empty database for this test, dropped at its end; undefined when the server cannot be used (see refuse). */
export async function postgresTestDatabase(t: Test): Promise<string | undefined> {
  const problem = await postgresProblem();
  if (problem) return refuse(t, problem);
  const { url, drop } = await createDatabase();
  t.teardown(drop);
  return url;
}

/** A migrated store of `kind` for this test, closed (and its file or database removed) at the test's end. */
export async function openTestStore(t: Test, kind: StoreKind = TEST_STORE, options: { now?: number } = {}): Promise<Store | undefined> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'nines-store-'));
    const store = new SqliteStore(join(dir, 'nines.db'));
    t.teardown(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return store;
  }
  const problem = await postgresProblem();
  if (problem) return refuse(t, problem);
  const { url, drop } = await createDatabase();
  let store: PgStore;
  try {
    store = await PgStore.open(url, { now: options.now ?? 0 });
  } catch (error) {
    await drop();
    throw error;
  }
  t.teardown(async () => {
    await store.close();
    await drop();
  });
  return store;
}

/** The file in a test's data directory that names its PostgreSQL database: a restart in that directory reopens it. */
const DATABASE_URL_FILE = 'nines-test-database-url';
/** Databases this process made for openTestStoreAt and has not dropped yet: dropped before it exits. */
const undropped = new Map<string, () => Promise<void>>();
let exitHook = false;

/**
 * A store of `kind` for a helper that manages its own lifetime (no tap test at hand), belonging to the data
 * directory `dir`: SQLite in `dir`/nines.db, or a PostgreSQL database named in `dir` — created on the first open,
 * reopened by the next one in the same directory, as a restarted collector reopens its file. `close` closes it;
 * `close({ keep: true })` leaves the database for a restart (it is dropped when the process ends).
 * An unreachable server throws: a suite asked to run on PostgreSQL must not quietly run on SQLite.
 */
export async function openTestStoreAt(dir: string, kind: StoreKind): Promise<{ store: Store; databaseUrl: string | null; close: (options?: { keep?: boolean }) => Promise<void> }> {
  if (kind === 'sqlite') {
    const store = new SqliteStore(join(dir, 'nines.db'));
    return { store, databaseUrl: null, close: () => store.close() };
  }
  const problem = await postgresProblem();
  if (problem) throw new Error(problem);
  const named = join(dir, DATABASE_URL_FILE);
  let url: string;
  if (existsSync(named)) url = readFileSync(named, 'utf8').trim();
  else {
    const created = await createDatabase();
    url = created.url;
    undropped.set(url, created.drop);
    writeFileSync(named, url + '\n');
    if (!exitHook) {
      exitHook = true;
      // beforeExit may start asynchronous work: the databases of restarted collectors go when the test file ends.
      process.once('beforeExit', () => void Promise.all([...undropped.values()].map((drop) => drop().catch(() => {}))).then(() => undropped.clear()));
    }
  }
  const store = await PgStore.open(url, { now: Date.now() });
  return {
    store,
    databaseUrl: url,
    close: async (options = {}) => {
      await store.close();
      if (options.keep) return;
      await undropped.get(url)?.();
      undropped.delete(url);
      rmSync(named, { force: true });
    },
  };
}

/** The PostgreSQL database openTestStoreAt made for `dir`, or null (SQLite, or nothing opened there yet). */
export function databaseUrlIn(dir: string): string | null {
  const named = join(dir, DATABASE_URL_FILE);
  return existsSync(named) ? readFileSync(named, 'utf8').trim() : null;
}

/**
 * A read-only look at the tables of `dir`'s store while another process (a collector child) has it open: SQLite's
 * file opened read-only, or a connection of its own to the database. `?` parameters, SQL both dialects share.
 */
export async function storeReader(dir: string): Promise<{ all<R>(sql: string, ...params: unknown[]): Promise<R[]>; close(): Promise<void> }> {
  const url = databaseUrlIn(dir);
  if (url === null) {
    const db = new Database(join(dir, 'nines.db'), { readonly: true, fileMustExist: true });
    return { all: async <R>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as R[], close: async () => void db.close() };
  }
  // BIGINT (times, counts) as numbers, as the store reads them (store/postgres/connection.ts).
  const types = { getTypeParser: ((oid: number, format?: 'text') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return { all: async <R>(sql: string, ...params: unknown[]) => (await client.query(numbered(sql), params)).rows as R[], close: () => client.end() };
}

/** Runs `body` once per store kind, each as its own subtest named after the kind. */
export function bothStores(t: Test, name: string, body: (t: Test, store: Store, kind: StoreKind) => Promise<void>, options: { now?: number } = {}): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    t.test(`${name} [${kind}]`, async (t) => {
      const store = await openTestStore(t, kind, options);
      if (store) await body(t, store, kind);
    });
  }
}
