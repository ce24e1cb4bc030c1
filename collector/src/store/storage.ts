/** Figures about the storage itself, for GET /metrics. */
export interface StorageFacts {
  /** Bytes on disk per file of the database (SQLite: `main` and `wal`). */
  fileBytes: Record<string, number>;
  /** Free pages inside the database, reused before it grows. */
  freePages: number;
  /** The schema version (migration number) the database is at. */
  schemaVersion: number;
}

/** The storage as a thing that is operated: sizes and versions. Reached as `store.storage`. */
export interface StorageRepository {
  /** Sizes, free pages and schema version, read now (queues and alerts: store.outbox.stats(), store.alerts.countByState()). */
  facts(): Promise<StorageFacts>;
}
