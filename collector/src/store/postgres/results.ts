import { DEFAULT_INTERVAL_MS, type Gap, type Result } from '@nines/shared';
import type { PgConnection } from './connection.ts';
import type { InsertOutcome } from '../store.ts';
import { paramsJson, toResult, type ResultRow } from '../result-rows.ts';

// One statement per batch: the rows travel as arrays, one per column, and come back as the seqs newly stored. The
// table's key holds started_at (a partitioned table's keys must hold its partition key), so it alone would store a
// seq again that comes back with another start time; NOT EXISTS refuses any seq the agent has stored, and a seq
// twice in one batch is stored once, the first (DISTINCT ON by position), as SQLite's (agent, seq) key does. The
// agent's row is locked first (insertBatch), so no other collector stores the same agent's seqs in between.
const INSERT_BATCH = `INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at,
    received_at, interval_ms, code, params_json)
  SELECT $1, u.seq, u.check_id, u.status, u.message, u.metrics_json, u.details_json, u.started_at, u.finished_at, u.received_at, u.interval_ms,
    u.code, u.params_json
  FROM (SELECT DISTINCT ON (seq) * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[],
      $10::bigint[], $11::bigint[], $12::text[], $13::text[])
      WITH ORDINALITY AS n(seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at, interval_ms, code,
        params_json, position)
    ORDER BY seq, position) u
  WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.agent_id = $1 AND r.seq = u.seq)
  ON CONFLICT DO NOTHING RETURNING seq`;

// One statement for a batch's check states: the newest result of each check as one row of arrays (a check appears once:
// ON CONFLICT DO UPDATE may not meet a row twice in one statement). `excluded` holds the values as coalesced for a new
// row, so a result without an interval or labels keeps the stored ones through the CTE's raw values. ORDER BY id: two
// units of work lock check rows in one order. A late result (older than the stored state) changes nothing here.
const UPSERT_CHECK_STATES = `WITH u AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::bigint[],
      $12::text[]) AS u(id, kind, name, status, message, metrics_json, last_result_at, code, params_json, interval_ms, labels_json))
  INSERT INTO checks (agent_id, id, kind, name, status, message, metrics_json, last_result_at, code, params_json, interval_ms, max_interval_ms, labels_json)
  SELECT $1, u.id, u.kind, u.name, u.status, u.message, u.metrics_json, u.last_result_at, u.code, u.params_json,
    coalesce(u.interval_ms, ${DEFAULT_INTERVAL_MS}), coalesce(u.interval_ms, ${DEFAULT_INTERVAL_MS}), coalesce(u.labels_json, '[]')
  FROM u ORDER BY u.id
  ON CONFLICT (agent_id, id) DO UPDATE SET status = excluded.status, message = excluded.message,
    code = excluded.code, params_json = excluded.params_json,
    metrics_json = excluded.metrics_json, last_result_at = excluded.last_result_at,
    kind = excluded.kind, name = CASE WHEN checks.config_json IS NULL THEN excluded.name ELSE checks.name END,
    interval_ms = coalesce((SELECT u.interval_ms FROM u WHERE u.id = excluded.id), checks.interval_ms),
    labels_json = CASE WHEN checks.config_json IS NULL THEN coalesce((SELECT u.labels_json FROM u WHERE u.id = excluded.id), checks.labels_json)
      ELSE checks.labels_json END
  WHERE checks.last_result_at IS NULL OR checks.last_result_at <= excluded.last_result_at`;

// Apart from the upsert: a late result with a longer interval must raise it even when it is not the newest. One
// statement for the batch's checks, in id order as above.
const RAISE_MAX_INTERVALS = `UPDATE checks c SET max_interval_ms = m.max_interval_ms
  FROM (SELECT * FROM unnest($2::text[], $3::bigint[]) AS m(id, max_interval_ms) ORDER BY id) m
  WHERE c.agent_id = $1 AND c.id = m.id AND c.max_interval_ms < m.max_interval_ms`;

/** Results and gaps as the agents send them, and each check's latest state, on PostgreSQL. */
export class PgResults {
  constructor(private readonly db: PgConnection) {}

  insertResults(agentId: string, batch: Result[], receivedAt: number): Promise<InsertOutcome> {
    return this.db.transaction(() => this.insertBatch(agentId, batch, receivedAt));
  }

  private async insertBatch(agentId: string, batch: Result[], receivedAt: number): Promise<InsertOutcome> {
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    const metricsJsons: string[] = [];
    let maxSeq = 0;
    for (const r of batch) {
      const metricsJson = JSON.stringify(r.metrics);
      metricsJsons.push(metricsJson);
      const values = [
        r.seq, r.checkId, r.status, r.message, metricsJson, r.details === undefined ? null : JSON.stringify(r.details), r.startedAt, r.finishedAt,
        receivedAt, r.intervalMs ?? null, r.code ?? null, paramsJson(r),
      ];
      for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]);
      if (r.seq > maxSeq) maxSeq = r.seq;
    }
    // The agent's row lock, held to the end of the unit of work: its batches are stored one at a time, whichever
    // collector its socket reaches.
    await this.db.run(`SELECT 1 FROM agents WHERE id = $1 FOR UPDATE`, [agentId]);
    const stored = new Set(batch.length === 0 ? [] : (await this.db.rows<{ seq: number }>(INSERT_BATCH, [agentId, ...columns])).map((row) => row.seq));
    const newlyStored: Result[] = [];
    // The newest result per check and its metrics as serialized for the row, reused for the check state.
    const newest = new Map<string, { result: Result; metricsJson: string; maxIntervalMs: number }>();
    batch.forEach((r, i) => {
      // A batch that repeats a seq stores it once: the first of them, as SQLite's row-by-row insert does.
      if (!stored.delete(r.seq)) return;
      newlyStored.push(r);
      const prev = newest.get(r.checkId);
      const maxIntervalMs = Math.max(prev?.maxIntervalMs ?? 0, r.intervalMs ?? 0);
      if (!prev || prev.result.startedAt <= r.startedAt) newest.set(r.checkId, { result: r, metricsJson: metricsJsons[i]!, maxIntervalMs });
      else prev.maxIntervalMs = maxIntervalMs;
    });
    const latest: Result[] = [];
    const states: unknown[][] = Array.from({ length: 11 }, () => []);
    const raised: [string[], number[]] = [[], []];
    for (const { result: r, metricsJson, maxIntervalMs } of newest.values()) {
      const values = [
        r.checkId, r.kind, r.name ?? r.checkId, r.status, r.message, metricsJson, r.startedAt, r.code ?? null, paramsJson(r), r.intervalMs ?? null,
        r.labels === undefined ? null : JSON.stringify(r.labels),
      ];
      for (let i = 0; i < values.length; i++) states[i]!.push(values[i]);
      if (maxIntervalMs > 0) {
        raised[0].push(r.checkId);
        raised[1].push(maxIntervalMs);
      }
      latest.push(r);
    }
    if (latest.length > 0) await this.db.run(UPSERT_CHECK_STATES, [agentId, ...states]);
    if (raised[0].length > 0) await this.db.run(RAISE_MAX_INTERVALS, [agentId, ...raised]);
    const row = await this.db.row<{ last_seq: number }>(
      `UPDATE agents SET last_seq = greatest(last_seq, $1), stored_results = stored_results + $2, last_seen_at = $3 WHERE id = $4 RETURNING last_seq`,
      [maxSeq, newlyStored.length, receivedAt, agentId],
    );
    return { inserted: newlyStored.length, lastSeq: row?.last_seq ?? 0, latest, newlyStored };
  }

  async insertGap(agentId: string, gap: Gap): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run(
        `INSERT INTO gaps (agent_id, from_seq, to_seq, from_at, to_at, reason) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [agentId, gap.fromSeq, gap.toSeq, gap.from, gap.to, gap.reason],
      );
      await this.db.run(`UPDATE agents SET last_seq = greatest(last_seq, $1) WHERE id = $2`, [gap.toSeq, agentId]);
    });
  }

  async countResults(agentId: string): Promise<number> {
    return (await this.db.row<{ stored_results: number }>(`SELECT stored_results FROM agents WHERE id = $1`, [agentId]))?.stored_results ?? 0;
  }

  async resultsBetween(agentId: string, checkId: string, from: number, to: number): Promise<Result[]> {
    const rows = await this.db.rows<ResultRow>(
      `SELECT r.*, coalesce(c.kind, '') AS kind, coalesce(c.name, r.check_id) AS name FROM results r
       LEFT JOIN checks c ON c.agent_id = r.agent_id AND c.id = r.check_id
       WHERE r.agent_id = $1 AND r.check_id = $2 AND r.started_at >= $3 AND r.started_at < $4 ORDER BY r.started_at, r.seq`,
      [agentId, checkId, from, to],
    );
    return rows.map(toResult);
  }
}
