/**
 * Check alerts that stay OK are not rewritten per passing result (store/sqlite/alerts.ts, issue 18). What that must
 * not change: what reads show, the late-result guard after a crash (the row's lastAt is older than the truth then),
 * and a rolled-back transaction or a withdrawal by the outbox must never leave a remembered state the rows do not have.
 * Each scenario runs against an uninterrupted reference on its own database; expected figures come from it.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result, Status } from '@nines/shared';
import { openTestStoreAt, storeReader, TEST_STORE } from '../helpers/test-store.ts';
import { AlertEngine } from '../../src/alerting/engine.ts';
import { alertSettingsFrom } from '../../src/alerting/settings.ts';
import { INITIAL_MEMORY, type AlertMemory } from '../../src/alerting/state-machine.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const SEC = 1_000;
const FAILURES_TO_FIRE = 2;

/** A data directory: the stores opened on it are one database (SQLite's file, or PostgreSQL under NINES_TEST_STORE). */
function dataDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nines-quiet-saves-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store with the agent enrolled (first open) and an engine over it; `close` is the crash: nothing is flushed. */
async function open(dir: string, first: boolean) {
  const { store } = await openTestStoreAt(dir, TEST_STORE);
  if (first) {
    const client = await store.ensureClient('acme', T0);
    await store.createEnrollToken(hashSecret('token'), client.id, T0, T0 + 60 * SEC);
    await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
  }
  const engine = new AlertEngine(store, () => T0 + 3_600 * SEC, alertSettingsFrom({ failuresToFire: FAILURES_TO_FIRE, budgetThresholds: [] }));
  return { store, engine };
}

const at = (seq: number, status: Status, startedAt: number, message = `HTTP ${status === 'OK' ? 200 : 500} in ${seq} ms`): Result =>
  result(seq, { status, startedAt, finishedAt: startedAt + 5, message });

/** The row as stored, read through its own connection (what a restarted process would read). */
async function rowOf(dir: string): Promise<{ memory: AlertMemory; message: string; state: string }> {
  const db = await storeReader(dir);
  try {
    const [row] = await db.all<{ memory_json: string; message: string; state: string }>(`SELECT memory_json, message, state FROM alerts WHERE agent_id = ? AND kind = 'check' AND subject = 'web'`, AGENT);
    return { memory: JSON.parse(row!.memory_json) as AlertMemory, message: row!.message, state: row!.state };
  } finally {
    await db.close();
  }
}

// OK results at 1…5 s, then (after the restart, or not) a late CRIT from 2.5 s and a CRIT at 6 s.
const before = [1, 2, 3, 4, 5].map((n) => at(n, 'OK', T0 + n * SEC));
const after = [at(6, 'CRIT', T0 + 2.5 * SEC), at(7, 'CRIT', T0 + 6 * SEC)];

// PostgreSQL keeps no alert cache (postgres/alerts.ts: collectors share the rows), so it writes every save and has
// no quiet saves to lose in a crash: these two are SQLite's.
const QUIET_SAVES = { skip: TEST_STORE === 'postgres' && 'PostgreSQL writes every save (postgres/alerts.ts keeps no cache)' };

t.test('reads show every passing result while the row keeps the state of its last change', QUIET_SAVES, async (t) => {
  const dir = dataDir(t);
  const { store, engine } = await open(dir, true);
  t.teardown(() => store.close());
  await store.insertResults(AGENT, before, T0 + 10 * SEC);
  t.equal(await engine.evaluateStored(), before.length);
  const last = before.at(-1)!;
  const alert = (await engine.alerts.find(AGENT, 'check', 'web'))!;
  t.match(alert, { state: 'OK', message: last.message, memory: { lastAt: last.startedAt, successes: before.length } }, 'find: the newest result');
  t.equal((await engine.alerts.get(alert.id))!.message, last.message, 'get: the same');
  t.equal((await engine.alerts.list()).find((a) => a.id === alert.id)!.message, last.message, 'list: the same');
  t.equal((await engine.alerts.checkAlertsOf(AGENT)).get('web')!.memory.lastAt, last.startedAt, 'checkAlertsOf: the same');
  const row = await rowOf(dir);
  t.equal(row.state, 'OK');
  t.ok(row.memory.lastAt! < last.startedAt, `the row was not rewritten for each passing result (row lastAt ${row.memory.lastAt}, newest ${last.startedAt})`);
});

t.test('after a crash the late result is still ignored: the same state and transitions as without the crash', QUIET_SAVES, async (t) => {
  const reference = await open(dataDir(t), true);
  t.teardown(async () => reference.store.close());
  await reference.store.insertResults(AGENT, [...before, ...after], T0 + 10 * SEC);
  await reference.engine.evaluateStored();
  const expected = (await reference.engine.alerts.find(AGENT, 'check', 'web'))!;
  // The scenario's point: only the CRIT at 6 s counts (the one from 2.5 s is older than the newest seen), one < FAILURES_TO_FIRE.
  t.equal(expected.memory.failures, 1);
  t.equal(expected.state, 'PENDING');

  const dir = dataDir(t);
  const first = await open(dir, true);
  await first.store.insertResults(AGENT, before, T0 + 10 * SEC);
  await first.engine.evaluateStored();
  await first.store.close(); // the crash: the quiet saves' lastAt is only in that process's memory
  t.ok((await rowOf(dir)).memory.lastAt! < before.at(-1)!.startedAt, 'the row is behind, as the scenario needs');

  const second = await open(dir, false);
  t.teardown(async () => second.store.close());
  await second.store.insertResults(AGENT, after, T0 + 11 * SEC);
  await second.engine.evaluateStored();
  const seen = (await second.engine.alerts.find(AGENT, 'check', 'web'))!;
  t.match(seen, { state: expected.state, memory: { failures: expected.memory.failures, lastAt: expected.memory.lastAt, lastFailing: expected.memory.lastFailing } });
  t.same((await second.engine.alerts.transitions(seen.id)).map((x) => x.event), (await reference.engine.alerts.transitions(expected.id)).map((x) => x.event));
});

t.test('a rolled-back transaction is not remembered: neither a transition nor a quiet save', async (t) => {
  const { store, engine } = await open(dataDir(t), true);
  t.teardown(() => store.close());
  await store.insertResults(AGENT, before, T0 + 10 * SEC);
  await engine.evaluateStored();
  const alerts = store.alerts;
  const committed = (await alerts.find(AGENT, 'check', 'web'))!;

  await t.rejects(() => store.unitOfWork(async () => {
    const alert = (await alerts.find(AGENT, 'check', 'web'))!;
    alert.memory = { ...alert.memory, state: 'FIRING', severity: 'CRIT', failures: FAILURES_TO_FIRE, successes: 0, lastFailing: true };
    await alerts.save(await alert);
    t.equal((await alerts.find(AGENT, 'check', 'web'))!.state, 'FIRING', 'inside the transaction it reads as saved');
    throw new Error('the commit never happens');
  }), /the commit never happens/);
  t.match(await alerts.find(AGENT, 'check', 'web'), { state: 'OK', memory: { failures: 0 } }, 'the rolled-back transition is gone');

  await t.rejects(() => store.unitOfWork(async () => {
    const alert = (await alerts.find(AGENT, 'check', 'web'))!;
    alert.memory = { ...alert.memory, successes: alert.memory.successes + 1, lastAt: T0 + 99 * SEC };
    alert.message = 'never committed';
    await alerts.save(await alert);
    throw new Error('rolled back');
  }), /rolled back/);
  const now = (await alerts.find(AGENT, 'check', 'web'))!;
  t.not(now.message, 'never committed', 'the quiet save is gone too');
  t.equal(now.memory.lastAt, committed.memory.lastAt, 'the last observation time is the committed one (rebuilt from the results)');
});

t.test('a withdrawal by the outbox (SQL outside the alerts repository) is seen by the next read', async (t) => {
  const { store } = await open(dataDir(t), true);
  t.teardown(() => store.close());
  const alerts = store.alerts;
  const client = await store.ensureClient('acme', T0);
  const alert = await alerts.alertFor({ clientId: client.id, agentId: AGENT, kind: 'check', subject: 'web', checkKind: 'http' }, INITIAL_MEMORY, T0);
  alert.announcedAt = T0;
  alert.memory = { ...alert.memory, state: 'FIRING', severity: 'CRIT', failures: 1, lastFailing: true, lastAt: T0 };
  await alerts.save(await alert);
  t.equal((await alerts.find(AGENT, 'check', 'web'))!.announcedAt, T0);
  await store.unitOfWork(() => store.outbox.withdrawPendingCheckNotices(AGENT, 'hostDown')); // no notice in the outbox: un-announced
  t.equal((await alerts.find(AGENT, 'check', 'web'))!.announcedAt, null, 'the cached alert was read again');
});

t.test('a missing alert is remembered as missing until created; an unknown id has nothing to save to', async (t) => {
  const { store } = await open(dataDir(t), true);
  t.teardown(() => store.close());
  const alerts = store.alerts;
  t.equal(await alerts.find(AGENT, 'hostDown', ''), undefined);
  const client = await store.ensureClient('acme', T0);
  const created = await alerts.alertFor({ clientId: client.id, agentId: AGENT, kind: 'hostDown', subject: '', checkKind: null }, INITIAL_MEMORY, T0);
  t.equal((await alerts.find(AGENT, 'hostDown', ''))?.id, created.id, 'found once created');
  await t.rejects(async () => alerts.save({ ...created, id: created.id + 1000, memory: { ...created.memory, state: 'FIRING', severity: 'CRIT' } }), /has no row to save to/);
});
