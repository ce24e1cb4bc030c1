/**
 * History for benches that read it: results written straight into the table (a day of 1,000 checks through sockets
 * would take minutes), the newest round through insertResults so each check has its latest state, and the alert
 * cursors and rollups brought up to date as a collector that has run all along would have them.
 */
import type { SqliteStore } from '../../collector/src/store/sqlite/sqlite-store.ts';
import { flushRollups, markAgent } from '../../collector/src/availability/rollups.ts';
import { benchResult } from './wire-agent.ts';

export interface HistoryShape {
  checksPerAgent: number;
  historyMinutes: number;
  /** Minutes between two results of one check. */
  stepMinutes: number;
  /** A little downtime so availability is not all 100 %: check `check` is CRIT in every round where `down(round)`. */
  down?: { check: number; rounds: (round: number) => boolean };
  /** Leave the alert cursors behind, so the collector's start catches up on every result (measured apart). */
  alertingCatchUp?: boolean;
  /** No rollups: the figures read raw rows only. */
  rawOnly?: boolean;
}

/** Writes the history; returns the rows stored and each agent's last seq (where a live feed continues). */
export async function populateHistory(store: SqliteStore, agentIds: string[], now: number, shape: HistoryShape): Promise<{ rows: number; lastSeq: Map<string, number> }> {
  const { checksPerAgent, historyMinutes, stepMinutes } = shape;
  const rounds = Math.floor(historyMinutes / stepMinutes);
  const from = now - historyMinutes * 60_000;
  const insert = store.db.prepare(
    `INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  store.db.transaction(() => {
    for (const agentId of agentIds) {
      let seq = 0;
      for (let round = 0; round < rounds - 1; round++) {
        for (let check = 0; check < checksPerAgent; check++) {
          const r = benchResult(++seq, check, from + round * stepMinutes * 60_000 + check * 1_000);
          const down = shape.down !== undefined && check === shape.down.check && shape.down.rounds(round);
          insert.run(agentId, r.seq, r.checkId, down ? 'CRIT' : r.status, r.message, JSON.stringify(r.metrics), r.startedAt, r.finishedAt, now);
        }
      }
    }
  })();
  const firstSeq = (rounds - 1) * checksPerAgent;
  const lastSeq = new Map<string, number>();
  for (const agentId of agentIds) {
    const batch = Array.from({ length: checksPerAgent }, (_, check) => benchResult(firstSeq + check + 1, check, now - stepMinutes * 60_000 + check * 1_000));
    lastSeq.set(agentId, (await store.insertResults(agentId, batch, now)).lastSeq);
  }
  // History that came in through ingest has been evaluated by alerting already.
  if (!shape.alertingCatchUp) {
    store.db.prepare(`INSERT OR REPLACE INTO alert_cursors (agent_id, last_seq, updated_at) SELECT id, last_seq, ? FROM agents`).run(now);
  }
  // Ingest marks hours dirty and the flush (every 30 s) rolls them up: a collector that has run for a day answers
  // from hour rows, not from the raw rows.
  if (!shape.rawOnly) {
    for (const agentId of agentIds) await markAgent(store, agentId, from, now);
    await flushRollups(store);
  }
  return { rows: store.db.prepare(`SELECT count(*) FROM results`).pluck().get() as number, lastSeq };
}
