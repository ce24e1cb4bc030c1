/**
 * Property: for random timelines — irregular results, agent silence, spool gaps, late replays in shuffled
 * batches, one-off and recurring maintenance (overlapping, created before and after the data), SLA roles,
 * DST weekends and month ends in four time zones — the figures of availabilityFor (rollups + raw edges)
 * equal a brute-force oracle to the millisecond.
 *
 * The oracle is written separately and deliberately simply: every event time is a multiple of one minute,
 * so the state is constant within each minute; it evaluates the state of every single minute from the
 * definition ("the last result at or before t, if t is within 2 × its interval of it"; gaps; maintenance whose
 * local start times it finds by trying every UTC offset) and counts minutes.
 *
 * NINES_PROPERTY_RUNS (default 1000) and NINES_PROPERTY_SEED reproduce a run.
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { availabilityFor, createMaintenance, setCheckSla, flushRollups, type Scope, type MaintenanceInput } from '../../src/availability/index.ts';
import { availabilityFixture, MIN, DAY } from './helpers.ts';

// 1,000 timelines take about a minute of CPU; on a busy shared runner give the file room.
t.setTimeout(600_000);

const RUNS = Number(process.env.NINES_PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.NINES_PROPERTY_SEED ?? Date.now() % 1_000_000);
const G = MIN; // the grain: every generated time is a multiple of it

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

// ─── The oracle ────────────────────────────────────────────────────────────────────────────────
const UNKNOWN = 0, UP = 1, DOWN = 2, MAINT = 3;
const stateOf: Record<Status, number> = { OK: UP, WARN: UP, CRIT: DOWN, UNKNOWN };

const localCache = new Map<string, string>();
const oracleFormats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD HH:MM" local, via a different Intl path than the code under test. */
function oracleLocal(u: number, tz: string): string {
  const key = `${tz}|${u}`;
  let s = localCache.get(key);
  if (s === undefined) {
    let f = oracleFormats.get(tz);
    if (!f) oracleFormats.set(tz, (f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
    s = f.format(u).slice(0, 16);
    localCache.set(key, s);
  }
  return s;
}

/** The earliest instant whose local time in tz reads y-m-d hh:mm: try every offset from −14 h to +14 h. */
function oracleFromLocal(y: number, m: number, d: number, hh: number, mm: number, tz: string): number | null {
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const want = new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
  let best: number | null = null;
  for (let off = -14 * 60; off <= 14 * 60; off += 15) {
    const u = wall - off * MIN;
    if (oracleLocal(u, tz) === want && (best === null || u < best)) best = u;
  }
  return best;
}

interface OWindow extends MaintenanceInput { tz: string }

function oracleOccurrences(w: OWindow, u0: number, u1: number): Array<[number, number]> {
  if (w.recurrence === 'once') return [[w.startsAt, w.endsAt!]];
  const out: Array<[number, number]> = [];
  const [hh, mm] = w.localTime!.split(':').map(Number) as [number, number];
  const first = new Date(u0 - 9 * DAY);
  for (let k = 0; ; k++) {
    const day = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + k));
    if (day.getTime() > u1 + DAY) break;
    const isoDay = (day.getUTCDay() + 6) % 7;
    if (w.recurrence === 'weekly' && !(w.weekdays! & (1 << isoDay))) continue;
    const start = oracleFromLocal(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hh, mm, w.tz);
    if (start === null || start < w.startsAt || (w.endsAt !== null && start >= w.endsAt)) continue;
    out.push([start, start + w.durationMs!]);
  }
  return out;
}

interface OCheck { agentId: string; checkId: string; intervalMs: number; kind: string; critical: boolean; weight: number; results: Result[] }

/** The state of every minute of [u0, u1) for one check. */
function oracleCells(c: OCheck, gaps: Array<[number, number]>, windows: OWindow[], u0: number, u1: number): Uint8Array {
  const n = (u1 - u0) / G;
  const cells = new Uint8Array(n);
  const sorted = [...c.results].sort((a, b) => a.startedAt - b.startedAt || a.seq - b.seq);
  let p = -1;
  for (let k = 0; k < n; k++) {
    const at = u0 + k * G;
    while (p + 1 < sorted.length && sorted[p + 1]!.startedAt <= at) p++;
    const r = sorted[p];
    cells[k] = r && at < r.startedAt + 2 * (r.intervalMs ?? c.intervalMs) ? stateOf[r.status] : UNKNOWN;
  }
  const paint = (from: number, to: number, state: number) => {
    for (let at = Math.max(from, u0); at < Math.min(to, u1); at += G) cells[(at - u0) / G] = state;
  };
  for (const [from, to] of gaps) paint(from, to, UNKNOWN);
  for (const w of windows) {
    if ((w.agentId !== null && w.agentId !== c.agentId) || (w.checkId !== null && w.checkId !== c.checkId)) continue;
    for (const [from, to] of oracleOccurrences(w, u0, u1)) paint(from, to, MAINT);
  }
  return cells;
}

const hostRank = [2, 1, 3, 0]; // UNKNOWN, UP, DOWN, MAINT → precedence (DOWN > UNKNOWN > UP > MAINT)
function hostCells(checks: Uint8Array[], n: number): Uint8Array {
  const cells = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (checks.length === 0) {
      cells[k] = UNKNOWN;
      continue;
    }
    let s = MAINT;
    for (const c of checks) if (hostRank[c[k]!]! > hostRank[s]!) s = c[k]!;
    cells[k] = s;
  }
  return cells;
}

function count(cells: Uint8Array, u0: number, from: number, to: number) {
  const totals = [0, 0, 0, 0];
  for (let at = from; at < to; at += G) totals[cells[(at - u0) / G]!]! += G;
  return { upMs: totals[UP]!, downMs: totals[DOWN]!, unknownMs: totals[UNKNOWN]!, maintenanceMs: totals[MAINT]! };
}

// ─── The generator ─────────────────────────────────────────────────────────────────────────────
const ZONES = [
  // [zone, interesting instants: DST switches and month ends]
  ['Europe/Berlin', [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2026, 2, 31, 22), Date.UTC(2026, 5, 30, 22)]],
  ['America/New_York', [Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 3, 1, 4)]],
  ['Asia/Kolkata', [Date.UTC(2026, 0, 31, 18, 30), Date.UTC(2026, 4, 10)]],
  ['UTC', [Date.UTC(2026, 1, 28), Date.UTC(2026, 6, 15)]],
] as const;

const floorG = (x: number) => Math.floor(x / G) * G;

t.test(`availability equals a brute-force oracle on ${RUNS} random timelines (seed ${SEED})`, async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const r = rng(SEED);
  let compared = 0;
  let mismatches = 0;
  const started = Date.now();

  for (let run = 0; run < RUNS && mismatches < 3; run++) {
    const [tz, anchors] = r.pick(ZONES);
    const t0 = floorG(r.pick(anchors) - r.int(0, 2 * DAY));
    const span = r.int(6 * 60, 2 * 24 * 60) * G;
    const clientId = await fx.client(`c${run}`, tz);
    const agentCount = r.int(1, 2);
    const checks: OCheck[] = [];
    for (let a = 0; a < agentCount; a++) {
      const agentId = await fx.agent(clientId, `host${a}`);
      for (let k = 0, n = r.int(1, 3); k < n; k++) {
        const kind = r.chance(0.15) ? 'backup' : 'http';
        const c: OCheck = { agentId, checkId: `chk${k}`, intervalMs: r.pick([1, 1, 2, 3, 5, 10]) * G, kind, critical: kind !== 'backup', weight: kind === 'backup' ? 0 : 1, results: [] };
        await fx.check(agentId, c.checkId, c.intervalMs, kind);
        checks.push(c);
      }
    }
    // results: mostly every interval, sometimes late, sometimes silent for hours, statuses in runs
    const statuses: Status[] = ['OK', 'OK', 'OK', 'WARN', 'CRIT', 'CRIT', 'UNKNOWN'];
    // Most checks' results carry the interval they ran at (current agents), and some change it part-way (a
    // longer interval's results must keep covering 2 × their own interval, and be found by windows starting
    // after them); the rest carry none (older agents): the check's interval then.
    for (const c of checks) {
      let at = t0 + r.int(0, 30) * G;
      let status: Status = 'OK';
      const sendsInterval = r.chance(0.7);
      let interval = c.intervalMs;
      while (at < t0 + span) {
        if (r.chance(0.12)) status = r.pick(statuses);
        if (sendsInterval && r.chance(0.01)) interval = r.pick([1, 2, 3, 5, 10, 30]) * G;
        const result: Result = { seq: 0, checkId: c.checkId, kind: c.kind, status, message: `${status} ${at}`, metrics: { latency_ms: r.int(1, 500) }, startedAt: at, finishedAt: at };
        if (sendsInterval) result.intervalMs = interval;
        c.results.push(result);
        const roll = r.next();
        at += roll < 0.03 ? r.int(2, 240) * G : roll < 0.08 ? 0 : roll < 0.2 ? interval + r.int(1, 3) * G : interval;
      }
    }
    // seqs per agent in time order (what an agent's spool assigns)
    const byAgent = new Map<string, Result[]>();
    for (const c of checks) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), ...c.results]);
    for (const list of byAgent.values()) list.sort((a, b) => a.startedAt - b.startedAt).forEach((x, i) => (x.seq = i + 1));

    // the oracle's range: the whole calendar months around the data (with a day of slack for any UTC offset)
    const lo = new Date(t0 - DAY);
    const hi = new Date(t0 + span + DAY);
    const u0 = Date.UTC(lo.getUTCFullYear(), lo.getUTCMonth(), 1) - DAY;
    const u1 = Date.UTC(hi.getUTCFullYear(), hi.getUTCMonth() + 1, 1) + DAY;
    const now = u1;
    const gaps = new Map<string, Array<[number, number]>>();
    const windows: OWindow[] = [];
    const newWindow = (): OWindow => {
      const c = r.pick(checks);
      const scope = r.pick(['client', 'host', 'check'] as const);
      const base = { clientId, agentId: scope === 'client' ? null : c.agentId, checkId: scope === 'check' ? c.checkId : null, title: 'w', tz };
      const kind = r.pick(['once', 'once', 'daily', 'weekly'] as const);
      if (kind === 'once') {
        const s = floorG(t0 + r.int(-6 * 60, span / G) * G);
        return { ...base, recurrence: 'once', startsAt: s, endsAt: s + r.int(1, 8 * 60) * G, localTime: null, durationMs: null, weekdays: null };
      }
      // local start hours 01:xx and 02:xx are left out: they do not exist or repeat on DST days (hand-tested elsewhere)
      const hh = r.pick([0, 3, 4, 5, 8, 12, 17, 22, 23]);
      return {
        ...base, recurrence: kind, startsAt: floorG(t0 - r.int(0, 3 * 24 * 60) * G), endsAt: r.chance(0.3) ? floorG(t0 + r.int(0, span / G) * G) : null,
        localTime: `${String(hh).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`, durationMs: r.int(1, 180) * G, weekdays: kind === 'weekly' ? r.int(1, 127) : null,
      };
    };
    const addWindow = async () => {
      const w = newWindow();
      windows.push(w);
      await createMaintenance(fx.store, w, now);
    };
    for (let k = r.int(0, 2); k > 0; k--) await addWindow(); // known before the data arrives

    // late replays: batches stored in shuffled order, rollups flushed at random moments in between
    for (const [agentId, list] of byAgent) {
      const batches: Result[][] = [];
      for (let i = 0; i < list.length; ) {
        const size = r.int(1, 400);
        batches.push(list.slice(i, i + size));
        i += size;
      }
      for (let i = batches.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [batches[i], batches[j]] = [batches[j]!, batches[i]!];
      }
      for (const b of batches) {
        await fx.ingest(agentId, b);
        // sometimes in small batches or only partly: day rows summed while some of their hours are still dirty
        if (r.chance(0.15)) await flushRollups(fx.store, r.chance(0.5) ? { batchSize: r.int(1, 5), maxBatches: r.chance(0.5) ? r.int(1, 3) : Infinity } : {});
      }
      if (r.chance(0.4)) {
        const from = floorG(t0 + r.int(0, span / G) * G);
        const gap: [number, number] = [from, from + r.int(1, 120) * G];
        gaps.set(agentId, [...(gaps.get(agentId) ?? []), gap]);
        await fx.gap(agentId, { fromSeq: 100_000 + run, toSeq: 100_000 + run, from: gap[0], to: gap[1], reason: 'spool full' });
      }
    }
    if (r.chance(0.3)) await flushRollups(fx.store);
    for (let k = r.int(0, 2); k > 0; k--) await addWindow(); // announced after the fact: rollups must follow
    for (const c of checks) {
      if (r.chance(0.15)) {
        c.critical = r.chance(0.5);
        c.weight = r.int(0, 3);
        await setCheckSla(fx.store, c, { critical: c.critical, weight: c.weight }, now);
      }
    }
    if (r.chance(0.7)) await flushRollups(fx.store, r.chance(0.3) ? { batchSize: r.int(1, 5) } : {});

    // the oracle's minutes
    const cells = new Map<OCheck, Uint8Array>();
    for (const c of checks) cells.set(c, oracleCells(c, gaps.get(c.agentId) ?? [], windows, u0, u1));
    const n = (u1 - u0) / G;
    const agentIds = [...byAgent.keys()];
    const hosts = new Map(agentIds.map((id) => [id, hostCells(checks.filter((c) => c.agentId === id && c.critical).map((c) => cells.get(c)!), n)]));

    const expected = (scope: Scope, id: string, from: number, to: number) => {
      if (scope === 'host') return count(hosts.get(id)!, u0, from, to);
      if (scope === 'check') return count(cells.get(checks.find((c) => `${c.agentId}/${c.checkId}` === id)!)!, u0, from, to);
      const sum = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 };
      for (const c of checks) {
        if (c.weight === 0) continue;
        const x = count(cells.get(c)!, u0, from, to);
        sum.upMs += c.weight * x.upMs; sum.downMs += c.weight * x.downMs; sum.unknownMs += c.weight * x.unknownMs; sum.maintenanceMs += c.weight * x.maintenanceMs;
      }
      return sum;
    };

    const queries: Array<[Scope, string, string | { from: number; to: number }, number]> = [];
    const subjects: Array<[Scope, string]> = [
      ['client', String(clientId)], ...agentIds.map((id) => ['host', id] as [Scope, string]), ...checks.map((c) => ['check', `${c.agentId}/${c.checkId}`] as [Scope, string]),
    ];
    for (const [scope, id] of subjects) {
      const [lo, hi] = r.chance(0.75) ? [t0 - DAY, t0 + span + DAY] : [u0, u1];
      const a = floorG(lo + r.int(0, (hi - lo) / G - 1) * G);
      const b = floorG(a + r.int(1, (hi - a) / G) * G);
      queries.push([scope, id, { from: a, to: b }, r.chance(0.8) ? now : floorG(a + r.int(0, (b - a) / G) * G)]);
      const month = new Date(t0 + span / 2).toLocaleString('sv-SE', { timeZone: tz }).slice(0, 7);
      if (r.chance(0.5)) queries.push([scope, id, month, now]);
    }
    for (const [scope, id, window, at] of queries) {
      const got = await availabilityFor(fx.store, scope, id, window, at);
      const until = got.window.until;
      const want = expected(scope, id, got.window.from, until);
      compared++;
      const same = got.upMs === want.upMs && got.downMs === want.downMs && got.unknownMs === want.unknownMs && got.maintenanceMs === want.maintenanceMs;
      // A finished window's totals add up to weight × its length, so its pro-rata budget is the whole window's.
      const budgetWhole = got.running || got.budget.elapsedBudgetMs === got.budget.windowBudgetMs;
      if (!budgetWhole) {
        mismatches++;
        t.fail(`run ${run} (seed ${SEED}) ${scope} ${id}: finished window, elapsed budget ${got.budget.elapsedBudgetMs} ≠ window budget ${got.budget.windowBudgetMs}`);
      }
      if (!same) {
        mismatches++;
        t.fail(`run ${run} (seed ${SEED}) ${scope} ${id} ${JSON.stringify(window)} now ${at} tz ${tz}`, {
          got: { upMs: got.upMs, downMs: got.downMs, unknownMs: got.unknownMs, maintenanceMs: got.maintenanceMs }, want, windows, gaps: [...gaps],
        });
      }
    }
    if (run % 50 === 49) localCache.clear();
  }
  t.equal(mismatches, 0, `${compared} figures compared over ${RUNS} timelines in ${Math.round((Date.now() - started) / 1000)} s`);
  t.ok(compared >= RUNS, 'at least one figure per timeline');
});
