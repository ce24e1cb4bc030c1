import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusResponse } from '@nines/shared';
import { scene, backfill } from './processes.ts';
import { until } from './helpers.ts';

/*
 * Fault tests with real processes on loopback: `nines-collector serve` and `nines-agent run` as children,
 * kill -9 where a crash is meant. Waits poll the database or the spool with deadlines; nothing sleeps blind.
 */

// Real process starts (tsx) dominate: ~45 s alone on 2 cores, more beside other test files.
t.setTimeout(300_000);

const run = promisify(execFile);
const COLLECTOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');
const HOUR = 3_600_000;

interface SeqStats {
  n: number;
  lo: number | null;
  hi: number | null;
}
const SEQ_STATS = 'SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM results WHERE agent_id = ?';

t.test('kill -9 the collector in the middle of a stream, restart it: every seq stored exactly once', async (t) => {
  const s = await scene(t);
  const spool = s.spool();
  const total = backfill(spool, { from: Date.now() - 2 * HOUR, to: Date.now(), everyMs: 3_000, checks: 6 });
  spool.close();
  t.ok(total > 12_000, `${total} results waiting in the agent's spool`);

  let collector = await s.startCollector();
  s.startAgent();
  await until('the stream has started', async () => (await s.query<SeqStats>(SEQ_STATS, s.agentId)).n >= 1_000, 60_000);
  await s.kill(collector);
  const atCrash = await s.query<SeqStats>(SEQ_STATS, s.agentId);
  t.ok(atCrash.n < total, `killed mid-stream: ${atCrash.n} of ${total} stored`);
  t.equal(atCrash.n, atCrash.hi, 'what was committed before the crash is a gap-free prefix');

  collector = await s.startCollector();
  const restartedAt = Date.now();
  await until('full replay after the restart', async () => {
    const now = await s.query<SeqStats>(SEQ_STATS, s.agentId);
    return now.hi !== null && now.hi >= total && now.n === now.hi;
  }, 90_000);
  // One statement: the agent keeps sending live results, so two reads could see different moments.
  const after = await s.query<SeqStats & { last_seq: number }>(
    `SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi, (SELECT last_seq FROM agents WHERE id = ?) AS last_seq FROM results WHERE agent_id = ?`, s.agentId, s.agentId);
  t.equal(after.lo, 1);
  t.equal(after.n, after.hi, `seqs 1…${after.hi} each stored once (primary key (agent, seq); count = max)`);
  t.comment(`replayed ${total - atCrash.n} results in ${Date.now() - restartedAt} ms after the restart (incl. agent backoff)`);
  t.equal(after.last_seq, after.hi, 'the agent row names the last stored seq');
});

t.test('collector down for an hour: the agent keeps checking, then replays everything; no hole, no duplicate', async (t) => {
  const s = await scene(t, { checks: 6 });
  // The hour the collector was away, as the agent's spool holds it: 6 checks every 10 s (the minimum interval).
  const spool = s.spool();
  const offlineFrom = Date.now() - HOUR;
  const spooled = backfill(spool, { from: offlineFrom, to: Date.now(), everyMs: 10_000, checks: 6 });
  spool.close();

  const agentStartedAt = Date.now();
  const agent = s.startAgent(); // the collector is still down
  let firstLiveAt = 0;
  await until('the agent checks and spools while the collector is away', () => {
    const view = s.spool();
    if (!firstLiveAt && view.lastSeq > spooled) firstLiveAt = Date.now();
    const grown = view.lastSeq >= spooled + 6;
    view.close();
    return grown;
  }, 30_000);
  t.pass('spool grew beyond the backfilled hour with live results');
  // The seam between the backfilled hour and the live checks is the agent's own start-up (process start,
  // then each check's first run at a random offset within its interval): not a delivery matter.
  const seamAllowance = 2 * 10_000 + (firstLiveAt - agentStartedAt) + 10_000;

  const upAt = Date.now();
  await s.startCollector();
  await until('replay complete', async () => {
    const stats = await s.query<SeqStats>(SEQ_STATS, s.agentId);
    return stats.hi !== null && stats.hi >= spooled + 6 && stats.n === stats.hi;
  }, 60_000);
  t.comment(`replayed ${spooled}+ results in ${Date.now() - upAt} ms from collector start (incl. agent reconnect backoff)`);
  await s.kill(agent);

  const dupes = await s.query<{ n: number }>(
    'SELECT count(*) AS n FROM (SELECT check_id, started_at FROM results WHERE agent_id = ? GROUP BY check_id, started_at HAVING count(*) > 1) AS twice', s.agentId,
  );
  t.equal(dupes.n, 0, 'no result twice');
  for (let c = 1; c <= 6; c++) {
    const steps = await s.query<{ gap: number; seam: number; first: number }>(
      `SELECT max(CASE WHEN started_at < ? OR prev > ? THEN started_at - prev END) AS gap,
              max(CASE WHEN started_at >= ? AND prev <= ? THEN started_at - prev END) AS seam, min(started_at) AS first FROM (
         SELECT started_at, lag(started_at) OVER (ORDER BY started_at) AS prev FROM results WHERE agent_id = ? AND check_id = ?) AS steps`,
      agentStartedAt, agentStartedAt, agentStartedAt, agentStartedAt, s.agentId, `port-${c}`,
    );
    t.ok(steps.first < offlineFrom + 10_000, `port-${c}: the timeline starts when the collector went away`);
    t.ok(steps.gap <= 2 * 10_000, `port-${c}: no hole (widest step ${steps.gap} ms ≤ 2 × interval)`);
    t.ok(steps.seam <= seamAllowance, `port-${c}: backfill → live seam ${steps.seam} ms (agent start-up ≤ ${seamAllowance} ms)`);
  }
});

t.test('agent killed with results unacknowledged: nothing lost after its restart', async (t) => {
  const s = await scene(t, { checks: 8 });
  const first = s.startAgent(); // collector down: nothing can be acknowledged
  let spooled = 0;
  await until('a few live results spooled', () => {
    const view = s.spool();
    spooled = view.lastSeq;
    view.close();
    return spooled >= 3;
  }, 30_000);
  await s.kill(first);
  const view = s.spool();
  const killedWith = view.lastSeq;
  t.equal(view.ackedUpTo, 0, `${killedWith} results unacknowledged at the kill`);
  view.close();

  await s.startCollector();
  s.startAgent();
  await until('all delivered', async () => {
    const stats = await s.query<SeqStats>(SEQ_STATS, s.agentId);
    return stats.hi !== null && stats.hi >= killedWith && stats.n === stats.hi;
  }, 30_000);
  const stats = await s.query<SeqStats>(SEQ_STATS, s.agentId);
  t.equal(stats.lo, 1);
  t.ok(stats.n >= killedWith, `all ${killedWith} results from before the kill are stored (now ${stats.n})`);
});

t.test('spool cap reached while the collector is away: a gap is recorded and accounted for, never shown UP', async (t) => {
  const s = await scene(t);
  const maxMb = 0.05;
  const spool = s.spool({ maxBytes: Math.round(maxMb * 1024 * 1024) });
  const spooled = backfill(spool, { from: Date.now() - HOUR, to: Date.now(), everyMs: 10_000, checks: 6 });
  const gaps = spool.pendingGaps.length;
  spool.close();
  t.ok(gaps > 0, `the cap dropped the oldest results into ${gaps} gaps`);

  await s.startCollector();
  s.startAgent(['--spool-max-mb', String(maxMb)]);
  await until('delivered: every seq stored or in a stored gap', async () => {
    const stored = await s.query<SeqStats>(SEQ_STATS, s.agentId);
    const lost = (await s.query<{ n: number }>('SELECT CAST(coalesce(sum(to_seq - from_seq + 1), 0) AS BIGINT) AS n FROM gaps WHERE agent_id = ?', s.agentId)).n;
    const last = (await s.query<{ last_seq: number }>('SELECT last_seq FROM agents WHERE id = ?', s.agentId)).last_seq;
    return last >= spooled && stored.n + lost === last;
  }, 60_000);
  const { stdout } = await run(process.execPath, [COLLECTOR_BIN, 'status', '--json', ...s.storeArgs], { env: { ...process.env, NINES_LOG_LEVEL: 'silent' } });
  const agent = (JSON.parse(stdout) as StatusResponse).agents[0]!;
  t.ok(agent.lostResults! > 0, `status --json reports ${agent.lostResults} lost results`);
  t.equal(agent.lastSeq, agent.storedResults + agent.lostResults!, 'lastSeq = stored + lost: nothing unaccounted for');
  const firstGap = await s.query<{ from_at: number; to_at: number; reason: string }>('SELECT from_at, to_at, reason FROM gaps WHERE agent_id = ? ORDER BY from_seq LIMIT 1', s.agentId);
  t.match(firstGap.reason, /over its cap of 52429 bytes/);
  const insideGap = await s.query<{ n: number }>('SELECT count(*) AS n FROM results WHERE agent_id = ? AND started_at > ? AND started_at < ?', s.agentId, firstGap.from_at, firstGap.to_at);
  t.equal(insideGap.n, 0, 'the gap span has no results: the availability timeline paints it UNKNOWN');
});
