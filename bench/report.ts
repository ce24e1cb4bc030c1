/**
 * Scenario "report": availability of 1,000 checks over a year of 1-minute results, read the way the
 * collector reads it (rollup rows for whole days and hours, raw results only for ragged edges).
 *
 * What is generated (one transaction each, to stay within the 60 s budget): for 10 clients × 10 hosts ×
 * 10 checks, 1-minute raw results for the last 6 hours (360 k rows) rolled up by the real flush, plus the
 * rollup rows the rest of the year leaves behind — a day row per check and local day, hour rows for the last
 * 31 days. A year of raw rows (525 M) is not generated: retention keeps 90 days raw, and queries for a
 * year never read raw rows except at the edges.
 *
 * ours: ms to compute 365-day availability for all 1,000 checks (availabilityFor, check scope).
 * ceiling: ms for the bare SQL aggregate over the same day rows (GROUP BY check) — the floor of what
 * SQLite can do for that question, without edges, dirty-span checks or budgets. ratio = ours / ceiling.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../collector/src/store/sqlite/sqlite-store.ts';
import { availabilityFor, flushRollups, markResults } from '../collector/src/availability/index.ts';
import { localDaysWithin } from '../collector/src/availability/zoned-time.ts';
import { isMain, progress, ratioOf, round, runAsMain, type ScenarioResult } from './lib/scenario.ts';
import { method } from './lib/method.ts';

const CLIENTS = 10;
const HOSTS_PER_CLIENT = 10;
const CHECKS_PER_HOST = 10;
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TZ = 'Europe/Berlin';
const RAW_HOURS = 6; // raw 1-minute results generated for the newest hours; older time is represented by its rollup rows

async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

export default async function run(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-bench-report-'));
  const store = new SqliteStore(join(dir, 'nines.db'));
  const db = store.db;
  try {
    const now = Math.floor(Date.now() / MIN) * MIN;
    const rawFrom = now - RAW_HOURS * HOUR;
    const checks: Array<{ agentId: string; checkId: string }> = [];
    db.transaction(() => {
      for (let c = 0; c < CLIENTS; c++) {
        const clientId = Number(db.prepare(`INSERT INTO clients (name, timezone, created_at) VALUES (?, ?, 0)`).run(`client-${c}`, TZ).lastInsertRowid);
        for (let h = 0; h < HOSTS_PER_CLIENT; h++) {
          const agentId = `agent-${c}-${h}`;
          db.prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at) VALUES (?, ?, ?, 'x', 0)`).run(agentId, clientId, `host-${c}-${h}`);
          for (let k = 0; k < CHECKS_PER_HOST; k++) {
            db.prepare(`INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, ?, 'http', ?, ?)`).run(agentId, `check-${k}`, `check-${k}`, MIN);
            checks.push({ agentId, checkId: `check-${k}` });
          }
        }
      }
    })();

    // the last day: real 1-minute results, ~0.1 % of them CRIT, rolled up by the real flush
    const [, insertMs] = await timed(() => {
      const insert = db.prepare(`INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, started_at, finished_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      db.transaction(() => {
        const seqs = new Map<string, number>();
        for (let at = rawFrom; at < now; at += MIN) {
          for (const c of checks) {
            const seq = (seqs.get(c.agentId) ?? 0) + 1;
            seqs.set(c.agentId, seq);
            const crit = (seq * 2654435761) % 1000 === 0;
            insert.run(c.agentId, seq, c.checkId, crit ? 'CRIT' : 'OK', crit ? 'HTTP 503' : 'HTTP 200', `{"latency_ms":${20 + (seq % 50)}}`, at, at + 20, at + 30);
          }
        }
      })();
    });
    progress('report', `inserted ${checks.length * RAW_HOURS * 60} raw results in ${Math.round(insertMs)} ms`);
    const [, markMs] = await timed(async () => {
      for (let h = 0; h < CLIENTS * HOSTS_PER_CLIENT; h++) {
        const agentId = checks[h * CHECKS_PER_HOST]!.agentId;
        await markResults(store, agentId, db.prepare(`SELECT check_id AS checkId, started_at AS startedAt FROM results WHERE agent_id = ?`).all(agentId) as never);
      }
    });
    const [flushedHours, flushMs] = await timed(() => flushRollups(store));
    progress('report', `rolled up ${flushedHours} dirty check-hours in ${Math.round(flushMs)} ms (marking ${Math.round(markMs)} ms)`);

    // the rest of the year: the rows the rollups leave behind (5 min of downtime on every 50th check-day)
    const [synthRows] = await timed(() => {
      const days = localDaysWithin(now - 366 * DAY, rawFrom, TZ);
      const hourFrom = Math.ceil((now - 31 * DAY) / HOUR) * HOUR;
      const dayRow = db.prepare(`INSERT OR IGNORE INTO availability_days (agent_id, check_id, start_at, end_at, up_ms, down_ms, unknown_ms, maintenance_ms, results, failures, latency_p50, latency_p95, latency_p99)
        VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 40, 60, 68)`);
      const hourRow = db.prepare(`INSERT OR IGNORE INTO availability_hours (agent_id, check_id, start_at, up_ms, down_ms, unknown_ms, maintenance_ms, results, failures, latency_p50, latency_p95, latency_p99)
        VALUES (?, ?, ?, ?, ?, 0, 0, 60, ?, 40, 60, 68)`);
      let rows = 0;
      db.transaction(() => {
        checks.forEach((c, i) => {
          for (const [start, end] of days) {
            const down = (start / DAY + i) % 50 === 0 ? 5 * MIN : 0;
            dayRow.run(c.agentId, c.checkId, start, end, end - start - down, down, (end - start) / MIN, down / MIN);
            rows++;
          }
          for (let h = hourFrom; h + HOUR <= rawFrom; h += HOUR) {
            hourRow.run(c.agentId, c.checkId, h, HOUR, 0, 0);
            rows++;
          }
        });
      })();
      return rows;
    });
    progress('report', `wrote ${synthRows} rollup rows for the older days`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = statSync(join(dir, 'nines.db')).size;

    const [year, oursMs] = await timed(async () => {
      const figures = [];
      for (const c of checks) figures.push(await availabilityFor(store, 'check', `${c.agentId}/${c.checkId}`, { from: now - 365 * DAY, to: now }, now));
      return figures;
    });
    const [, month30Ms] = await timed(async () => {
      for (const c of checks) await availabilityFor(store, 'check', `${c.agentId}/${c.checkId}`, '30d', now);
    });
    const [, clientsYearMs] = await timed(async () => {
      for (let c = 1; c <= CLIENTS; c++) await availabilityFor(store, 'client', String(c), { from: now - 365 * DAY, to: now }, now);
    });
    const [, ceilingMs] = await timed(() =>
      db.prepare(`SELECT agent_id, check_id, sum(up_ms), sum(down_ms), sum(unknown_ms) FROM availability_days WHERE start_at >= ? AND end_at <= ? GROUP BY agent_id, check_id`).all(now - 365 * DAY, now),
    );
    const measured = year.filter((f) => f.availability !== null).length;
    if (measured !== checks.length) throw new Error(`only ${measured} of ${checks.length} checks have a 365-day figure`);

    return {
      scenario: 'report', unit: 'ms for 365-day availability of 1,000 checks', better: 'lower',
      ours: round(oursMs, 1), ceiling: round(ceilingMs, 1), ratio: ratioOf(oursMs, ceilingMs),
      // Issue #12's target: 30-day and 365-day availability of all 1,000 checks each under 100 ms, DB under 2 GB.
      target: '30 d and 365 d each < 100 ms, DB < 2 GB', met: oursMs < 100 && month30Ms < 100 && dbBytes < 2 * 2 ** 30,
      ms30dAllChecks: round(month30Ms, 1), ms365dAllClients: round(clientsYearMs, 1),
      dbMiB: round(dbBytes / 2 ** 20, 1), rawResults: checks.length * RAW_HOURS * 60, rollupRowsSynthesized: synthRows,
      flushMsFor6hOf1000Checks: round(flushMs, 0), sampleAvailability: (await year[0]!).availabilityPercent,
      method: method({
        checks: checks.length, clients: CLIENTS, timeZone: TZ,
        data: '1-minute raw results for the last 6 h (rolled up by the real flush); day rows for the older local days of the year and hour rows for the last 31 days written directly',
        ceilingIs: 'bare SQL sum over the same day rows, GROUP BY check',
      }),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runAsMain('report', run);
