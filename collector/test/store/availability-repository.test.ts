/**
 * The availability and maintenance repositories' contract, through the Store interface only, on SQLite and on a
 * fresh PostgreSQL database with the same assertions (helpers/test-store.ts): marks, one flush step, retention
 * cut-offs, roles, windows.
 */
import t, { type Test } from 'tap';
import type { Store } from '../../src/store/store.ts';
import type { RollupFigures } from '../../src/store/availability.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';
import { bothStores, type StoreKind } from '../helpers/test-store.ts';

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
