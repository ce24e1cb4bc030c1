import type { Synchronous } from '../synchronous.ts';
import type { ResultParams, Status } from '@nines/shared';
import type { Db } from './database.ts';
import type { AgentCursor, AlertResultRepository, StatusHistory, StoredResult } from '../alert-results.ts';

export class SqliteAlertResults implements Synchronous<AlertResultRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      agentsBehind: db.prepare(
        `SELECT a.id AS agentId, a.client_id AS clientId, ifnull(c.last_seq, 0) AS cursor FROM agents a
         LEFT JOIN alert_cursors c ON c.agent_id = a.id WHERE a.last_seq > ifnull(c.last_seq, 0)`,
      ),
      agentBehind: db.prepare(
        `SELECT a.id AS agentId, a.client_id AS clientId, ifnull(c.last_seq, 0) AS cursor FROM agents a
         LEFT JOIN alert_cursors c ON c.agent_id = a.id WHERE a.id = ? AND a.last_seq > ifnull(c.last_seq, 0)`,
      ),
      resultsAfter: db.prepare(
        `SELECT r.seq, r.check_id AS checkId, ifnull(c.kind, '') AS checkKind, r.status, r.message, r.metrics_json, r.started_at AS startedAt,
                r.code, r.params_json
         FROM results r LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
         WHERE r.agent_id = ? AND r.seq > ? ORDER BY r.seq LIMIT ?`,
      ),
      lastSeq: db.prepare(`SELECT last_seq FROM agents WHERE id = ?`).pluck(),
      setCursor: db.prepare(
        `INSERT INTO alert_cursors (agent_id, last_seq, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at`,
      ),
      // Two index walks for the run of failures: the newest OK before it, then the first failure after that OK.
      lastOkBefore: db.prepare(
        `SELECT started_at FROM results WHERE agent_id = ? AND check_id = ? AND started_at < ? AND started_at >= ? AND status = 'OK'
         ORDER BY started_at DESC LIMIT 1`,
      ).pluck(),
      firstFailureIn: db.prepare(
        `SELECT min(started_at) FROM results WHERE agent_id = ? AND check_id = ? AND started_at > ? AND started_at <= ? AND status != 'OK'`,
      ).pluck(),
      statusAtOrBefore: db.prepare(
        `SELECT status FROM results WHERE agent_id = ? AND check_id = ? AND started_at <= ? ORDER BY started_at DESC, seq DESC LIMIT 1`,
      ).pluck(),
      statusesIn: db.prepare(
        `SELECT status FROM results WHERE agent_id = ? AND check_id = ? AND started_at > ? AND started_at <= ? ORDER BY started_at, seq`,
      ).pluck(),
    };
  }

  agentsBehind(): AgentCursor[] {
    return this.stmt.agentsBehind.all() as AgentCursor[];
  }

  agentBehind(agentId: string): AgentCursor | undefined {
    return this.stmt.agentBehind.get(agentId) as AgentCursor | undefined;
  }

  resultsAfter(agentId: string, afterSeq: number, limit: number): StoredResult[] {
    const rows = this.stmt.resultsAfter.all(agentId, afterSeq, limit) as (Omit<StoredResult, 'metrics' | 'params'> & { metrics_json: string; params_json: string | null })[];
    // Built field by field: a rest-and-spread copy made two objects per row of the alert pass (issue 18: its allocations).
    return rows.map((r) => ({
      seq: r.seq, checkId: r.checkId, checkKind: r.checkKind, status: r.status, message: r.message,
      metrics: JSON.parse(r.metrics_json) as Record<string, number>, startedAt: r.startedAt, code: r.code,
      params: r.params_json ? (JSON.parse(r.params_json) as ResultParams) : null,
    }));
  }

  lastSeq(agentId: string): number {
    return (this.stmt.lastSeq.get(agentId) as number | undefined) ?? 0;
  }

  setCursor(agentId: string, seq: number, now: number): void {
    this.stmt.setCursor.run(agentId, seq, now);
  }

  failingRunStart(agentId: string, checkId: string, at: number, lookbackMs: number): number | null {
    const floor = at - lookbackMs;
    const lastOk = this.stmt.lastOkBefore.get(agentId, checkId, at, floor) as number | undefined;
    return this.stmt.firstFailureIn.get(agentId, checkId, lastOk ?? floor - 1, at) as number | null;
  }

  statusHistory(agentId: string, checkId: string, from: number, to: number): StatusHistory {
    return {
      before: this.stmt.statusAtOrBefore.get(agentId, checkId, from) as Status | undefined,
      inside: this.stmt.statusesIn.all(agentId, checkId, from, to) as Status[],
    };
  }
}
