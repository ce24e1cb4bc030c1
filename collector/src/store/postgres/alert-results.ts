import type { ResultParams, Status } from '@nines/shared';
import type { PgConnection } from './connection.ts';
import type { AgentCursor, AlertResultRepository, StatusHistory, StoredResult } from '../alert-results.ts';

const CURSOR_SELECT = `SELECT a.id AS "agentId", a.client_id AS "clientId", coalesce(c.last_seq, 0) AS cursor FROM agents a
  LEFT JOIN alert_cursors c ON c.agent_id = a.id`;

/** Stored results as alerting reads them, and the per-agent cursors of evaluation, on PostgreSQL. */
export class PgAlertResults implements AlertResultRepository {
  constructor(private readonly db: PgConnection) {}

  agentsBehind(): Promise<AgentCursor[]> {
    // ORDER BY: SQLite answers in its table order unasked; here the order is made explicit.
    return this.db.rows<AgentCursor>(`${CURSOR_SELECT} WHERE a.last_seq > coalesce(c.last_seq, 0) ORDER BY a.id`);
  }

  agentBehind(agentId: string): Promise<AgentCursor | undefined> {
    return this.db.row<AgentCursor>(`${CURSOR_SELECT} WHERE a.id = $1 AND a.last_seq > coalesce(c.last_seq, 0)`, [agentId]);
  }

  async resultsAfter(agentId: string, afterSeq: number, limit: number): Promise<StoredResult[]> {
    const rows = await this.db.rows<Omit<StoredResult, 'metrics' | 'params'> & { metrics_json: string; params_json: string | null }>(
      `SELECT r.seq, r.check_id AS "checkId", coalesce(c.kind, '') AS "checkKind", r.status, r.message, r.metrics_json, r.started_at AS "startedAt",
              r.code, r.params_json
       FROM results r LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
       WHERE r.agent_id = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3`,
      [agentId, afterSeq, limit],
    );
    return rows.map(({ metrics_json, params_json, ...r }) => ({
      ...r, metrics: JSON.parse(metrics_json) as Record<string, number>, params: params_json ? (JSON.parse(params_json) as ResultParams) : null,
    }));
  }

  async lastSeq(agentId: string): Promise<number> {
    return (await this.db.row<{ last_seq: number }>(`SELECT last_seq FROM agents WHERE id = $1`, [agentId]))?.last_seq ?? 0;
  }

  async setCursor(agentId: string, seq: number, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO alert_cursors (agent_id, last_seq, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (agent_id) DO UPDATE SET last_seq = greatest(alert_cursors.last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
      [agentId, seq, now],
    );
  }

  async failingRunStart(agentId: string, checkId: string, at: number, lookbackMs: number): Promise<number | null> {
    const floor = at - lookbackMs;
    // The same two index walks as on SQLite, in one statement: the newest OK before `at`, then the first failure after it.
    const row = await this.db.row<{ start: number | null }>(
      `SELECT min(started_at) AS start FROM results WHERE agent_id = $1 AND check_id = $2 AND started_at <= $3 AND status != 'OK'
         AND started_at > coalesce(
           (SELECT started_at FROM results WHERE agent_id = $1 AND check_id = $2 AND started_at < $3 AND started_at >= $4 AND status = 'OK'
            ORDER BY started_at DESC LIMIT 1),
           $4 - 1)`,
      [agentId, checkId, at, floor],
    );
    return row?.start ?? null;
  }

  async statusHistory(agentId: string, checkId: string, from: number, to: number): Promise<StatusHistory> {
    const before = await this.db.row<{ status: Status }>(
      `SELECT status FROM results WHERE agent_id = $1 AND check_id = $2 AND started_at <= $3 ORDER BY started_at DESC, seq DESC LIMIT 1`,
      [agentId, checkId, from],
    );
    const inside = await this.db.rows<{ status: Status }>(
      `SELECT status FROM results WHERE agent_id = $1 AND check_id = $2 AND started_at > $3 AND started_at <= $4 ORDER BY started_at, seq`,
      [agentId, checkId, from, to],
    );
    return { before: before?.status, inside: inside.map((r) => r.status) };
  }
}
