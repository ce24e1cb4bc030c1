import { DEFAULT_INTERVAL_MS, type Gap, type Result, type Status } from '@nines/shared';
import type { Db } from './database.ts';
import type { InsertOutcome } from '../store.ts';
import { paramsJson, toResult, type ResultRow } from '../result-rows.ts';
import { ResultKeys, STATUS_NUMBERS } from './result-keys.ts';

type InsertRowParams = [
  agentKey: number, seq: number, checkKey: number, status: number, startedAt: number, finishedMs: number, receivedMs: number,
  intervalMs: number | null, contentId: number,
];
type CheckStateParams = [
  agentId: string, checkId: string, kind: string, name: string, status: Status, message: string, metricsJson: string, startedAt: number,
  code: string | null, paramsJson: string | null, intervalMs: number | null, maxIntervalMs: number | null, labelsJson: string | null,
  updateIntervalMs: number | null, updateLabelsJson: string | null,
];

/** Results and gaps as the agents send them, and each check's latest state: the ingest's hot path. */
export class SqliteResults {
  private readonly stmt;
  private readonly keys: ResultKeys;
  /** Made once (`db.transaction(fn)` builds a new wrapper on every call); inside a transaction it is a savepoint. */
  readonly insertResults: (agentId: string, batch: Result[], receivedAt: number) => InsertOutcome;

  constructor(db: Db) {
    this.stmt = {
      // The compact layout of migration 021, not the `results` view: its trigger would look every key up again.
      insertRow: db.prepare<InsertRowParams>(
        `INSERT OR IGNORE INTO result_rows (result_agent_id, seq, result_check_id, status, started_at, finished_ms, received_ms, interval_ms,
           result_content_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertCheckState: db.prepare<CheckStateParams>(
        // The interval parameters are the newest result's interval (NULL from agents that send none): the check's current
        // interval. The labels ones are the result's labels, NULL when it carries none: the stored ones stay (and an
        // assigned check's are its config's, set when it was assigned).
        `INSERT INTO checks (agent_id, id, kind, name, status, message, metrics_json, last_result_at, code, params_json, interval_ms, max_interval_ms, labels_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, ${DEFAULT_INTERVAL_MS}), coalesce(?, ${DEFAULT_INTERVAL_MS}), coalesce(?, '[]'))
         ON CONFLICT (agent_id, id) DO UPDATE SET status = excluded.status, message = excluded.message,
           code = excluded.code, params_json = excluded.params_json,
           metrics_json = excluded.metrics_json, last_result_at = excluded.last_result_at,
           kind = excluded.kind, name = CASE WHEN checks.config_json IS NULL THEN excluded.name ELSE checks.name END,
           interval_ms = coalesce(?, checks.interval_ms),
           labels_json = CASE WHEN checks.config_json IS NULL THEN coalesce(?, checks.labels_json) ELSE checks.labels_json END
         WHERE checks.last_result_at IS NULL OR checks.last_result_at <= excluded.last_result_at`,
      ),
      // Apart from the upsert: a late result with a longer interval must raise it even when it is not the newest.
      raiseMaxInterval: db.prepare<[number, string, string, number]>(`UPDATE checks SET max_interval_ms = ? WHERE agent_id = ? AND id = ? AND max_interval_ms < ?`),
      bumpLastSeq: db.prepare<[number, string]>(`UPDATE agents SET last_seq = max(last_seq, ?) WHERE id = ?`),
      // One statement per batch for the agent row (was four: last_seq, counter, seen, read back).
      afterBatch: db.prepare<[number, number, number, string], number>(
        `UPDATE agents SET last_seq = max(last_seq, ?), stored_results = stored_results + ?, last_seen_at = ? WHERE id = ? RETURNING last_seq`,
      ).pluck(),
      lastSeq: db.prepare<[string], number>(`SELECT last_seq FROM agents WHERE id = ?`).pluck(),
      insertGap: db.prepare<[string, number, number, number, number, string]>(
        `INSERT OR IGNORE INTO gaps (agent_id, from_seq, to_seq, from_at, to_at, reason) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      storedResults: db.prepare<[string], number>(`SELECT stored_results FROM agents WHERE id = ?`).pluck(),
      between: db.prepare<[string, string, number, number], ResultRow>(
        `SELECT r.*, coalesce(c.kind, '') AS kind, coalesce(c.name, r.check_id) AS name FROM results r
         LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
         WHERE r.agent_id = ? AND r.check_id = ? AND r.started_at >= ? AND r.started_at < ? ORDER BY r.started_at, r.seq`,
      ),
    };
    this.keys = new ResultKeys(db);
    this.insertResults = db.transaction((agentId: string, batch: Result[], receivedAt: number) => this.insertBatch(agentId, batch, receivedAt));
  }

  private insertBatch(agentId: string, batch: Result[], receivedAt: number): InsertOutcome {
    const newlyStored: Result[] = [];
    let maxSeq = 0;
    // The newest result per check and its metrics as serialized for the row, reused for the check state.
    const newest = new Map<string, { result: Result; metricsJson: string; maxIntervalMs: number }>();
    const keys = this.keys.batch(agentId);
    for (const r of batch) {
      const metricsJson = JSON.stringify(r.metrics);
      const contentId = keys.content({
        message: r.message, metricsJson, detailsJson: r.details === undefined ? null : JSON.stringify(r.details), code: r.code ?? null, paramsJson: paramsJson(r),
      });
      const info = this.stmt.insertRow.run(
        keys.agentKey, r.seq, keys.check(r.checkId), STATUS_NUMBERS[r.status], r.startedAt, r.finishedAt - r.startedAt, receivedAt - r.startedAt,
        r.intervalMs ?? null, contentId,
      );
      if (r.seq > maxSeq) maxSeq = r.seq;
      if (info.changes === 0) continue;
      newlyStored.push(r);
      const prev = newest.get(r.checkId);
      const maxIntervalMs = Math.max(prev?.maxIntervalMs ?? 0, r.intervalMs ?? 0);
      if (!prev || prev.result.startedAt <= r.startedAt) newest.set(r.checkId, { result: r, metricsJson, maxIntervalMs });
      else prev.maxIntervalMs = maxIntervalMs;
    }
    const latest: Result[] = [];
    for (const { result: r, metricsJson, maxIntervalMs } of newest.values()) {
      const interval = r.intervalMs ?? null;
      const labels = r.labels === undefined ? null : JSON.stringify(r.labels);
      this.stmt.upsertCheckState.run(
        agentId, r.checkId, r.kind, r.name ?? r.checkId, r.status, r.message, metricsJson, r.startedAt, r.code ?? null, paramsJson(r), interval, interval, labels, interval, labels,
      );
      if (maxIntervalMs > 0) this.stmt.raiseMaxInterval.run(maxIntervalMs, agentId, r.checkId, maxIntervalMs);
      latest.push(r);
    }
    const lastSeq = this.stmt.afterBatch.get(maxSeq, newlyStored.length, receivedAt, agentId) ?? this.stmt.lastSeq.get(agentId) ?? 0;
    return { inserted: newlyStored.length, lastSeq, latest, newlyStored };
  }

  insertGap(agentId: string, gap: Gap): void {
    this.stmt.insertGap.run(agentId, gap.fromSeq, gap.toSeq, gap.from, gap.to, gap.reason);
    this.stmt.bumpLastSeq.run(gap.toSeq, agentId);
  }

  countResults(agentId: string): number {
    return this.stmt.storedResults.get(agentId) ?? 0;
  }

  resultsBetween(agentId: string, checkId: string, from: number, to: number): Result[] {
    return this.stmt.between.all(agentId, checkId, from, to).map(toResult);
  }
}
