/**
 * The availability and maintenance repositories' contract, through the Store interface only (SQLite today;
 * a PostgreSQL implementation runs the same file): marks, one flush step, retention cut-offs, roles, windows.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { RollupFigures } from '../../src/store/availability.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';
const HOUR = 3_600_000;
const FIGURES: RollupFigures = { upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0, latencyP50: 5, latencyP95: 9, latencyP99: null };

function storeWithAgent(t: Test): Store {
  const dir = mkdtempSync(join(tmpdir(), 'nines-avail-repo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteStore(join(dir, 'nines.db'));
  t.teardown(() => store.close());
  const client = store.ensureClient('acme', 0);
  store.createEnrollToken(hashSecret('token'), client.id, 0, Date.now() + 60_000);
  store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  return store;
}

t.test('marks are idempotent; a flush step takes at most `limit` hours grouped per series, stores the rows and forgets only those', async (t) => {
  const { availability } = storeWithAgent(t);
  availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [2 * HOUR, 0, HOUR] }, { agentId: AGENT, checkId: '', hours: [0] }]);
  availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [HOUR] }]);
  t.same(availability.dirtyHoursBetween(AGENT, 'web', -1, 3 * HOUR).sort((a, b) => a - b), [0, HOUR, 2 * HOUR], 'marking a marked hour again changes nothing');
  t.same(availability.dirtyHoursBetween(AGENT, 'web', 0, 2 * HOUR), [HOUR], 'both bounds are exclusive');

  const seen: unknown[] = [];
  const taken = availability.flushDirty(3, (dirty) => {
    seen.push(dirty);
    return { hours: [{ agentId: AGENT, checkId: 'web', start: 0, figures: FIGURES }], days: [{ agentId: AGENT, checkId: 'web', start: 0, end: 24 * HOUR, figures: FIGURES }] };
  });
  t.equal(taken, 3);
  t.same(seen, [[{ agentId: AGENT, checkId: '', hours: [0] }, { agentId: AGENT, checkId: 'web', hours: [0, HOUR] }]], 'by agent, series, hour');
  t.same(availability.dirtyHoursBetween(AGENT, 'web', -1, 3 * HOUR), [2 * HOUR], 'the hour beyond the limit stays dirty');
  t.same(availability.hourRollups(AGENT, 'web', 0, HOUR), [{ start: 0, end: HOUR, upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0 }]);
  t.same(availability.dayRollups(AGENT, 'web', 0, 1), [{ start: 0, end: 24 * HOUR, upMs: HOUR, downMs: 0, unknownMs: 0, maintenanceMs: 0, results: 60, failures: 0 }]);

  // A day row replaces every row it overlaps (a changed time zone moves local midnight).
  availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [3 * HOUR] }]);
  availability.flushDirty(10, () => ({ hours: [], days: [{ agentId: AGENT, checkId: 'web', start: HOUR, end: 25 * HOUR, figures: { ...FIGURES, downMs: 7 } }] }));
  t.same(availability.dayRollups(AGENT, 'web', 0, 48 * HOUR).map((r) => [r.start, r.downMs]), [[HOUR, 7]]);
  t.equal(availability.flushDirty(10, () => t.fail('nothing is dirty') as never), 0, 'nothing dirty: the callback is not called');
});

t.test('a recompute that throws rolls the whole step back: the hours stay dirty, no row is written', async (t) => {
  const { availability } = storeWithAgent(t);
  availability.markDirty([{ agentId: AGENT, checkId: 'web', hours: [0] }]);
  t.throws(() => availability.flushDirty(10, () => {
    throw new Error('raw data unreadable');
  }), /raw data unreadable/);
  t.same(availability.dirtyHoursBetween(AGENT, 'web', -1, HOUR), [0]);
  t.same(availability.hourRollups(AGENT, 'web', 0, HOUR), []);
});

t.test('results, gaps, retention cut-offs and the SLA role', async (t) => {
  const store = storeWithAgent(t);
  const { availability } = store;
  store.insertResults(AGENT, [result(1, { startedAt: 1_000, metrics: { latency_ms: 12 } }), result(2, { startedAt: 5_000 })], 10_000);
  store.insertGap(AGENT, { type: 'gap', fromSeq: 3, toSeq: 4, from: 6_000, to: 8_000, reason: 'spool full' });
  const [first] = availability.results(AGENT, result(1).checkId, 0, 2_000, { latency: true });
  t.match(first, { seq: 1, startedAt: 1_000, latencyMs: 12 });
  t.notOk('message' in first!, 'no message unless asked for');
  t.equal(availability.results(AGENT, result(1).checkId, 0, 10_000, { messages: true })[1]?.message, result(2).message);
  t.same(availability.gaps(AGENT, 7_000, 9_000), [{ from: 6_000, to: 8_000 }]);
  t.equal(availability.oldestResult(AGENT), 1_000);

  t.same(availability.deleteExpired({ rawBefore: null, hourlyBefore: null }), { results: 0, gaps: 0, hours: 0 }, 'null keeps everything');
  t.same(availability.deleteExpired({ rawBefore: 5_000, hourlyBefore: null }), { results: 1, gaps: 0, hours: 0 }, 'started before the cut-off');
  t.same(availability.deleteExpired({ rawBefore: 8_001, hourlyBefore: null }), { results: 1, gaps: 1, hours: 0 }, 'a gap goes once it ended before');

  const checkId = result(1).checkId;
  t.match(availability.check(AGENT, checkId), { critical: null, weight: null }, 'no role set: the domain applies the default');
  availability.setCheckRole(AGENT, checkId, { critical: false, weight: 3 });
  t.match(availability.check(AGENT, checkId), { critical: false, weight: 3 });
  availability.setCheckRole(AGENT, checkId, null);
  t.match(availability.check(AGENT, checkId), { critical: null, weight: null });
});

t.test('maintenance windows: created as stored with the client time zone, listed fresh after a write, deleted once', async (t) => {
  const store = storeWithAgent(t);
  const clientId = store.getAgent(AGENT)!.clientId;
  t.same(store.maintenance.windowsOfClient(clientId), []);
  const w = store.maintenance.createWindow(
    { clientId, agentId: AGENT, checkId: null, title: 'RAM', recurrence: 'once', startsAt: 0, endsAt: HOUR, localTime: null, durationMs: null, weekdays: null }, 5,
  );
  t.match(w, { clientId, agentId: AGENT, title: 'RAM', timeZone: store.availability.client(clientId)!.timeZone });
  t.same(store.maintenance.windowsOfClient(clientId), [w], 'the cached list is refreshed by the write');
  t.ok(store.maintenance.deleteWindow(w.id));
  t.notOk(store.maintenance.deleteWindow(w.id), 'a second delete finds nothing');
  t.same(store.maintenance.windowsOfClient(clientId), []);
  t.equal(store.maintenance.window(w.id), undefined);
});

t.test('checkIntervals: every check of the host, or only the asked-for ones (unknown ids absent)', async (t) => {
  const store = storeWithAgent(t);
  const at = 1_000_000;
  store.insertResults(AGENT, [
    result(1, { checkId: 'web', startedAt: at, intervalMs: 20_000 }),
    result(2, { checkId: 'db', startedAt: at + 1, intervalMs: 60_000 }),
    result(3, { checkId: 'mail', startedAt: at + 2, intervalMs: 300_000 }),
  ], at + 10);
  const all = store.availability.checkIntervals(AGENT);
  t.same([...all.keys()].sort(), ['db', 'mail', 'web']);
  const some = store.availability.checkIntervals(AGENT, ['web', 'mail', 'gone']);
  t.same([...some.keys()].sort(), ['mail', 'web'], 'only the asked-for checks that exist');
  t.same(some.get('mail'), all.get('mail'), 'the same figures as the whole host read');
  t.same(some.get('web'), { intervalMs: 20_000, maxIntervalMs: 20_000 });
  t.equal(store.availability.checkIntervals(AGENT, []).size, 0, 'none asked for: none read');
});
