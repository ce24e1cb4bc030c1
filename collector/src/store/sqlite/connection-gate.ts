import { AsyncLocalStorage } from 'node:async_hooks';

/** One open asynchronous transaction: its savepoint depth. */
interface OpenTransaction {
  depth: number;
}

/** What the gate needs of the database: statements run on its one connection. */
export interface GateDatabase {
  exec(sql: string): void;
}

/**
 * SQLite has one connection, so an asynchronous transaction must keep everything else out while it awaits:
 * otherwise another request's write, made in between, would commit or roll back with it. The gate lets through
 * at once whatever runs inside the open transaction's own async context (AsyncLocalStorage: the transaction's
 * callback and everything it awaits or emits), and queues everything else — statements and other transactions —
 * in arrival order until it ends. With no transaction open, a statement runs in the caller's turn, as before.
 * Mind what "inside" means: a timer or listener registered during the transaction carries its context, so one that
 * fires while the transaction is still open counts as part of it (after it has ended, it queues like anyone).
 * A network database needs no gate: each transaction holds its own connection.
 */
export class ConnectionGate {
  private readonly context = new AsyncLocalStorage<OpenTransaction>();
  private open: OpenTransaction | null = null;
  /** Queued statements and transactions, in arrival order; each `go` takes its turn. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly db: GateDatabase) {}

  /** Whether the caller may use the connection now: no transaction is open, or the caller runs inside it. */
  private mayPass(): boolean {
    return this.open === null || this.context.getStore() === this.open;
  }

  /** Runs a synchronous statement (a repository call) now, or once the open transaction has ended. */
  run<T>(statement: () => T): Promise<T> {
    if (this.mayPass()) {
      try {
        return Promise.resolve(statement());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(statement());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /**
   * Runs `work` as one transaction: its writes commit together when it resolves, or none when it rejects. Called
   * inside an open transaction it is a savepoint, rolled back alone when it rejects (one at a time, not in parallel). `onEnd(committed)` runs
   * right after the outermost commit or rollback (the alert cache keeps what was committed). `begin` is the
   * statement that opens it: IMMEDIATE takes the write lock at once (a unit of work), a plain BEGIN none (a read).
   */
  async transaction<T>(work: () => Promise<T>, onEnd?: (committed: boolean) => void, begin: 'BEGIN IMMEDIATE' | 'BEGIN' = 'BEGIN IMMEDIATE'): Promise<T> {
    const inside = this.context.getStore();
    if (inside !== undefined && inside === this.open) return this.savepoint(inside, work);
    const tx = await this.acquire();
    let committed = false;
    try {
      this.db.exec(begin);
      try {
        const result = await this.context.run(tx, work);
        this.db.exec('COMMIT');
        committed = true;
        return result;
      } catch (error) {
        if (!committed) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      // The connection is free before onEnd runs: it may use the (guarded) repositories.
      this.open = null;
      onEnd?.(committed);
      this.next();
    }
  }

  private async savepoint<T>(tx: OpenTransaction, work: () => Promise<T>): Promise<T> {
    const name = `nines_sp_${++tx.depth}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      tx.depth--;
    }
  }

  /**
   * The connection for a new transaction, once no transaction is open and everyone queued before has had its turn.
   * It is marked open at once when its turn comes (not a microtask later), so nothing queued after it slips in.
   */
  private acquire(): Promise<OpenTransaction> {
    const take = (): OpenTransaction => (this.open = { depth: 0 });
    if (this.open === null && this.waiting.length === 0) return Promise.resolve(take());
    return new Promise<OpenTransaction>((resolve) => this.waiting.push(() => resolve(take())));
  }

  /** Lets the queue through in order: statements run at once, the first transaction takes the connection. */
  private next(): void {
    while (this.open === null && this.waiting.length > 0) this.waiting.shift()!();
  }
}
