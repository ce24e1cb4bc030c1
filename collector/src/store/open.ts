import { SqliteStore } from './sqlite/sqlite-store.ts';
import { PgStore } from './postgres/postgres-store.ts';
import type { Store } from './store.ts';

/**
 * Opens the store the collector runs on, migrated to this version: the one place outside store/ implementations
 * that chooses one. With a PostgreSQL URL, that database; else SQLite in the data directory's file, creating the
 * directory (0700) or saying why it cannot.
 */
export async function openStore(where: { databaseFile: string; databaseUrl: string | null }): Promise<Store> {
  if (where.databaseUrl !== null) return PgStore.open(where.databaseUrl);
  return new SqliteStore(where.databaseFile);
}
