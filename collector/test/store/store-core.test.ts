/**
 * The Store's core methods — clients, enrollment, agents, assigned checks, results, users, sessions, tokens —
 * and its unit of work, on both implementations with the same assertions (helpers/test-store.ts).
 */
import t from 'tap';
import { bothStores, openTestStore } from '../helpers/test-store.ts';
import type { PgStore } from '../../src/store/postgres/postgres-store.ts';
import { monthPartitions } from '../../src/store/postgres/partitions.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import type { Result } from '@nines/shared';

const AGENT = '11111111-2222-3333-4444-555555555555';
const BASE = Date.UTC(2026, 10, 30, 23, 59, 0); // a minute before a month ends: the batch spans two partitions

function result(seq: number, overrides: Partial<Result> = {}): Result {
  const at = BASE + seq * 10_000;
  return { seq, checkId: 'web', kind: 'http', status: 'OK', message: 'HTTP 200 in 5 ms', metrics: { latency_ms: 5 }, startedAt: at, finishedAt: at + 5, ...overrides };
}

bothStores(t, 'clients and enrollment: a token enrolls exactly one agent', async (t, store) => {
  const acme = await store.ensureClient('acme', 1);
  t.same(await store.ensureClient('acme', 2), acme, 'ensureClient finds the existing one');
  t.same(acme, { id: acme.id, name: 'acme', timezone: 'Europe/Berlin', language: 'de' });
  await store.ensureClient('Zahnarzt', 1);
  await store.ensureClient('Bäckerei', 1);
  t.same((await store.listClients()).map((c) => c.name), ['Bäckerei', 'Zahnarzt', 'acme'], 'bytewise order on both');
  t.same(await store.findClient(String(acme.id)), acme);
  t.equal(await store.findClient('99999999999999999999'), undefined, 'an id past BIGINT names none');
  await store.createEnrollToken(hashSecret('tok'), acme.id, 1, 100);
  const agent = { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: '1' };
  t.equal(await store.findClient('nope'), undefined);
  t.same(await store.enrollAgent(hashSecret('nope'), agent, 2), { problem: 'unknown' });
  t.same(await store.enrollAgent(hashSecret('tok'), agent, 2), { clientId: acme.id });
  t.same(await store.enrollAgent(hashSecret('tok'), { ...agent, id: 'other' }, 3), { problem: 'used' });
  await store.createEnrollToken(hashSecret('late'), acme.id, 1, 100);
  t.same(await store.enrollAgent(hashSecret('late'), { ...agent, id: 'other' }, 100), { problem: 'expired' });
  t.same((await store.listAgents()).map((a) => a.id), [AGENT]);
  t.match(await store.getAgent(AGENT), { clientId: acme.id, clientName: 'acme', connected: false, lastSeq: 0, revokedAt: null });
  await store.setConnected(AGENT, true, 5);
  t.equal((await store.getAgent(AGENT))!.connected, true);
  await store.resetConnections();
  t.equal((await store.getAgent(AGENT))!.connected, false);
  t.equal(await store.revokeAgent(AGENT, 7), true);
  t.equal(await store.revokeAgent(AGENT, 9), true);
  t.same(await store.agentCredentials(AGENT), { secretHash: hashSecret('s'), revokedAt: 7 }, 'the first revocation time stays');
  t.equal(await store.revokeAgent('nobody', 9), false);
});

bothStores(t, 'results: idempotent on (agent, seq), check state from the newest, across a month boundary', async (t, store) => {
  const acme = await store.ensureClient('acme', 1);
  await store.createEnrollToken(hashSecret('tok'), acme.id, 1, 100);
  await store.enrollAgent(hashSecret('tok'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: '1' }, 2);
  const batch = [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => result(seq, seq === 8 ? { status: 'CRIT', message: 'down', intervalMs: 20_000 } : { intervalMs: 20_000 }));
  const first = await store.insertResults(AGENT, batch, BASE + 100_000);
  t.equal(first.inserted, 8);
  t.equal(first.lastSeq, 8);
  t.same(first.latest.map((r) => r.seq), [8]);
  const replay = await store.insertResults(AGENT, [...batch.slice(4), result(9)], BASE + 110_000);
  t.equal(replay.inserted, 1, 'the replayed seqs are skipped, the new one stored');
  t.same(replay.newlyStored.map((r) => r.seq), [9]);
  t.equal(await store.countResults(AGENT), 9);
  const stored = await store.resultsBetween(AGENT, 'web', BASE, BASE + 1_000_000);
  t.same(stored.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'each once, oldest first, from both months');
  t.same(stored[7], { ...batch[7], name: 'web' }, 'a result reads back as it was sent (name from the check)');
  const [check] = await store.listChecks(AGENT);
  t.match(check, { id: 'web', status: 'OK', lastResultAt: result(9).startedAt, intervalMs: 20_000 });
  await store.insertGap(AGENT, { type: 'gap', fromSeq: 10, toSeq: 12, from: BASE, to: BASE + 1, reason: 'spool full' });
  t.equal((await store.getAgent(AGENT))!.lastSeq, 12, 'a gap moves last_seq past it');
  t.equal((await store.insertResults(AGENT, [], BASE)).inserted, 0, 'an empty batch stores nothing');
  // A seq comes back with another start time (not what an agent's spool does, but the key is (agent, seq)).
  const moved = await store.insertResults(AGENT, [result(3, { startedAt: BASE + 5_000_000, finishedAt: BASE + 5_000_001 }), result(13), result(13, { message: 'second' })], BASE);
  t.same(moved.newlyStored.map((r) => [r.seq, r.message]), [[13, 'HTTP 200 in 5 ms']], 'seq 3 is not stored again; seq 13 twice in a batch is stored once, the first');
  t.same((await store.resultsBetween(AGENT, 'web', BASE, BASE + 10_000_000)).map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 13]);
}, { now: BASE });

bothStores(t, 'assigned checks: replaced, versioned, read back in id order', async (t, store) => {
  const acme = await store.ensureClient('acme', 1);
  await store.createEnrollToken(hashSecret('tok'), acme.id, 1, 100);
  await store.enrollAgent(hashSecret('tok'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: '1' }, 2);
  const web = { id: 'web', kind: 'http', url: 'http://127.0.0.1/', interval: '30s' } as never;
  const disk = { id: 'disk', kind: 'disk', path: '/' } as never;
  t.equal(await store.assignChecks(AGENT, [web, disk]), 1);
  t.same(await store.assignedConfig(AGENT), { version: 1, checks: [disk, web] });
  t.equal(await store.assignChecks(AGENT, [web]), 2);
  t.same((await store.assignedConfig(AGENT)).checks, [web], 'the dropped one is no longer assigned');
  t.match(await store.listClientChecks(acme.id), [{ id: 'disk', config: null }, { id: 'web', intervalMs: 30_000 }]);
});

bothStores(t, 'users, sessions and API tokens', async (t, store) => {
  const ada = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'admin' }, 1);
  t.equal(await store.countUsers(), 1);
  t.same(await store.findUserByName('ada'), { id: ada, username: 'ada', role: 'admin', clientId: null, language: null, passwordHash: 'h' });
  await store.createSession(hashSecret('s'), ada, 1, 10);
  t.equal((await store.session(hashSecret('s'), 9))!.expiresAt, 10);
  t.equal(await store.session(hashSecret('s'), 10), undefined, 'expired at its time');
  await store.deleteSession(hashSecret('s'));
  t.equal(await store.session(hashSecret('s'), 2), undefined);
  const first = await store.createApiToken(hashSecret('a'), ada, 'one', 1);
  const second = await store.createApiToken(hashSecret('b'), ada, 'two', 1, { scope: 'read', expiresAt: 50 });
  t.not(first, second);
  t.match(await store.apiToken(hashSecret('b'), 49), { tokenId: second, scope: 'read', expiresAt: 50, user: { username: 'ada' } });
  t.equal(await store.apiToken(hashSecret('b'), 50), undefined);
  t.match(await store.apiToken(hashSecret('a'), 49), { tokenId: first, scope: 'admin', expiresAt: null });
});

bothStores(t, 'unit of work: all or nothing across awaits; a nested one rolls back alone; snapshot reads', async (t, store) => {
  await t.rejects(store.unitOfWork(async () => {
    await store.ensureClient('gone', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('boom');
  }), /boom/);
  t.same(await store.listClients(), []);
  const value = await store.unitOfWork(async () => {
    await store.ensureClient('kept', 1);
    await t.rejects(store.unitOfWork(async () => {
      await store.ensureClient('inner', 1);
      throw new Error('inner');
    }), /inner/);
    return 42;
  });
  t.equal(value, 42);
  t.same((await store.listClients()).map((c) => c.name), ['kept']);
  t.same(await store.snapshot(async () => (await store.listClients()).length), 1);
});

t.test('PostgreSQL: month partitions around the start, made again ahead as months pass; results of other months still stored', async (t) => {
  const store = await openTestStore(t, 'postgres', { now: BASE });
  if (!store) return;
  const pg = store as PgStore;
  const names = async () => (await monthPartitions(pg.db.pool)).map((p) => p.name);
  t.same(await names(), ['results_2026_10', 'results_2026_11', 'results_2026_12', 'results_2027_01'], 'the month before, its own, two ahead');
  t.same(await pg.ensurePartitions(BASE), [], 'nothing new the same day');
  t.same(await pg.ensurePartitions(Date.UTC(2027, 1, 10)), ['results_2027_02', 'results_2027_03', 'results_2027_04'], 'months later: that month and the two after it (the month before exists)');
  const acme = await store.ensureClient('acme', 1);
  await store.createEnrollToken(hashSecret('tok'), acme.id, 1, 100);
  await store.enrollAgent(hashSecret('tok'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: '1' }, 2);
  const far = Date.UTC(2030, 5, 1);
  await store.insertResults(AGENT, [result(1), result(2, { startedAt: far, finishedAt: far + 5 })], BASE);
  t.same((await store.resultsBetween(AGENT, 'web', 0, far + 1)).map((r) => r.seq), [1, 2], 'a result of a month without a partition is stored (default partition) and read back');
  t.same(await pg.ensurePartitions(far), ['results_2030_05', 'results_2030_07', 'results_2030_08'], 'June, whose row sits in the default partition, keeps it there');
});
