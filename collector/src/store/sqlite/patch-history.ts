import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { PatchHistoryRepository } from '../patch-history.ts';

export class SqlitePatchHistory implements Synchronous<PatchHistoryRepository> {
  private readonly stmt;

  constructor(db: Db) {
    // A result without the metric (security state unknown) breaks the run like one reporting none: no claim of a week's wait rests on it.
    const pending = `ifnull(json_extract(metrics_json, '$.security'), 0) > 0`;
    this.stmt = {
      since: db.prepare(
        `SELECT min(started_at) FROM results
         WHERE agent_id = @agentId AND check_id = @checkId AND ${pending}
           AND started_at > ifnull((SELECT max(started_at) FROM results WHERE agent_id = @agentId AND check_id = @checkId AND NOT ${pending}), -1)`,
      ).pluck(),
    };
  }

  securityPendingSince(agentId: string, checkId: string): number | null {
    return (this.stmt.since.get({ agentId, checkId }) as number | null | undefined) ?? null;
  }
}
