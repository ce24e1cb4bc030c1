/**
 * Scenario "rollup-flush": what the collector's 30 s rollup flush costs per new result, early and late in a
 * local day, at the steady operating point (1,000 checks at 20 s: 50 hosts × 20 checks, Europe/Berlin).
 *
 * Raw results are written straight into SQLite for the first hour of a local day and rolled up by the real
 * flush; then, ROUNDS times, 30 s of new results (1,500) are written, marked as ingest marks them, and the
 * real `flushRollups` is timed. The same is repeated after the day has LATE_HOURS of data. The figure must
 * not grow with the hour of the day: a flush that recomputed each dirty check's whole day from raw cost
 * ~25 ms per result after 12 h (more than 30 s of CPU per 30 s flush).
 *
 * ours: CPU ms per new result of the real flush, late in the day (median of the rounds).
 * ceiling: CPU ms per new result of recomputing only the dirty hours from raw (the exact hour rows, nothing
 * written): the floor of an exact flush. ratio = ours / ceiling.
 * wholeDayMsPerResult: the first round's dirty set recomputed the previous way (each series' whole local day
 * from raw, plus its hours), also without writes — the before, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { bucketsOf, flushRollups, HOUR_MS, markResults } from '../collector/src/availability/rollups.ts';
import { fromLocal, localDaysTouching } from '../collector/src/availability/zoned-time.ts';
import { FLUSH_SLICE } from '../collector/src/availability/service.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';
import { method } from './lib/method.ts';
import { median } from './lib/stats.ts';

const HOSTS = 50;
const CHECKS_PER_HOST = 20;
const INTERVAL_MS = 20_000;
const FLUSH_EVERY_MS = 30_000; // the collector's flush timer (availability/service.ts)
const ROUNDS = 3;
const LATE_HOURS = Number(process.env.NINES_BENCH_ROLLUP_LATE_HOURS ?? 12);
const TZ = 'Europe/Berlin';

function cpuMs<T>(fn: () => T): [T, number] {
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return [value, (used.user + used.system) / 1000];
}

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-rollup-'));
  const store = new SqliteStore(join(dir, 'nines.db'));
  const db = store.db;
  try {
    // A fixed summer day (no DST change), so every run measures the same hours.
    const dayStart = fromLocal(2026, 6, 10, 0, 0, TZ);
    const agents: string[] = [];
    db.transaction(() => {
      const clientId = Number(db.prepare(`INSERT INTO clients (name, timezone, created_at) VALUES ('bench', ?, 0)`).run(TZ).lastInsertRowid);
      for (let h = 0; h < HOSTS; h++) {
        const agentId = `agent-${h}`;
        agents.push(agentId);
        db.prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at) VALUES (?, ?, ?, 'x', 0)`).run(agentId, clientId, `host-${h}`);
        for (let k = 0; k < CHECKS_PER_HOST; k++) {
          db.prepare(`INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, ?, 'http', ?, ?)`).run(agentId, `check-${k}`, `check-${k}`, INTERVAL_MS);
        }
      }
    })();
    const insert = db.prepare(`INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, started_at, finished_at, received_at, interval_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const seqs = new Map<string, number>();
    let written = dayStart; // results exist up to here (exclusive)
    /** Writes every check's results in [written, to) and marks them as ingest does; returns how many. */
    const writeUntil = (to: number): number => {
      let n = 0;
      const byAgent = new Map<string, Array<{ checkId: string; startedAt: number; intervalMs: number }>>();
      db.transaction(() => {
        for (let at = Math.ceil(written / INTERVAL_MS) * INTERVAL_MS; at < to; at += INTERVAL_MS) {
          for (const agentId of agents) {
            for (let k = 0; k < CHECKS_PER_HOST; k++) {
              const seq = (seqs.get(agentId) ?? 0) + 1;
              seqs.set(agentId, seq);
              const crit = (seq * 2654435761) % 997 === 0; // ~0.1 % failures, spread over checks and hours
              const startedAt = at + k * 500; // the checks of a host start spread over its interval, as the agent's scheduler does
              insert.run(agentId, seq, `check-${k}`, crit ? 'CRIT' : 'OK', crit ? 'HTTP 503' : 'HTTP 200', `{"latency_ms":${20 + (seq % 50)}}`, startedAt, startedAt + 20, startedAt + 30, INTERVAL_MS);
              let list = byAgent.get(agentId);
              if (!list) byAgent.set(agentId, (list = []));
              list.push({ checkId: `check-${k}`, startedAt, intervalMs: INTERVAL_MS });
              n++;
            }
          }
        }
      })();
      for (const [agentId, results] of byAgent) markResults(store, agentId, results);
      written = to;
      return n;
    };
    const dirtySet = () => {
      const groups = new Map<string, { agentId: string; checkId: string; hours: number[] }>();
      for (const [agentId, checkId, hour] of db.prepare(`SELECT agent_id, check_id, hour_at FROM availability_dirty ORDER BY agent_id, check_id, hour_at`).raw().all() as Array<[string, string, number]>) {
        const key = `${agentId}\u0000${checkId}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { agentId, checkId, hours: [] }));
        g.hours.push(hour);
      }
      return [...groups.values()];
    };
    /** Per round: the real flush, the floor (dirty hours only) and the previous way (whole days), ms per result. */
    const measure = (label: string) => {
      const rounds: Array<{ flush: number; floor: number; wholeDay: number }> = [];
      for (let i = 0; i < ROUNDS; i++) {
        const added = writeUntil(written + FLUSH_EVERY_MS);
        const dirty = dirtySet();
        const [, floorMs] = cpuMs(() => {
          for (const { agentId, checkId, hours } of dirty) bucketsOf(store, agentId, checkId, hours.map((h): [number, number] => [h, h + HOUR_MS]));
        });
        // The previous way only in the first round: late in the day it takes ~25 s a round.
        const [, wholeDayMs] = i > 0 ? [null, NaN] : cpuMs(() => {
          for (const { agentId, checkId, hours } of dirty) {
            for (const [start, end] of localDaysTouching(hours[0]!, hours.at(-1)! + HOUR_MS, TZ)) {
              bucketsOf(store, agentId, checkId, [[start, end], ...hours.map((h): [number, number] => [h, h + HOUR_MS])]);
            }
          }
        });
        const [, flushMs] = cpuMs(() => flushRollups(store, { batchSize: FLUSH_SLICE })); // in the timer's slices
        rounds.push({ flush: flushMs / added, floor: floorMs / added, wholeDay: wholeDayMs / added });
        progress('rollup-flush', `${label}: ${added} new results, flush ${Math.round(flushMs)} ms CPU, floor ${Math.round(floorMs)} ms${i === 0 ? `, whole-day way ${Math.round(wholeDayMs)} ms` : ''}`);
      }
      return { flush: median(rounds.map((r) => r.flush))!, floor: median(rounds.map((r) => r.floor))!, wholeDay: rounds[0]!.wholeDay };
    };

    const [, firstHourMs] = cpuMs(() => (writeUntil(dayStart + HOUR_MS), flushRollups(store)));
    progress('rollup-flush', `first hour written and rolled up (${Math.round(firstHourMs)} ms CPU)`);
    const early = measure('after 1 h');
    const [, fillMs] = cpuMs(() => (writeUntil(dayStart + LATE_HOURS * HOUR_MS), flushRollups(store)));
    progress('rollup-flush', `day filled to ${LATE_HOURS} h and rolled up (${Math.round(fillMs)} ms CPU)`);
    const late = measure(`after ${LATE_HOURS} h`);

    const growth = late.flush / early.flush;
    return {
      scenario: 'rollup-flush', unit: `CPU ms per new result, flush after ${LATE_HOURS} h of the day`, better: 'lower',
      ours: round(late.flush, 4), ceiling: round(late.floor, 4), ratio: ratioOf(late.flush, late.floor),
      target: '≤ 0.05 ms per result (a quarter of the collector budget of 0.2 ms), ≤ 3 × the floor, late ≤ 1.5 × early',
      met: late.flush <= 0.05 && late.flush <= 3 * late.floor && growth <= 1.5,
      earlyMsPerResult: round(early.flush, 4), lateMsPerResult: round(late.flush, 4), lateOverEarly: round(growth, 2),
      wholeDayMsPerResultEarly: round(early.wholeDay, 4), wholeDayMsPerResultLate: round(late.wholeDay, 4),
      flushCpuMsPer30sLate: round(late.flush * HOSTS * CHECKS_PER_HOST * (FLUSH_EVERY_MS / INTERVAL_MS), 0),
      method: method({
        checks: HOSTS * CHECKS_PER_HOST, hosts: HOSTS, intervalMs: INTERVAL_MS, timeZone: TZ, rounds: ROUNDS, lateHours: LATE_HOURS,
        data: 'raw results written straight into SQLite (every check every 20 s, ~0.1 % CRIT), marked as ingest marks them; every check is critical, so each host series is rolled up too',
        ours: `the real flushRollups after each 30 s of new results, in the timer's slices of ${FLUSH_SLICE} dirty hours (median of the rounds)`,
        ceilingIs: 'the dirty hours recomputed from raw (bucketsOf per series, nothing written)',
        wholeDayIs: 'the same dirty set recomputed as before this change: each series\u2019 whole local day from raw plus its hours, nothing written',
      }),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('rollup-flush', run);
