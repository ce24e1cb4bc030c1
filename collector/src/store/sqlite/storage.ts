import { existsSync, statSync } from 'node:fs';
import type { Db } from './database.ts';
import type { StorageFacts, StorageRepository } from '../storage.ts';

/** StorageRepository on SQLite: the file sizes, pragmas and queue counts. */
export class SqliteStorage implements StorageRepository {
  constructor(private readonly db: Db) {}

  facts(): StorageFacts {
    const { db } = this;
    const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    // Read per call: the alerting and notification tables are optional, and this runs once per scrape.
    const tables = new Set(db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all());
    const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
    let outbox: StorageFacts['outbox'] = null;
    if (tables.has('notification_outbox') && tables.has('notification_digests')) {
      outbox = {
        grouping: count(`SELECT count(*) FROM notification_outbox WHERE digest_id IS NULL`),
        sending: count(`SELECT count(*) FROM notification_digests WHERE sent_at IS NULL AND failed_at IS NULL`),
        failed: count(`SELECT count(*) FROM notification_digests WHERE failed_at IS NOT NULL`),
      };
    }
    let alertsByState: StorageFacts['alertsByState'] = null;
    if (tables.has('alerts')) {
      const rows = db.prepare<[], { state: string; n: number }>(`SELECT state, count(*) AS n FROM alerts GROUP BY state`).all();
      alertsByState = new Map(rows.map((r) => [r.state, r.n]));
    }
    return {
      fileBytes: { main: size(db.name), wal: size(`${db.name}-wal`) },
      freePages: pragmaNumber(db, 'freelist_count'),
      schemaVersion: pragmaNumber(db, 'user_version'),
      outbox,
      alertsByState,
    };
  }
}

/** A pragma whose value is one integer (user_version, freelist_count, …). */
export function pragmaNumber(db: Db, name: string): number {
  const value: unknown = db.pragma(name, { simple: true });
  return typeof value === 'number' ? value : Number(value);
}
