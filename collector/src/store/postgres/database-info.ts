import type { Sql } from './connection.ts';
import type { DatabaseInfoRepository } from '../database-info.ts';

/** DatabaseInfoRepository on PostgreSQL. */
export class PgDatabaseInfo implements DatabaseInfoRepository {
  constructor(private readonly db: Sql) {}

  async since(now: number): Promise<number> {
    // An upgraded database existed since its oldest row; an empty one starts now. Never later than now: rows stamped
    // by another clock than the scheduler's must not hide a slot that is due. One statement: the first collector to
    // ask fixes the time, every later one (and any other collector) reads that same row.
    const row = await this.db.row<{ created_at: number }>(
      `WITH fixed AS (
         INSERT INTO database_info (id, created_at) VALUES (1, least($1::bigint, coalesce((SELECT min(t) FROM (
           SELECT min(created_at) AS t FROM clients UNION ALL SELECT min(created_at) FROM agents
           UNION ALL SELECT min(created_at) FROM users UNION ALL SELECT min(started_at) FROM job_runs) AS oldest), $1::bigint)))
         ON CONFLICT (id) DO NOTHING RETURNING created_at)
       SELECT created_at FROM fixed UNION ALL SELECT created_at FROM database_info WHERE id = 1 LIMIT 1`,
      [now],
    );
    return row!.created_at;
  }
}
