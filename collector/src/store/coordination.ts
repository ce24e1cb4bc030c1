/**
 * What collectors sharing one database need of it besides the data: one of them leads (runs alerting, rollups,
 * retention and the schedules), and every one tells the others what it committed so their live views follow.
 * SQLite is one collector's file, so there it leads alone and nobody else listens (sqlite/coordination.ts); on
 * PostgreSQL the leader holds an advisory lock and messages are NOTIFY on one channel (postgres/coordination.ts).
 */
export interface CoordinationHandlers {
  /** Called on every change of this collector's leadership, and once with the first outcome of `start`. */
  leading(leading: boolean): void;
  /** A message another collector published (this collector's own are not passed back). */
  message(text: string): void;
}

export interface Coordination {
  /** Whether other collectors may share this store: only then are messages published at all. */
  readonly shared: boolean;
  /** The largest message `publish` takes, in UTF-8 bytes. */
  readonly maxMessageBytes: number;
  /** Starts contending for leadership and listening; resolves once the first attempt to lead has an outcome. */
  start(handlers: CoordinationHandlers): Promise<void>;
  /** Tells the other collectors; a message that cannot be sent is dropped (their next full refresh catches up). */
  publish(text: string): Promise<void>;
  /** Gives up leadership (another collector takes over at once) and stops listening. */
  stop(): Promise<void>;
}
