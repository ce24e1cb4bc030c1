import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** One open transaction: the pooled connection it holds and its savepoint depth. */
interface OpenTransaction {
  client: pg.PoolClient;
  depth: number;
  /**
   * The statement sent last: reads run side by side inside a unit of work (availability/side-by-side.ts) go one
   * after the other on its one connection, as pg wants (a second query on a busy client is deprecated in pg 9).
   */
  last: Promise<unknown>;
}

/** What a repository needs of the database: a query that runs inside the caller's unit of work when there is one. */
export interface Sql {
  /** The rows of one statement (`$1`, `$2` … parameters). */
  rows<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  row<R>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** How many rows the statement inserted, updated or deleted. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

const INT8_OID = 20;

/**
 * BIGINT columns hold ms times, counts and ids: all far below 2^53, so they are numbers here as they are in
 * SQLite. A value beyond that is refused rather than rounded.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} does not fit a JavaScript number exactly`);
  return value;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * The collector's pool of PostgreSQL connections. Unlike SQLite's one connection, every transaction holds a
 * connection of its own, so nothing outside it waits: a statement outside any unit of work takes any free
 * connection. Inside a unit of work (AsyncLocalStorage: its callback and everything it awaits), statements run
 * on the transaction's connection, and a nested unit of work is a savepoint on it.
 */
export class PgConnection implements Sql {
  readonly pool: pg.Pool;
  private readonly context = new AsyncLocalStorage<OpenTransaction>();
  /** Statement texts and the names they are prepared under: each is parsed once per connection. */
  private readonly names = new Map<string, string>();
  private closed = false;

  constructor(url: string, options: { max?: number; applicationName?: string } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, application_name: options.applicationName ?? 'nines-collector' });
    // An idle connection that the server drops (restart, admin kill) must not take the collector down with it:
    // the pool discards it and the next query opens a fresh one.
    this.pool.on('error', () => {});
  }

  private query(text: string, params: readonly unknown[] = []): Promise<pg.QueryResult> {
    let name = this.names.get(text);
    if (name === undefined) this.names.set(text, (name = `nines_${this.names.size + 1}`));
    const config: pg.QueryConfig = { name, text, values: params as unknown[] };
    const tx = this.context.getStore();
    if (!tx) return this.pool.query(config);
    const next = tx.last.then(() => tx.client.query(config), () => tx.client.query(config));
    tx.last = next.catch(() => {});
    return next;
  }

  async rows<R>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return (await this.query(text, params)).rows as R[];
  }

  async row<R>(text: string, params?: readonly unknown[]): Promise<R | undefined> {
    return (await this.query(text, params)).rows[0] as R | undefined;
  }

  async run(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }

  /** Whether the caller runs inside a unit of work. */
  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  /**
   * Runs `work` as one transaction on its own connection: its writes commit together when it resolves, or none
   * when it rejects. Inside an open one it is a savepoint, rolled back alone when it rejects. `onEnd(committed)`
   * runs after the outermost commit or rollback.
   */
  async transaction<T>(work: () => Promise<T>, options: { readOnly?: boolean; onEnd?: (committed: boolean) => void } = {}): Promise<T> {
    const inside = this.context.getStore();
    if (inside) return this.savepoint(inside, work);
    const client = await this.pool.connect();
    let committed = false;
    let broken = false;
    try {
      // A read sees one snapshot (REPEATABLE READ): figures read together agree, as in SQLite's read transaction.
      await client.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        const result = await this.context.run({ client, depth: 0, last: Promise.resolve() }, work);
        await client.query('COMMIT');
        committed = true;
        return result;
      } catch (error) {
        if (!committed) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
        }
        throw error;
      }
    } finally {
      client.release(broken);
      options.onEnd?.(committed);
    }
  }

  private async savepoint<T>(tx: OpenTransaction, work: () => Promise<T>): Promise<T> {
    const name = `nines_sp_${++tx.depth}`;
    await tx.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await tx.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await tx.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.client.query(`RELEASE SAVEPOINT ${name}`);
      throw error;
    } finally {
      tx.depth--;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
