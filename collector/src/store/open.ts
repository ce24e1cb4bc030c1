import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * Opens the store the collector runs on, migrated to this version: the one place outside store/sqlite that
 * chooses the implementation (SQLite in the data directory today). Creates the data directory (0700) or says
 * why it cannot.
 */
export function openStore(databaseFile: string): Store {
  return new SqliteStore(databaseFile);
}
