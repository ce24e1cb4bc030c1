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
  /**
   * The leader is told when it starts leading and whenever a collector left the database: the marks of agents whose
   * collector is gone (killed, so no close handler ran) are for it to release. Awaited: `start` resolves after the
   * first leader's release, so what a restarted lone collector reports from then on is true.
   */
  collectorsLeft?(): Promise<void> | void;
  /**
   * This collector's coordination connection came back after a loss. While it was gone the leader may have taken this
   * collector for dead and released its marks: the agents it still holds are to be marked again.
   */
  rejoined?(): void;
}

export interface Coordination {
  /** Whether other collectors may share this store: only then are messages published at all. */
  readonly shared: boolean;
  /** This collector's name among those sharing the store, unique per run: the holder written beside a connected mark. */
  readonly instance: string;
  /** The largest message `publish` takes, in UTF-8 bytes. */
  readonly maxMessageBytes: number;
  /** Starts contending for leadership and listening; resolves once the first attempt to lead has an outcome. */
  start(handlers: CoordinationHandlers): Promise<void>;
  /** Tells the other collectors; a message that cannot be sent is dropped (their next full refresh catches up). */
  publish(text: string): Promise<void>;
  /** Gives up leadership (another collector takes over at once) and stops listening. */
  stop(): Promise<void>;
}
