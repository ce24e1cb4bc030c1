/** A stored result's row as both stores read it back (SQLite's `results` view, PostgreSQL's table), and its record. */
import type { Result, Status } from '@nines/shared';

export interface ResultRow {
  seq: number; check_id: string; status: Status; message: string; metrics_json: string; details_json: string | null;
  started_at: number; finished_at: number; kind: string; name: string; interval_ms: number | null;
  code: string | null; params_json: string | null;
}

/** Params only beside a code: without one nobody could render them. */
export function paramsJson(r: Result): string | null {
  return r.code === undefined || r.params === undefined ? null : JSON.stringify(r.params);
}

export function toResult(r: ResultRow): Result {
  const result: Result = {
    seq: r.seq, checkId: r.check_id, kind: r.kind, name: r.name, status: r.status, message: r.message,
    metrics: JSON.parse(r.metrics_json), startedAt: r.started_at, finishedAt: r.finished_at,
  };
  if (r.details_json !== null) result.details = JSON.parse(r.details_json);
  if (r.interval_ms !== null) result.intervalMs = r.interval_ms;
  if (r.code !== null) result.code = r.code;
  if (r.params_json !== null) result.params = JSON.parse(r.params_json);
  return result;
}
