import type { Sql } from './connection.ts';
import type { PatchHistoryRepository } from '../patch-history.ts';

/** PatchHistoryRepository on PostgreSQL. */
export class PgPatchHistory implements PatchHistoryRepository {
  constructor(private readonly db: Sql) {}

  async securityPendingSince(agentId: string, checkId: string): Promise<number | null> {
    // A result without the metric (security state unknown) breaks the run like one reporting none: no claim of a
    // week's wait rests on it.
    const pending = `coalesce((metrics_json::jsonb ->> 'security')::double precision, 0) > 0`;
    const row = await this.db.row<{ since: number | null }>(
      `SELECT min(started_at) AS since FROM results
       WHERE agent_id = $1 AND check_id = $2 AND ${pending}
         AND started_at > coalesce((SELECT max(started_at) FROM results WHERE agent_id = $1 AND check_id = $2 AND NOT ${pending}), -1)`,
      [agentId, checkId],
    );
    return row?.since ?? null;
  }
}
