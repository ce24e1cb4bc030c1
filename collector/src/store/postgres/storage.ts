import type { Sql } from './connection.ts';
import type { StorageFacts, StorageRepository } from '../storage.ts';

/** StorageRepository on PostgreSQL: the database's size on disk and the schema version. */
export class PgStorage implements StorageRepository {
  constructor(private readonly db: Sql) {}

  async facts(): Promise<StorageFacts> {
    const row = await this.db.row<{ bytes: number; version: number }>(
      `SELECT pg_database_size(current_database()) AS bytes, (SELECT coalesce(max(version), 0) FROM nines_schema) AS version`,
    );
    // PostgreSQL reuses dead space itself (autovacuum); there is no free-page count to report.
    return { fileBytes: { main: row?.bytes ?? 0 }, freePages: 0, schemaVersion: row?.version ?? 0 };
  }
}
