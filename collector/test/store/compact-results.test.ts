import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { evaluateHttp } from '../../../agent/src/checks/http.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { contentHash } from '../../src/store/sqlite/content-hash.ts';
import { hashSecret } from '../../src/auth/secrets.ts';

const AGENT = '9f1c2d3e-4b5a-6789-abcd-ef0123456789';
const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

async function storeWithAgent(t: Test): Promise<SqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-compact-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteStore(join(dir, 'nines.db'));
  t.teardown(() => store.close());
  const client = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('token'), client.id, 0, Date.now() + 60_000);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  return store;
}

/** Numbers in [0, 1) from a fixed seed: every run stores the same results. */
function sequence(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** What the real http check makes of an answer (agent/src/checks/http.ts), as the agent sends it. */
function httpResult(seq: number, check: number, startedAt: number, statusCode: number, latency: number): Result {
  const url = new URL(`https://site-${check}.example.com/health`);
  const outcome = evaluateHttp(
    { kind: 'http', id: `web-${check}`, url: url.href, latencyWarn: '1s' } as never,
    { statusCode, latency, url, redirects: 0, cert: undefined, text: 'ok' } as never,
    startedAt,
  );
  return { seq, checkId: `web-${check}`, kind: 'http', name: url.host, startedAt, finishedAt: startedAt + latency, intervalMs: MINUTE, ...outcome, metrics: outcome.metrics ?? {} };
}

t.test('a stored http result costs at most 100 bytes of database file (50 checks at 60 s, issue 18)', async (t) => {
  const store = await storeWithAgent(t);
  const random = sequence(42);
  const CHECKS = 50;
  const ROUNDS = 200;
  let seq = 0;
  // Latencies 20 … 420 ms, mostly low as a site's are, and a 503 now and then.
  const round = (n: number) =>
    Array.from({ length: CHECKS }, (_, c) => {
      const startedAt = T0 + n * MINUTE + c * 1_100 + Math.floor(random() * 50);
      return httpResult(++seq, c, startedAt, random() < 0.01 ? 503 : 200, Math.round(20 + random() * random() * 400));
    });
  const bytes = () => {
    const pages = (store.db.pragma('page_count', { simple: true }) as number) - (store.db.pragma('freelist_count', { simple: true }) as number);
    return pages * (store.db.pragma('page_size', { simple: true }) as number);
  };
  // The first round adds the checks' own rows: not a result's cost.
  await store.insertResults(AGENT, round(0), T0);
  const before = bytes();
  for (let n = 1; n <= ROUNDS; n++) {
    const results = round(n);
    // Ten at a time, as an agent sends what finished since its last frame.
    for (let i = 0; i < CHECKS; i += 10) await store.insertResults(AGENT, results.slice(i, i + 10), results[i + 9]!.finishedAt + 40);
  }
  const perResult = (bytes() - before) / (ROUNDS * CHECKS);
  t.ok(perResult <= 100, `${perResult.toFixed(1)} bytes per stored result`);
  t.equal(await store.countResults(AGENT), (ROUNDS + 1) * CHECKS);
});

t.test('results that say the same share one content; retention deletes the contents no row says any more', async (t) => {
  const store = await storeWithAgent(t);
  const contents = () => store.db.prepare(`SELECT count(*) FROM result_contents`).pluck().get() as number;
  // Hour 1: latencies 20 and 21 ms only; hour 2: 30 ms only, and one 20 ms like hour 1's.
  const early = Array.from({ length: 40 }, (_, i) => httpResult(i + 1, i % 4, T0 + i * MINUTE, 200, 20 + (i % 2)));
  const late = Array.from({ length: 20 }, (_, i) => httpResult(41 + i, i % 4, T0 + 60 * MINUTE + i * MINUTE, 200, i === 0 ? 20 : 30));
  await store.insertResults(AGENT, early, T0 + 60 * MINUTE);
  t.equal(contents(), 2, '40 rows, two contents');
  await store.insertResults(AGENT, late, T0 + 90 * MINUTE);
  t.equal(contents(), 3, 'a content already stored is reused by a later batch');

  const deleted = await store.availability.deleteExpired({ rawBefore: T0 + 60 * MINUTE, hourlyBefore: null });
  t.equal(deleted.results, 40);
  t.equal(contents(), 2, "21 ms went with hour 1's rows; 20 ms stays, a row of hour 2 says it");
  const kept = [0, 1, 2, 3].flatMap((c) => late.filter((r) => r.checkId === `web-${c}`));
  const read = (await Promise.all([0, 1, 2, 3].map((c) => store.resultsBetween(AGENT, `web-${c}`, 0, T0 + 86_400_000)))).flat();
  t.strictSame(read, kept, 'every row left reads back whole');

  // A content retention deleted is added again when a result says it again.
  await store.insertResults(AGENT, [httpResult(61, 0, T0 + 100 * MINUTE, 200, 21)], T0 + 101 * MINUTE);
  t.equal(contents(), 3);
  t.equal((await store.resultsBetween(AGENT, 'web-0', T0 + 100 * MINUTE, T0 + 101 * MINUTE))[0]?.message, 'HTTP 200 in 21 ms');
});

t.test('a row written into the results view by hand (tools, benches) reads back as the ingest would have stored it', async (t) => {
  const store = await storeWithAgent(t);
  const OTHER = '1e2d3c4b-5a69-4788-9abc-def012345678';
  const results = Array.from({ length: 12 }, (_, i) => httpResult(i + 1, i % 3, T0 + i * MINUTE, i % 5 === 0 ? 503 : 200, 20 + (i % 4)));
  results[2]!.details = { note: 'details too' } as never;
  delete results[3]!.intervalMs;
  const receivedAt = T0 + 20 * MINUTE;
  await store.insertResults(AGENT, results, receivedAt);
  const byHand = store.db.prepare(
    `INSERT OR IGNORE INTO results (agent_id, seq, check_id, status, message, metrics_json, details_json, started_at, finished_at, received_at, interval_ms, code, params_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of [...results, results[0]!]) {
    byHand.run(OTHER, r.seq, r.checkId, r.status, r.message, JSON.stringify(r.metrics), r.details === undefined ? null : JSON.stringify(r.details),
      r.startedAt, r.finishedAt, receivedAt, r.intervalMs ?? null, r.code ?? null, r.params === undefined ? null : JSON.stringify(r.params));
  }
  const rows = (agentId: string) =>
    (store.db.prepare(`SELECT * FROM results WHERE agent_id = ? ORDER BY seq`).all(agentId) as Array<Record<string, unknown>>).map(({ agent_id: _, ...row }) => row);
  t.equal(rows(OTHER).length, 12, 'the repeated seq was ignored');
  t.strictSame(rows(OTHER), rows(AGENT));
  const distinct = new Set(results.map((r) => JSON.stringify([r.message, r.metrics, r.details, r.code, r.params]))).size;
  t.equal(store.db.prepare(`SELECT count(*) FROM result_contents`).pluck().get(), distinct, `both ways share the ${distinct} contents`);
});

/** A disk check's result: free bytes, and so message and metrics, new every time. */
function diskResult(seq: number, startedAt: number, freeBytes: number): Result {
  const gib = freeBytes / 2 ** 30;
  return {
    seq, checkId: 'disk-c', kind: 'disk', name: 'C:', status: 'OK', startedAt, finishedAt: startedAt + 2, intervalMs: MINUTE,
    message: `C: ${gib.toFixed(2)} GiB free of 100 GiB (${gib.toFixed(1)} %)`,
    metrics: { free_bytes: freeBytes, total_bytes: 107_374_182_400, free_percent: Math.round(gib * 100) / 100 },
  };
}

t.test('a result whose content is new each time costs less than the row before migration 021 did (~295 bytes)', async (t) => {
  const store = await storeWithAgent(t);
  const random = sequence(7);
  const bytes = () => {
    const pages = (store.db.pragma('page_count', { simple: true }) as number) - (store.db.pragma('freelist_count', { simple: true }) as number);
    return pages * (store.db.pragma('page_size', { simple: true }) as number);
  };
  await store.insertResults(AGENT, [diskResult(1, T0, 50 * 2 ** 30)], T0);
  const before = bytes();
  const COUNT = 5_000;
  for (let seq = 2; seq <= COUNT + 1; seq += 10) {
    const batch = Array.from({ length: 10 }, (_, i) => diskResult(seq + i, T0 + (seq + i) * MINUTE, 50 * 2 ** 30 - (seq + i) * 65_536 - Math.floor(random() * 4096)));
    await store.insertResults(AGENT, batch, T0 + (seq + 10) * MINUTE);
  }
  t.equal(store.db.prepare(`SELECT count(*) FROM result_contents`).pluck().get(), COUNT + 1, 'every content distinct');
  const perResult = (bytes() - before) / COUNT;
  // The old layout stored this result in ~295 bytes (measured on migration 020); an index on the content texts made it ~440.
  t.ok(perResult < 250, `${perResult.toFixed(1)} bytes per stored result`);
});

t.test('two contents with the same hash are told apart by their columns', async (t) => {
  const store = await storeWithAgent(t);
  const first = httpResult(1, 0, T0, 200, 20);
  await store.insertResults(AGENT, [first], T0 + MINUTE);
  // Make the stored content's hash that of a different content, as a collision would: the lookup must not take it.
  const second = httpResult(2, 0, T0 + MINUTE, 200, 30);
  store.db.prepare(`UPDATE result_contents SET hash = ?`).run(contentHash(second.message, JSON.stringify(second.metrics), null, second.code ?? null,
    second.params === undefined ? null : JSON.stringify(second.params)));
  await store.insertResults(AGENT, [second], T0 + 2 * MINUTE);
  t.equal(store.db.prepare(`SELECT count(*) FROM result_contents`).pluck().get(), 2, 'a second content, not the colliding one');
  const read = await store.resultsBetween(AGENT, 'web-0', 0, T0 + 86_400_000);
  t.strictSame(read.map((r) => r.message), ['HTTP 200 in 20 ms', 'HTTP 200 in 30 ms']);
  t.strictSame(read, [first, second]);
});
