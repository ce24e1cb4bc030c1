/**
 * A test's own look at the tables, on whichever store it runs (helpers/test-store.ts): statements with `?`
 * parameters, written in the SQL both dialects share. For what the repositories do not expose (a token's hash as
 * stored, a raw gap row), never for what a repository answers.
 */
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';

/** `?` → `$1`, `$2` …: this helper's statements hold no `?` inside string literals. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function rawAll<R = Record<string, unknown>>(store: Store, sql: string, ...params: unknown[]): Promise<R[]> {
  if (store instanceof SqliteStore) return store.db.prepare(sql).all(...params) as R[];
  if (store instanceof PgStore) return store.db.rows<R>(numbered(sql), params);
  throw new Error('rawAll: a store of an unknown kind');
}

export async function rawGet<R = Record<string, unknown>>(store: Store, sql: string, ...params: unknown[]): Promise<R | undefined> {
  return (await rawAll<R>(store, sql, ...params))[0];
}

/** The first column of the first row (a count, a single value); undefined when there is no row. */
export async function rawValue<V = unknown>(store: Store, sql: string, ...params: unknown[]): Promise<V | undefined> {
  const row = await rawGet<Record<string, V>>(store, sql, ...params);
  return row === undefined ? undefined : Object.values(row)[0];
}

/** Runs a write; returns the rows it changed. */
export async function rawRun(store: Store, sql: string, ...params: unknown[]): Promise<number> {
  if (store instanceof SqliteStore) return store.db.prepare(sql).run(...params).changes;
  if (store instanceof PgStore) return store.db.run(numbered(sql), params);
  throw new Error('rawRun: a store of an unknown kind');
}
