/** Figures about the storage itself, for GET /metrics. */
export interface StorageFacts {
  /** Bytes on disk per file of the database (SQLite: `main` and `wal`). */
  fileBytes: Record<string, number>;
  /** Free pages inside the database, reused before it grows. */
  freePages: number;
  /** The schema version (migration number) the database is at. */
  schemaVersion: number;
  /** Notifications waiting; null when the notification tables do not exist (alerting is optional). */
  outbox: { grouping: number; sending: number; failed: number } | null;
  /** Alerts per state of the alert state machine; null when the alert table does not exist. */
  alertsByState: Map<string, number> | null;
}

/** The storage as a thing that is operated: sizes and versions. Reached as `store.storage`. */
export interface StorageRepository {
  /** Sizes, free pages, schema version and queue depths, read now. */
  facts(): StorageFacts;
}
