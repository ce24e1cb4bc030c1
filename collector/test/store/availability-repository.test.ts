/**
 * The availability and maintenance repositories' contract, through the Store interface only, on SQLite and on a
 * fresh PostgreSQL database with the same assertions (helpers/test-store.ts): marks, one flush step, retention
 * cut-offs, roles, windows.
 */
import t, { type Test } from 'tap';
import type { Store } from '../../src/store/store.ts';
import { seriesKey, type RollupFigures } from '../../src/store/availability.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';
import { bothStores, openTestStore, type StoreKind } from '../helpers/test-store.ts';
import { monthPartitions } from '../../src/store/postgres/partitions.ts';
import type { PgStore } from '../../src/store/postgres/postgres-store.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';
const HOUR = 3_600_000;
const FIGURES: RollupFigures = { upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0, latencyP50: 5, latencyP95: 9, latencyP99: null };

/** Runs `body` on each store kind, with one agent enrolled. */
function contract(name: string, body: (t: Test, store: Store, kind: StoreKind) => Promise<void>): void {
  bothStores(t, name, async (t, store, kind) => {
    const client = await store.ensureClient('acme', 0);
    await store.createEnrollToken(hashSecret('token'), client.id, 0, Date.now() + 60_000);
    await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
    await body(t, store, kind);
  });
}

contract('marks are idempotent; a flush step takes at most `limit` hours grouped per series, stores the rows and forgets only those', async (t, store) => {
  const { availability } = store;
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [2 * HOUR, 0, HOUR] }, { agentId: AGENT, checkId: '', hours: [0] }]);
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [HOUR] }]);
  t.same((await availability.dirtyHoursBetween(AGENT, 'web', -1, 3 * HOUR)).sort((a, b) => a - b), [0, HOUR, 2 * HOUR], 'marking a marked hour again changes nothing');
  t.same(await availability.dirtyHoursBetween(AGENT, 'web', 0, 2 * HOUR), [HOUR], 'both bounds are exclusive');

  const taken = await availability.dirtyBatch(3);
  t.same(taken, [{ agentId: AGENT, checkId: '', hours: [0] }, { agentId: AGENT, checkId: 'web', hours: [0, HOUR] }], 'by agent, series, hour; at most `limit` hours');
  t.same(await availability.dirtyBatch(10, HOUR - 1), [{ agentId: AGENT, checkId: '', hours: [0] }, { agentId: AGENT, checkId: 'web', hours: [0] }], 'only hours starting by lastHour');
  await availability.writeRollups(taken, {
    hours: [{ agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES }], days: [{ agentId: AGENT, checkId: 'web', start: 0, end: 24 * HOUR, figures: FIGURES }],
  });
  t.same(await availability.dirtyHoursBetween(AGENT, 'web', -1, 3 * HOUR), [2 * HOUR], 'the hour beyond the limit stays dirty');
  t.same(await availability.hourRollups(AGENT, 'web', 0, HOUR), [{ start: 0, end: HOUR, upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0 }]);
  t.same(await availability.dayRollups(AGENT, 'web', 0, 1), [{ start: 0, end: 24 * HOUR, upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0 }]);

  // A day row replaces every row it overlaps (a changed time zone moves local midnight).
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [3 * HOUR] }]);
  await availability.writeRollups(await availability.dirtyBatch(10), { hours: [], days: [{ agentId: AGENT, checkId: 'web', start: HOUR, end: 25 * HOUR, figures: { ...FIGURES, downMs: 7 } }] });
  t.same((await availability.dayRollups(AGENT, 'web', 0, 48 * HOUR)).map((r) => [r.start, r.downMs]), [[HOUR, 7]]);
  t.same(await availability.dirtyBatch(10), [], 'nothing dirty any more');
});

contract('a flush step that fails inside its unit of work is rolled back: the hours stay dirty, no row is written', async (t, store) => {
  const { availability } = store;
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0] }]);
  await t.rejects(store.unitOfWork(async () => {
    const taken = await availability.dirtyBatch(10);
    await availability.writeRollups(taken, { hours: [{ agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES }], days: [] });
    throw new Error('raw data unreadable');
  }), /raw data unreadable/);
  t.same(await availability.dirtyHoursBetween(AGENT, 'web', -1, HOUR), [0]);
  t.same(await availability.hourRollups(AGENT, 'web', 0, HOUR), []);
});

contract('results, gaps, retention cut-offs and the SLA role', async (t, store) => {
  const { availability } = store;
  await store.insertResults(AGENT, [result(1, { startedAt: 1_000, metrics: { latency_ms: 12 } }), result(2, { startedAt: 5_000 })], 10_000);
  await store.insertGap(AGENT, { type: 'gap', fromSeq: 3, toSeq: 4, from: 6_000, to: 8_000, reason: 'spool full' });
  const [first] = await availability.results(AGENT, result(1).checkId, 0, 2_000, { latency: true });
  t.match(first, { seq: 1, startedAt: 1_000, latencyMs: 12 });
  t.notOk('message' in first!, 'no message unless asked for');
  t.equal((await availability.results(AGENT, result(1).checkId, 0, 10_000, { messages: true }))[1]?.message, result(2).message);
  t.same(await availability.gaps(AGENT, 7_000, 9_000), [{ from: 6_000, to: 8_000 }]);
  t.equal(await availability.oldestResult(AGENT), 1_000);

  t.same(await availability.deleteExpired({ rawBefore: null, hourlyBefore: null }), { results: 0, gaps: 0, hours: 0 }, 'null keeps everything');
  t.same(await availability.deleteExpired({ rawBefore: 5_000, hourlyBefore: null }), { results: 1, gaps: 0, hours: 0 }, 'started before the cut-off');
  t.same(await availability.deleteExpired({ rawBefore: 8_001, hourlyBefore: null }), { results: 1, gaps: 1, hours: 0 }, 'a gap goes once it ended before');

  const checkId = result(1).checkId;
  t.match(await availability.check(AGENT, checkId), { critical: null, weight: null }, 'no role set: the domain applies the default');
  await availability.setCheckRole(AGENT, checkId, { critical: false, weight: 3 });
  t.match(await availability.check(AGENT, checkId), { critical: false, weight: 3 });
  await availability.setCheckRole(AGENT, checkId, null);
  t.match(await availability.check(AGENT, checkId), { critical: null, weight: null });
});

contract('maintenance windows: created as stored with the client time zone, listed fresh after a write, deleted once', async (t, store) => {
  const clientId = (await store.getAgent(AGENT))!.clientId;
  t.same(await store.maintenance.windowsOfClient(clientId), []);
  const w = await store.maintenance.createWindow(
    { clientId, agentId: AGENT, checkId: null, title: 'RAM', recurrence: 'once', startsAt: 0, endsAt: HOUR, localTime: null, durationMs: null, weekdays: null }, 5,
  );
  t.match(w, { clientId, agentId: AGENT, title: 'RAM', timeZone: (await store.availability.client(clientId))!.timeZone });
  t.same(await store.maintenance.windowsOfClient(clientId), [w], 'the cached list is refreshed by the write');
  t.ok(await store.maintenance.deleteWindow(w.id));
  t.notOk(await store.maintenance.deleteWindow(w.id), 'a second delete finds nothing');
  t.same(await store.maintenance.windowsOfClient(clientId), []);
  t.equal(await store.maintenance.window(w.id), undefined);
});

contract('checkIntervals: every check of the host, or only the asked-for ones (unknown ids absent)', async (t, store) => {
  const at = 1_000_000;
  await store.insertResults(AGENT, [
    result(1, { checkId: 'web', startedAt: at, intervalMs: 20_000 }),
    result(2, { checkId: 'db', startedAt: at + 1, intervalMs: 60_000 }),
    result(3, { checkId: 'mail', startedAt: at + 2, intervalMs: 300_000 }),
  ], at + 10);
  const all = await store.availability.checkIntervals(AGENT);
  t.same([...all.keys()].sort(), ['db', 'mail', 'web']);
  const some = await store.availability.checkIntervals(AGENT, ['web', 'mail', 'gone']);
  t.same([...some.keys()].sort(), ['mail', 'web'], 'only the asked-for checks that exist');
  t.same(some.get('mail'), all.get('mail'), 'the same figures as the whole host read');
  t.same(some.get('web'), { intervalMs: 20_000, maxIntervalMs: 20_000 });
  t.equal((await store.availability.checkIntervals(AGENT, [])).size, 0, 'none asked for: none read');
});

contract('one write with repeated keys ends as SQLite\'s row-by-row write: the last hour row wins, each day still deletes what it overlaps', async (t, store) => {
  const { availability } = store;
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0, 0, HOUR] }, { agentId: AGENT, checkId: 'web', hours: [HOUR] }]);
  t.same(await availability.dirtyHoursBetween(AGENT, 'web', -1, 3 * HOUR), [0, HOUR], 'a mark repeated within one batch is one mark');
  t.same(await availability.markDirty([]), undefined, 'an empty batch marks nothing');
  // A stored day that only the first new day overlaps, then two new days of which the second overlaps the first.
  await availability.writeRollups([], { hours: [], days: [{ agentId: AGENT, checkId: 'web', start: -23 * HOUR, end: HOUR, figures: FIGURES }] });
  await availability.writeRollups(await availability.dirtyBatch(10), {
    hours: [
      { agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES },
      { agentId: AGENT, checkId: 'web', start: 0, figures: { ...FIGURES, downMs: 60_000, upMs: HOUR - 60_000, latencyP99: 12.75 } },
    ],
    days: [
      { agentId: AGENT, checkId: 'web', start: 0, end: 24 * HOUR, figures: FIGURES },
      { agentId: AGENT, checkId: 'web', start: HOUR, end: 25 * HOUR, figures: { ...FIGURES, downMs: 7 } },
    ],
  });
  t.strictSame(await availability.hourRollups(AGENT, 'web', 0, HOUR), [
    { start: 0, end: HOUR, upMs: HOUR - 60_000, downMs: 60_000, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0 },
  ], 'the later row of one hour wins; every figure a number');
  t.strictSame((await availability.dayRollups(AGENT, 'web', -48 * HOUR, 48 * HOUR)).map((r) => [r.start, r.end, r.downMs]), [[HOUR, 25 * HOUR, 7]],
    'the first new day removed the stored one it overlapped, the second removed the first');
  t.strictSame(await availability.dirtyBatch(10), [], 'nothing dirty: empty, not undefined');
});

contract('a mark made while a flush step holds its hour survives the step; a second step at once takes other hours', async (t, store, kind) => {
  const { availability } = store;
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0, HOUR] }]);
  let took!: () => void;
  const taken = new Promise<void>((resolve) => (took = resolve));
  let finish!: () => void;
  const finishing = new Promise<void>((resolve) => (finish = resolve));
  const first = store.unitOfWork(async () => {
    const dirty = await availability.dirtyBatch(1);
    took();
    await finishing;
    await availability.writeRollups(dirty, { hours: [{ agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES }], days: [] });
    return dirty;
  });
  await taken;
  // Both from outside the first step's unit of work (SQLite runs them after it, in this order; PostgreSQL at once).
  const second = store.unitOfWork(async () => {
    const dirty = await availability.dirtyBatch(10, HOUR);
    await availability.writeRollups(dirty, { hours: [], days: [] });
    return dirty;
  });
  // A result of hour 0 stored meanwhile marks it again.
  const mark = availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0] }]);
  if (kind === 'postgres') t.same(await second, [{ agentId: AGENT, checkId: 'web', hours: [HOUR] }], 'the held hour is skipped, without waiting for it');
  await new Promise((resolve) => setTimeout(resolve, 50));
  finish();
  t.same(await first, [{ agentId: AGENT, checkId: 'web', hours: [0] }]);
  await mark;
  t.same(await second, [{ agentId: AGENT, checkId: 'web', hours: [HOUR] }], 'the second step took only what the first did not hold');
  t.same(await availability.dirtyHoursBetween(AGENT, 'web', -1, 2 * HOUR), [0], 'hour 0 is dirty again: its new mark was not lost with the step');
});

contract('retention across months: whole months and the rest of the month the cut-off falls in; later rows of a gone month still store', async (t, store, kind) => {
  const { availability } = store;
  const DAY = 24 * HOUR;
  const jan15 = Date.UTC(1970, 0, 15);
  const feb15 = Date.UTC(1970, 1, 15);
  const mar1 = Date.UTC(1970, 2, 1);
  await store.insertResults(AGENT, [
    result(1, { startedAt: jan15 }), result(2, { startedAt: jan15 + HOUR }), result(3, { startedAt: feb15 }),
    result(4, { startedAt: mar1 + HOUR }), result(5, { startedAt: mar1 + 2 * DAY }),
  ], mar1 + 3 * DAY);
  t.equal(await availability.oldestResult(AGENT), jan15);
  t.strictSame(await availability.deleteExpired({ rawBefore: mar1 + DAY, hourlyBefore: null }), { results: 4, gaps: 0, hours: 0 }, 'January, February and one of March');
  t.equal(await availability.oldestResult(AGENT), mar1 + 2 * DAY);
  t.same((await availability.results(AGENT, 'web', 0, mar1 + 3 * DAY)).map((r) => r.seq), [5]);
  if (kind === 'postgres') {
    const months = (await monthPartitions((store as PgStore).db.pool)).map((p) => p.name);
    t.notOk(months.includes('results_1970_01') || months.includes('results_1970_02'), `the expired months' partitions are dropped (left: ${months.join(', ')})`);
    t.ok(months.includes('results_1970_03'), 'the month the cut-off falls in stays');
  }
  await store.insertResults(AGENT, [result(6, { startedAt: jan15 + 2 * HOUR })], mar1 + 3 * DAY);
  t.same((await availability.results(AGENT, 'web', jan15, jan15 + DAY)).map((r) => r.seq), [6], 'a late result of a dropped month is stored all the same');
  t.strictSame(await availability.deleteExpired({ rawBefore: mar1 + DAY, hourlyBefore: null }), { results: 1, gaps: 0, hours: 0 });
});

contract('reads: latency as a number or null, empty answers, orders the contract names, NULLs and ids past BIGINT', async (t, store) => {
  const { availability } = store;
  const clientId = (await store.getAgent(AGENT))!.clientId;
  await store.insertResults(AGENT, [
    result(1, { checkId: 'web', startedAt: 3_000, metrics: { latency_ms: 12.5 } }),
    result(2, { checkId: 'web', startedAt: 4_000, metrics: { rtt_avg_ms: 7 } }),
    result(3, { checkId: 'web', startedAt: 5_000, metrics: {} }),
    result(4, { checkId: 'web', startedAt: 5_000, metrics: { latency_ms: 3, rtt_avg_ms: 9 } }),
    // The agent's oldest result belongs to the check whose id sorts last: the oldest of the host is the oldest of any check.
    result(5, { checkId: 'zzz', kind: 'ping', startedAt: 1_000, code: 'ping.loss', params: { loss: 50 } }),
  ], 10_000);
  t.strictSame((await availability.results(AGENT, 'web', 0, 10_000, { latency: true })).map((r) => [r.seq, r.latencyMs]), [[1, 12.5], [2, 7], [3, null], [4, 3]],
    'latency_ms, else rtt_avg_ms, else null; equal starts by seq');
  t.strictSame((await availability.results(AGENT, 'web', 0, 10_000)).map((r) => r.latencyMs), [null, null, null, null], 'not asked for: null');
  t.strictSame(await availability.results(AGENT, 'nope', 0, 10_000), []);
  t.equal(await availability.oldestResult(AGENT), 1_000);
  t.equal(await availability.oldestResult(AGENT, 'web'), 3_000);
  t.equal(await availability.oldestResult(AGENT, 'nope'), null);
  t.equal(await availability.oldestResult('00000000-0000-0000-0000-000000000000'), null, 'an agent without results: null');
  t.strictSame(await availability.resultCode(AGENT, 5), { code: 'ping.loss', params: { loss: 50 } });
  t.strictSame(await availability.resultCode(AGENT, 1), { code: null, params: null });
  t.equal(await availability.resultCode(AGENT, 99), undefined);
  await store.insertGap(AGENT, { type: 'gap', fromSeq: 20, toSeq: 21, from: 8_000, to: 9_000, reason: 'spool full' });
  await store.insertGap(AGENT, { type: 'gap', fromSeq: 10, toSeq: 11, from: 6_000, to: 7_000, reason: 'spool full' });
  t.strictSame((await availability.gaps(AGENT, 0, 10_000)).sort((a, b) => a.from - b.from), [{ from: 6_000, to: 7_000 }, { from: 8_000, to: 9_000 }]);
  t.strictSame(await availability.gaps(AGENT, 7_000, 8_000), [], 'both bounds touch, neither overlaps');
  t.strictSame(await availability.client(clientId), { id: clientId, name: 'acme', timeZone: 'Europe/Berlin', language: 'de', targetPpm: 999_000, createdAt: 0 });
  t.strictSame(await availability.client('acme'), await availability.client(String(clientId)));
  t.equal(await availability.client('99999999999999999999'), undefined, 'an id past BIGINT names none');
  t.equal(await availability.client('nobody'), undefined);
  t.strictSame((await availability.checksOfClient(clientId)).map((c) => [c.checkId, c.critical, c.weight]), [['web', null, null], ['zzz', null, null]]);
  await availability.setCheckRole(AGENT, 'zzz', { critical: true, weight: 0 });
  await availability.setCheckRole(AGENT, 'zzz', { critical: true, weight: 2 });
  t.strictSame((await availability.checksOfAgent(AGENT)).map((c) => [c.checkId, c.critical, c.weight]), [['web', null, null], ['zzz', true, 2]], 'a role set twice: the last');
  t.strictSame(await availability.hostsOfClient(clientId), [{ id: AGENT, name: 'pc', hostname: null, clientId, timeZone: 'Europe/Berlin' }]);
  t.equal(await availability.host('nobody'), undefined);
  t.strictSame(await availability.resultsOfKind(clientId, 'ping', 0, 10_000), [{
    agentId: AGENT, agentName: 'pc', checkId: 'zzz', checkName: 'zzz', status: 'OK', message: result(5).message, metrics: result(5).metrics, startedAt: 1_000,
    code: 'ping.loss', params: { loss: 50 },
  }]);
  t.strictSame(await availability.resultsOfKind(clientId, 'disk', 0, 10_000), []);
  t.equal(availability.isOpen(), true);
});

contract('maintenance windows: NULL scopes and recurrence fields round-trip; windows of a client by id', async (t, store) => {
  const clientId = (await store.getAgent(AGENT))!.clientId;
  const base = { clientId, agentId: null, checkId: null, title: '', startsAt: 0, endsAt: null, localTime: '02:00', durationMs: HOUR, weekdays: null };
  const daily = await store.maintenance.createWindow({ ...base, recurrence: 'daily' }, 5);
  const weekly = await store.maintenance.createWindow({ ...base, agentId: AGENT, checkId: 'web', recurrence: 'weekly', weekdays: 1 | 64, endsAt: 10 * HOUR }, 6);
  t.strictSame(daily, { ...base, id: daily.id, recurrence: 'daily', timeZone: 'Europe/Berlin' });
  t.strictSame(await store.maintenance.window(weekly.id), { ...base, id: weekly.id, agentId: AGENT, checkId: 'web', recurrence: 'weekly', weekdays: 65, endsAt: 10 * HOUR, timeZone: 'Europe/Berlin' });
  t.strictSame((await store.maintenance.windowsOfClient(clientId)).map((w) => w.id), [daily.id, weekly.id]);
  t.strictSame(await store.maintenance.windowsOfClient(clientId + 1000), []);
});

t.test('[postgres] retention does not wait long behind a reader of results: the month is deleted row by row instead, and dropped next time', async (t) => {
  const store = await openTestStore(t, 'postgres');
  if (!store) return;
  const client = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('token'), client.id, 0, Date.now() + 60_000);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  const jan15 = Date.UTC(1970, 0, 15);
  const feb1 = Date.UTC(1970, 1, 1);
  await store.insertResults(AGENT, [result(1, { startedAt: jan15 }), result(2, { startedAt: jan15 + HOUR })], feb1);
  const { db } = store as PgStore;
  const reader = await db.pool.connect();
  t.teardown(() => reader.release());
  await reader.query('BEGIN');
  await reader.query('SELECT count(*) FROM results'); // a long report: holds the table until it ends
  const started = Date.now();
  t.strictSame(await store.availability.deleteExpired({ rawBefore: feb1, hourlyBefore: null }), { results: 2, gaps: 0, hours: 0 }, 'the rows are gone all the same');
  t.ok(Date.now() - started < 10_000, `it waited ${Date.now() - started} ms, not until the reader ended`);
  t.ok((await monthPartitions(db.pool)).some((p) => p.name === 'results_1970_01'), 'the month could not be dropped meanwhile');
  await reader.query('COMMIT');
  t.strictSame(await store.availability.deleteExpired({ rawBefore: feb1, hourlyBefore: null }), { results: 0, gaps: 0, hours: 0 });
  t.notOk((await monthPartitions(db.pool)).some((p) => p.name === 'results_1970_01'), 'dropped once nobody reads it');
});

contract('reads of many series: each series answers what its own read does, of any agent; asked series without rows and an empty list answer empty', async (t, store) => {
  const { availability } = store;
  const OTHER = '99999999-2222-3333-4444-555555555555';
  await store.createEnrollToken(hashSecret('token-2'), (await store.getAgent(AGENT))!.clientId, 0, Date.now() + 60_000);
  await store.enrollAgent(hashSecret('token-2'), { id: OTHER, name: 'pc-2', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  await store.insertResults(AGENT, [
    result(1, { checkId: 'web', startedAt: 3_000, metrics: { latency_ms: 12.5 }, message: 'one' }), result(2, { checkId: 'db', startedAt: 2_000 }),
    result(3, { checkId: 'web', startedAt: 1_000 }), result(4, { checkId: 'web', startedAt: 20_000 }),
  ], 30_000);
  await store.insertResults(OTHER, [result(1, { checkId: 'web', startedAt: 4_000, metrics: { rtt_avg_ms: 7 } })], 30_000);
  await store.insertGap(OTHER, { type: 'gap', fromSeq: 5, toSeq: 6, from: 6_000, to: 7_000, reason: 'spool full' });
  await availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0, HOUR] }, { agentId: OTHER, checkId: '', hours: [0] }]);
  await availability.writeRollups([], {
    hours: [{ agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES }, { agentId: OTHER, checkId: 'web', start: HOUR, figures: { ...FIGURES, downMs: 5 } }],
    days: [{ agentId: OTHER, checkId: '', start: 0, end: 24 * HOUR, figures: FIGURES }],
  });
  const series = [{ agentId: AGENT, checkId: 'web' }, { agentId: OTHER, checkId: 'web' }, { agentId: AGENT, checkId: 'db' }, { agentId: OTHER, checkId: '' }, { agentId: AGENT, checkId: 'nope' }];
  const alone = async <T>(read: (agentId: string, checkId: string) => Promise<T[]>) => new Map(await Promise.all(series.map(async (s) => [seriesKey(s.agentId, s.checkId), await read(s.agentId, s.checkId)] as const)));
  for (const want of [{}, { latency: true }, { messages: true }]) {
    t.strictSame(await availability.resultsOfSeries(series, 0, 10_000, want), await alone((a, c) => availability.results(a, c, 0, 10_000, want)), `results ${JSON.stringify(want)}`);
  }
  t.strictSame((await availability.resultsOfSeries(series, 0, 10_000)).get(seriesKey(AGENT, 'web'))!.map((r) => r.seq), [3, 1], 'by start; the later one outside the span');
  t.strictSame(await availability.dirtyHoursOfSeries(series, -1, 2 * HOUR), await alone((a, c) => availability.dirtyHoursBetween(a, c, -1, 2 * HOUR)), 'dirty hours');
  t.strictSame(await availability.hourRollupsOfSeries(series, 0, 2 * HOUR), await alone((a, c) => availability.hourRollups(a, c, 0, 2 * HOUR)), 'hour rows');
  t.strictSame(await availability.dayRollupsOfSeries(series, 0, 1), await alone((a, c) => availability.dayRollups(a, c, 0, 1)), 'day rows');
  t.strictSame(await availability.gapsOfAgents([AGENT, OTHER], 0, 10_000), new Map([[AGENT, []], [OTHER, [{ from: 6_000, to: 7_000 }]]]), 'gaps by agent');
  t.strictSame(await availability.resultsOfSeries([], 0, 10_000), new Map(), 'no series: nothing');
  t.strictSame(await availability.gapsOfAgents([], 0, 10_000), new Map(), 'no agents: nothing');
});
