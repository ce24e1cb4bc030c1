import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { DatabaseInfoRepository } from '../database-info.ts';

export class SqliteDatabaseInfo implements Synchronous<DatabaseInfoRepository> {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      get: db.prepare<[], { created_at: number }>(`SELECT created_at FROM database_info WHERE id = 1`),
      // An upgraded database existed since its oldest row; an empty one starts now. Never later than now: rows
      // stamped by another clock than the scheduler's must not hide a slot that is due.
      fix: db.prepare<{ now: number }>(
        `INSERT OR IGNORE INTO database_info (id, created_at) VALUES (1, min(@now, coalesce((SELECT min(t) FROM (
           SELECT min(created_at) AS t FROM clients UNION ALL SELECT min(created_at) FROM agents
           UNION ALL SELECT min(created_at) FROM users UNION ALL SELECT min(started_at) FROM job_runs)), @now)))`,
      ),
    };
  }

  since(now: number): number {
    return this.db.transaction(() => {
      this.stmt.fix.run({ now });
      return this.stmt.get.get()!.created_at;
    })();
  }
}
