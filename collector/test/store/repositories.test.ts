/**
 * The management, delivery and storage repositories and store.transaction, through the Store interface only:
 * each test runs on SQLite and on PostgreSQL with the same assertions (helpers/test-store.ts).
 */
import t from 'tap';
import { loadMigrations } from '../../src/store/sqlite/database.ts';
import { loadPostgresMigrations } from '../../src/store/postgres/database.ts';
import { bothStores } from '../helpers/test-store.ts';
import type { Store } from '../../src/store/store.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';

async function withAgent(store: Store): Promise<number> {
  const client = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('token'), client.id, 0, 60_000);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  return client.id;
}

bothStores(t, 'management: clients with settings, users, tokens, agent names; unknown ids answer undefined or false', async (t, store) => {
  const { management } = store;
  const bakery = await management.createClient({ name: '  Bäckerei  ', slaTarget: 0.995 }, 10);
  t.same(bakery, { id: bakery.id, name: 'Bäckerei', timezone: 'Europe/Berlin', language: 'de', slaTarget: 0.995 }, 'trimmed, defaults filled');
  t.equal(await management.clientNameTaken('Bäckerei'), true);
  t.equal(await management.clientNameTaken('Bäckerei', bakery.id), false, 'its own name is not taken by itself');
  t.same(await management.updateClient(bakery.id, { language: 'en' }), { ...bakery, language: 'en' }, 'only the given setting changes');
  t.equal(await management.updateClient(9_999, { language: 'en' }), undefined);
  const other = await management.createClient({ name: 'Anwalt' }, 11);
  t.same((await management.listClients(null)).map((c) => c.name), ['Anwalt', 'Bäckerei'], 'by name');
  t.same((await management.listClients(new Set([other.id]))).map((c) => c.name), ['Anwalt'], 'only the visible ones');

  const clientId = await withAgent(store);
  t.equal(await management.renameAgent(AGENT, ' Empfang '), true);
  t.equal((await store.getAgent(AGENT))!.name, 'Empfang');
  t.equal(await management.renameAgent('no-such-agent', 'x'), false);
  t.equal(await management.latestDetails(AGENT, 'web'), null, 'no result yet');
  await store.insertResults(AGENT, [result(1, { details: { packages: ['a'] } }), result(2, { details: { packages: ['b'] } })], 5);
  t.same(await management.latestDetails(AGENT, 'web'), { packages: ['b'] }, 'the newest result’s details');

  const admin = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'admin' }, 1);
  const viewer = await store.createUser({ username: 'bob', passwordHash: 'h', role: 'client', clientId: clientId }, 1);
  await management.setUserLanguage(viewer, 'en');
  t.same(await management.getUser(viewer), { id: viewer, username: 'bob', role: 'client', clientId: clientId, language: 'en' });
  t.same((await management.listUsers()).map((u) => u.username), ['ada', 'bob']);
  t.equal(await management.countAdmins(), 1);
  const tokenId = await store.createApiToken(hashSecret('tok'), admin, 'backup script', 7, { scope: 'read' });
  t.same(await management.listApiTokens(), [{ id: tokenId, name: 'backup script', userId: admin, username: 'ada', createdAt: 7, lastUsedAt: null, scope: 'read', expiresAt: null }]);
  t.equal((await store.apiToken(hashSecret('tok'), 8))!.tokenId, tokenId, 'the id createApiToken returned is the grant’s');
  t.equal(await management.deleteApiToken(tokenId), true);
  t.equal(await management.deleteApiToken(tokenId), false, 'gone');
  await store.createSession(hashSecret('sess'), viewer, 1, 100);
  t.equal(await management.deleteUser(viewer), true);
  t.equal(await store.session(hashSecret('sess'), 2), undefined, 'its sessions went with it');
  t.equal(await management.getUser(viewer), undefined);
  t.equal(await management.deleteUser(viewer), false);
});

bothStores(t, 'delivery: silence marks, stored spans, lost results, revoked ids, seq stats', async (t, store) => {
  await withAgent(store);
  const { delivery } = store;
  t.equal(await delivery.silentSince(AGENT), null);
  await delivery.setSilentSince(AGENT, 1_000);
  t.same([...await delivery.silentAgents()], [[AGENT, 1_000]]);
  await delivery.setSilentSince(AGENT, null);
  t.same((await delivery.silentAgents()).size, 0);
  t.same(await delivery.seqStats(AGENT), { count: 0, lowest: 0, highest: 0 }, 'nothing stored yet');
  await store.insertResults(AGENT, [result(1), result(2), result(4)], 5);
  t.same(await delivery.seqStats(AGENT), { count: 3, lowest: 1, highest: 4 });
  t.equal((await delivery.newestStoredIn(AGENT, 1, 3))?.seq, 2, 'the newest stored seq inside the span');
  t.equal(await delivery.newestStoredIn(AGENT, 5, 9), undefined);
  t.equal(await delivery.lostResults(AGENT), 1, 'seq 3 was neither stored nor reported: lost, not zero');
  await store.insertGap(AGENT, { type: 'gap', fromSeq: 5, toSeq: 7, from: 1, to: 2, reason: 'spool full' });
  t.equal(await delivery.lostResults(AGENT), 4, 'the hole and the reported gap');
  t.same([...await delivery.revokedAgentIds()], []);
  await store.revokeAgent(AGENT, 9);
  t.same([...await delivery.revokedAgentIds()], [AGENT]);
});

bothStores(t, 'transaction: all or nothing, and a nested one rolls back alone', async (t, store) => {
  await t.rejects(() => store.unitOfWork(async () => {
    await store.ensureClient('Bäckerei Müller', 1);
    throw new Error('boom');
  }), /boom/);
  t.equal(await store.findClient('Bäckerei Müller'), undefined, 'rolled back');
  const value = await store.unitOfWork(async () => {
    await store.ensureClient('Kanzlei Berger', 1);
    await t.rejects(() => store.unitOfWork(async () => {
      await store.ensureClient('Autohaus Nord', 1);
      throw new Error('inner');
    }));
    return 42;
  });
  t.equal(value, 42, 'returns what fn returns');
  t.match(await store.findClient('Kanzlei Berger'), { name: 'Kanzlei Berger' }, 'outer kept');
  t.equal(await store.findClient('Autohaus Nord'), undefined, 'inner undone');
});

bothStores(t, 'storage facts: schema version and file sizes of a new store', async (t, store, kind) => {
  const facts = await store.storage.facts();
  const newest = { sqlite: loadMigrations(), postgres: loadPostgresMigrations() }[kind].at(-1)!.version;
  t.equal(facts.schemaVersion, newest, 'migrated to the newest shipped migration of its kind');
  t.ok(facts.fileBytes.main! > 0);
  t.type(facts.freePages, 'number');
  t.same(Object.keys(facts.fileBytes), { sqlite: ['main', 'wal'], postgres: ['main'] }[kind], 'SQLite has a WAL file beside it; PostgreSQL one database size');
});

bothStores(t, 'saved settings (channels, report parts): put replaces, list in key order with who and when, remove says whether there was one', async (t, store) => {
  t.same(await store.channelSettings.list(), []);
  await store.channelSettings.put('ntfy', { server: 'https://ntfy.sh' }, 10, 'admin');
  await store.channelSettings.put('email', { host: 'mail', port: 25 }, 20, null);
  await store.channelSettings.put('ntfy', { server: 'https://ntfy.example', nested: { a: [1, 'ü'] } }, 30, 'jan');
  t.same(await store.channelSettings.list(), [
    { kind: 'email', settings: { host: 'mail', port: 25 }, updatedAt: 20, updatedBy: null },
    { kind: 'ntfy', settings: { server: 'https://ntfy.example', nested: { a: [1, 'ü'] } }, updatedAt: 30, updatedBy: 'jan' },
  ], 'the second put replaced the first; JSON round-trips');
  t.same(await store.reportSettings.list(), [], 'each table is its own');
  await store.reportSettings.put('monthly', { at: '10:30' }, 40, 'admin');
  t.same(await store.reportSettings.list(), [{ part: 'monthly', settings: { at: '10:30' }, updatedAt: 40, updatedBy: 'admin' }]);
  t.equal(await store.channelSettings.remove('ntfy'), true);
  t.equal(await store.channelSettings.remove('ntfy'), false, 'nothing left to remove');
  t.equal(await store.reportSettings.remove('weekly'), false);
  t.same((await store.channelSettings.list()).map((s) => s.kind), ['email']);
  t.same((await store.reportSettings.list()).map((s) => s.part), ['monthly']);
});
