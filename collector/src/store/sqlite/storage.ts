import type { Synchronous } from '../synchronous.ts';
import { existsSync, statSync } from 'node:fs';
import type { Db } from './database.ts';
import type { StorageFacts, StorageRepository } from '../storage.ts';

/** StorageRepository on SQLite: the file sizes and pragmas. */
export class SqliteStorage implements Synchronous<StorageRepository> {
  constructor(private readonly db: Db) {}

  facts(): StorageFacts {
    const { db } = this;
    const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    return {
      fileBytes: { main: size(db.name), wal: size(`${db.name}-wal`) },
      freePages: pragmaNumber(db, 'freelist_count'),
      schemaVersion: pragmaNumber(db, 'user_version'),
    };
  }
}

/** A pragma whose value is one integer (user_version, freelist_count, …). */
export function pragmaNumber(db: Db, name: string): number {
  const value: unknown = db.pragma(name, { simple: true });
  return typeof value === 'number' ? value : Number(value);
}
