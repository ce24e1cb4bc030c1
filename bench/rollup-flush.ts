/**
 * Scenario "rollup-flush": what the collector's rollup flush costs per result, early and late in a local day, at
 * the steady operating point (1,000 checks at 20 s: 50 hosts × 20 checks, Europe/Berlin, a fixed summer day).
 *
 * Raw results are written straight into SQLite, 30 s at a time, and marked as ingest marks them; after each 30 s
 * the real `flushRollups` runs as the collector's timer runs it (only hours that have ended, in slices of 200
 * dirty hours). Measured over a whole hour of passes (the 2nd hour of the day, and again after LATE_HOURS):
 * ours = the flush's CPU in that hour / the results of the hour.
 *
 * ceiling: each series' hour computed once from raw (bucketsOf per check and host, nothing written) per result:
 * the floor of exact hour rows. Beside it, measured on the dirty set of one pass in the same run, nothing
 * written, per result of that pass: the two earlier ways — every pass recomputing the dirty hours
 * (hoursEachPass…), and every pass recomputing each dirty series' whole local day (wholeDayEachPass…: ~8–12 ms
 * per result late in the day, more CPU than a 30 s flush interval allows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { bucketsOf, flushRollups, HOST, HOUR_MS, markResults } from '../collector/src/availability/rollups.ts';
import { fromLocal, localDaysTouching } from '../collector/src/availability/zoned-time.ts';
import { FLUSH_SLICE } from '../collector/src/availability/service.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';
import { method } from './lib/method.ts';

const HOSTS = 50;
const CHECKS_PER_HOST = 20;
const INTERVAL_MS = 20_000;
const FLUSH_EVERY_MS = 30_000; // the collector's flush timer (availability/service.ts)
const LATE_HOURS = Number(process.env.NINES_BENCH_ROLLUP_LATE_HOURS ?? 12);
const TZ = 'Europe/Berlin';

async function cpuMs<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage();
  const value = await fn();
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
    const writeUntil = async (to: number): Promise<number> => {
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
      for (const [agentId, results] of byAgent) await markResults(store, agentId, results);
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
    /**
     * One hour of the timer's 30 s passes (the real flush, `endedBy` = now, in the timer's slices), ending with the
     * first pass after the hour is over: its CPU per result written in that hour. Beside it, on the first pass's
     * dirty set and without writing: the two previous ways (each pass recomputing the dirty hours; each pass
     * recomputing their whole local days), per result of that pass; and the floor: each series' hour computed
     * once from raw, per result of the hour.
     */
    const measureHour = async (label: string) => {
      const hourStart = Math.ceil(written / HOUR_MS) * HOUR_MS;
      await writeUntil(hourStart);
      await flushRollups(store); // start the hour with nothing dirty
      let added = 0;
      let flushMs = 0;
      let passes = 0;
      let previous = { hoursEachPass: NaN, wholeDayEachPass: NaN };
      while (written < hourStart + HOUR_MS + FLUSH_EVERY_MS) {
        const pass = await writeUntil(written + FLUSH_EVERY_MS);
        if (written <= hourStart + HOUR_MS) added += pass; // the last pass's results belong to the next hour
        if (passes === 2) {
          const dirty = dirtySet();
          const [, hoursMs] = await cpuMs(async () => {
            for (const { agentId, checkId, hours } of dirty) await bucketsOf(store, agentId, checkId, hours.map((h): [number, number] => [h, h + HOUR_MS]));
          });
          const [, wholeDayMs] = await cpuMs(async () => {
            for (const { agentId, checkId, hours } of dirty) {
              for (const [start, end] of localDaysTouching(hours[0]!, hours.at(-1)! + HOUR_MS, TZ)) {
                await bucketsOf(store, agentId, checkId, [[start, end], ...hours.map((h): [number, number] => [h, h + HOUR_MS])]);
              }
            }
          });
          previous = { hoursEachPass: hoursMs / pass, wholeDayEachPass: wholeDayMs / pass };
        }
        flushMs += (await cpuMs(() => flushRollups(store, { batchSize: FLUSH_SLICE, endedBy: written })))[1];
        passes++;
      }
      const series = agents.flatMap((agentId) => [HOST, ...Array.from({ length: CHECKS_PER_HOST }, (_, k) => `check-${k}`)].map((checkId) => ({ agentId, checkId })));
      const [, floorMs] = await cpuMs(async () => {
        for (const { agentId, checkId } of series) await bucketsOf(store, agentId, checkId, [[hourStart, hourStart + HOUR_MS]]);
      });
      progress('rollup-flush', `${label}: ${passes} passes, ${added} results in the hour, flush ${Math.round(flushMs)} ms CPU in all, floor ${Math.round(floorMs)} ms`);
      return { flush: flushMs / added, floor: floorMs / added, ...previous, passes, flushMsPerHour: flushMs };
    };

    const early = await measureHour('the 2nd hour of the day');
    const [, fillMs] = await cpuMs(async () => (await writeUntil(dayStart + LATE_HOURS * HOUR_MS), await flushRollups(store)));
    progress('rollup-flush', `day filled to ${LATE_HOURS} h and rolled up (${Math.round(fillMs)} ms CPU)`);
    const late = await measureHour(`hour ${LATE_HOURS + 1} of the day`);

    const growth = late.flush / early.flush;
    return {
      scenario: 'rollup-flush', unit: `CPU ms per result, the timer's flush over hour ${LATE_HOURS + 1} of the day`, better: 'lower',
      ours: round(late.flush, 4), ceiling: round(late.floor, 4), ratio: ratioOf(late.flush, late.floor),
      target: '≤ 0.05 ms per result (a quarter of the collector budget of 0.2 ms), ≤ 3 × the floor, late ≤ 1.5 × early',
      met: late.flush <= 0.05 && late.flush <= 3 * late.floor && growth <= 1.5,
      earlyMsPerResult: round(early.flush, 4), lateMsPerResult: round(late.flush, 4), lateOverEarly: round(growth, 2),
      flushCpuMsPerHourLate: round(late.flushMsPerHour, 0), passesPerHour: late.passes,
      hoursEachPassMsPerResultEarly: round(early.hoursEachPass, 4), hoursEachPassMsPerResultLate: round(late.hoursEachPass, 4),
      wholeDayEachPassMsPerResultEarly: round(early.wholeDayEachPass, 4), wholeDayEachPassMsPerResultLate: round(late.wholeDayEachPass, 4),
      method: method({
        checks: HOSTS * CHECKS_PER_HOST, hosts: HOSTS, intervalMs: INTERVAL_MS, timeZone: TZ, lateHours: LATE_HOURS,
        data: 'raw results written straight into SQLite (every check every 20 s, ~0.1 % CRIT), marked as ingest marks them; every check is critical, so each host series is rolled up too',
        ours: `the real flushRollups after each 30 s of new results over one hour, as the timer runs it (endedBy = now, slices of ${FLUSH_SLICE}), / the hour's results`,
        ceilingIs: 'each check and host hour computed once from raw (bucketsOf, nothing written) / the hour\u2019s results',
        earlierWays: 'on one pass\u2019s dirty set, nothing written, / that pass\u2019s results: every pass recomputing the dirty hours; every pass recomputing each dirty series\u2019 whole local day',
      }),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('rollup-flush', run);
