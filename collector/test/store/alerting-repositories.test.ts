import t, { type Test } from 'tap';
import type { Status } from '@nines/shared';
import type { Store } from '../../src/store/store.ts';
import type { RecipientFields } from '../../src/store/recipients.ts';
import { INITIAL_MEMORY, type AlertMemory } from '../../src/alerting/state-machine.ts';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';
import { bothStores, postgresTestDatabase, type StoreKind } from '../helpers/test-store.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';

// The alerting repositories' contract, through the Store interface only: every test runs on SQLite and on a fresh
// PostgreSQL database with the same assertions (helpers/test-store.ts). Times are fixed numbers, not today's date.

const AGENT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const MIN = 60_000;

interface World {
  store: Store;
  clientId: number;
  kind: StoreKind;
}

/** Runs `body` on each store kind, with client acme and its agent enrolled. */
function contract(name: string, body: (t: Test, world: World) => Promise<void>): void {
  bothStores(t, name, async (t, store, kind) => {
    const client = await store.ensureClient('acme', T0);
    await store.createEnrollToken(hashSecret('token'), client.id, T0, T0 + MIN);
    await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc-empfang', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
    await body(t, { store, clientId: client.id, kind });
  }, { now: T0 });
}

const mail = (address: string) => ({ channel: 'email', address, target: { address } });
const recipient = (overrides: Partial<RecipientFields> = {}): RecipientFields => ({
  clientId: null, name: 'Karin', ...mail('karin@consult.example'), audience: 'technical', language: 'en', timezone: 'Europe/Berlin', quietHours: null,
  minSeverity: 'WARN', reminders: true, resolved: true, escalationOnly: false, reports: false, enabled: true, ...overrides,
});

const firing: AlertMemory = { ...INITIAL_MEMORY, state: 'FIRING', severity: 'CRIT', failures: 3, lastFailing: true, lastAt: T0 };

contract(`an alert is created once, in its initial memory, and saved field by field`, async (t, { store, clientId }) => {
  const key = { clientId, agentId: AGENT, kind: 'check' as const, subject: 'web', checkKind: 'http' };
  const alert = await store.alerts.alertFor(key, INITIAL_MEMORY, T0);
  t.match(alert, { clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: 'http', state: 'OK', incident: 0, announcedAt: null, escalated: false });
  t.same(alert.memory, INITIAL_MEMORY);
  t.equal((await store.alerts.alertFor(key, firing, T0 + 1)).id, alert.id, 'the second call finds it; the initial memory is not applied again');
  Object.assign(alert, {
    memory: firing, message: 'connection refused', metrics: { latency_ms: 7 }, incident: 1, announcedAt: T0, lastNoticeAt: T0, escalated: true,
    ackedAt: T0 + 2, ackedBy: 'Karin', silencedUntil: T0 + 3, updatedAt: T0 + 4,
  });
  await store.alerts.save(alert);
  t.same(await store.alerts.get(alert.id), { ...alert, state: 'FIRING', severity: 'CRIT' }, 'state and severity follow the memory');
  t.same(await store.alerts.find(AGENT, 'check', 'web'), await store.alerts.get(alert.id));
  t.equal(await store.alerts.find(AGENT, 'check', 'db'), undefined);
  t.equal(await store.alerts.get(alert.id + 1000), undefined);
  t.same([...(await store.alerts.checkAlertsOf(AGENT)).keys()], ['web']);
  t.same((await store.alerts.activeOfKind('check')).map((a) => a.id), [alert.id]);
  t.same((await store.alerts.announcedActive()).map((a) => a.id), [alert.id]);
  t.same(await store.alerts.countByState(), new Map([['FIRING', 1]]));
  t.match(await store.alerts.describe(alert.id), { checkName: 'web', agentName: 'pc-empfang', clientName: 'acme', incidentSince: null });
  t.equal(await store.alerts.describe(alert.id + 1000), undefined);
});

contract(`the critical check alerts of an agent are those of its checks designated critical, and only those`, async (t, { store, clientId }) => {
  for (const subject of ['web', 'db', 'mail']) await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject, checkKind: null }, INITIAL_MEMORY, T0);
  t.same([...(await store.alerts.criticalCheckAlertsOf(AGENT)).keys()], [], 'none designated: none');
  await store.availability.setCheckRole(AGENT, 'web', { critical: true, weight: 1 });
  await store.availability.setCheckRole(AGENT, 'db', { critical: false, weight: 1 });
  await store.availability.setCheckRole(AGENT, 'backup', { critical: true, weight: 1 });
  const critical = await store.alerts.criticalCheckAlertsOf(AGENT);
  t.same([...critical.keys()], ['web'], 'a check designated not critical is left out; a critical check without an alert has no entry');
  t.same(critical.get('web'), await store.alerts.find(AGENT, 'check', 'web'));
  t.same([...(await store.alerts.criticalCheckAlertsOf('99999999-2222-3333-4444-555555555555')).keys()], []);
});

contract(`list filters by state and client; client-level alerts have no agent`, async (t, { store, clientId }) => {
  const other = (await store.ensureClient('bakery', T0)).id;
  const check = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: null }, INITIAL_MEMORY, T0);
  t.notOk(await store.alerts.hasClientAlert(other, 'budget', '2026-03:50'));
  const budget = await store.alerts.clientAlertFor({ clientId: other, kind: 'budget', subject: '2026-03:50' }, INITIAL_MEMORY, T0 + 1);
  t.match(budget, { clientId: other, agentId: '', kind: 'budget', subject: '2026-03:50' });
  t.ok(await store.alerts.hasClientAlert(other, 'budget', '2026-03:50'));
  t.notOk(await store.alerts.hasClientAlert(clientId, 'budget', '2026-03:50'), 'per client');
  t.equal((await store.alerts.clientAlertFor({ clientId: other, kind: 'budget', subject: '2026-03:50' }, firing, T0 + 2)).id, budget.id);
  await store.alerts.save({ ...budget, memory: firing, updatedAt: T0 + 5 });
  t.same((await store.alerts.list()).map((a) => a.id), [budget.id, check.id], 'newest change first');
  t.same((await store.alerts.list({ activeOnly: true })).map((a) => a.id), [budget.id]);
  t.same((await store.alerts.list({ clientIds: new Set([clientId]) })).map((a) => a.id), [check.id]);
  t.same(await store.alerts.list({ clientIds: new Set() }), []);
});

contract(`transitions keep their order; a unit of work that throws leaves nothing behind`, async (t, { store, clientId }) => {
  const r = await store.recipients.upsert(recipient(), T0);
  const alert = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: null }, INITIAL_MEMORY, T0);
  const transition = (at: number) => ({ alertId: alert.id, incident: 1, event: 'firing' as const, from: 'PENDING' as const, to: 'FIRING' as const, severity: 'CRIT' as const, message: 'down', at, held: null });
  const first = await store.alerts.insertTransition({ ...transition(T0), code: 'http.refused', params: { port: 443 } });
  await t.rejects(
    () =>
      store.unitOfWork(async () => {
        await store.alerts.save({ ...alert, memory: firing, incident: 1 });
        const id = await store.alerts.insertTransition(transition(T0 + 1));
        await store.outbox.enqueue(id, r, T0 + 1, T0 + 1);
        await store.alertResults.setCursor(AGENT, 5, T0 + 1);
        await store.unitOfWork(() => store.agentSilences.open(AGENT, T0)); // a nested unit joins the outer one
        throw new Error('crash in the middle');
      }),
    /crash in the middle/,
  );
  t.equal((await store.alerts.get(alert.id))!.state, 'OK', 'the alert state is as before');
  t.same((await store.alerts.transitions(alert.id)).map((x) => x.id), [first], 'no transition from the failed unit');
  t.equal((await store.outbox.stats()).waitingNotices, 0, 'no outbox row');
  t.equal(await store.agentSilences.silentAt(AGENT, T0 + 1), false, 'no silence');
  await store.insertResults(AGENT, [result(1, { startedAt: T0 })], T0);
  t.same(await store.alertResults.agentBehind(AGENT), { agentId: AGENT, clientId, cursor: 0 }, 'the cursor did not move');

  const second = await store.unitOfWork(() => store.alerts.insertTransition(transition(T0 + 2)));
  t.same(await store.alerts.transitions(alert.id), [
    { id: first, alertId: alert.id, incident: 1, event: 'firing', from: 'PENDING', to: 'FIRING', severity: 'CRIT', message: 'down', at: T0, held: null },
    { id: second, alertId: alert.id, incident: 1, event: 'firing', from: 'PENDING', to: 'FIRING', severity: 'CRIT', message: 'down', at: T0 + 2, held: null },
  ]);
  t.same(await store.alerts.transitions(alert.id + 1000), []);
});

contract(`recipients are keyed by client, channel and address; removing one that was mailed only disables it`, async (t, { store, clientId }) => {
  const consultant = await store.recipients.upsert(recipient(), T0);
  t.equal(await store.recipients.upsert(recipient({ name: 'Karin Berger', quietHours: { from: '22:00', to: '07:00' } }), T0 + 1), consultant, 'same key, same id');
  t.match(await store.recipients.get(consultant), { name: 'Karin Berger', quietHours: { from: '22:00', to: '07:00' }, enabled: true });
  const contact = await store.recipients.upsert(recipient({ clientId, name: 'Huber', ...mail('karin@consult.example'), audience: 'plain', reminders: false }), T0);
  t.not(contact, consultant, 'the same address for a client is another recipient');
  const push = await store.recipients.upsert(recipient({ channel: 'ntfy', address: 'https://ntfy.sh/karin', target: { topic: 'karin', priority: 5 } }), T0);
  t.not(push, consultant, 'another channel is another contact point of the same person');
  t.same((await store.recipients.get(push))!.target, { topic: 'karin', priority: 5 }, 'the target comes back whole');
  t.ok(await store.recipients.remove(push));
  const other = await store.recipients.upsert(recipient({ clientId: (await store.ensureClient('bakery', T0)).id, ...mail('anna@bakery.example') }), T0);
  t.same((await store.recipients.list()).map((x) => x.id), [consultant, contact, other], 'all-clients first, then by client');
  t.same((await store.recipients.forClient(clientId)).map((x) => x.id), [consultant, contact], "the client's own and the all-clients ones");

  const alert = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: null }, INITIAL_MEMORY, T0);
  const tid = await store.alerts.insertTransition({ alertId: alert.id, incident: 1, event: 'firing', from: 'OK', to: 'FIRING', severity: 'CRIT', message: 'down', at: T0, held: null });
  await store.outbox.enqueue(tid, contact, T0, T0);
  t.ok(await store.recipients.remove(contact));
  t.equal((await store.recipients.get(contact))!.enabled, false, 'kept, disabled: the outbox refers to it');
  t.same((await store.recipients.forClient(clientId)).map((x) => x.id), [consultant], 'a disabled recipient is told nothing');
  t.ok(await store.recipients.remove(other));
  t.equal(await store.recipients.get(other), undefined, 'never mailed: deleted');
  t.notOk(await store.recipients.remove(other), 'false when there is none');
});

contract(`a bad contact point is refused with the field at fault and stores nothing`, async (t, { store }) => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ channel: 'carrier-pigeon', target: { loft: 1 } }, /unknown channel "carrier-pigeon" \(known: email/],
    [{ email: 'x@example.org', channel: 'ntfy', target: {} }, /either email or channel with target, not both/],
    [{ email: 'x@example.org', target: { address: 'y@example.org' } }, /either email or channel with target, not both/],
    [{}, /needs email, or channel with target/],
    [{ channel: 'email' }, /channel email needs a target/],
    [{ channel: 'email', target: { address: 'not-an-address' } }, /bad email target: \/address: /],
    [{ channel: 'email', target: { address: 'x@example.org', cc: 'y@example.org' } }, /bad email target: \/cc: unknown key/],
  ];
  for (const [contact, message] of bad) {
    await t.rejects(() => upsertRecipient(store.recipients, { name: 'X', audience: 'plain', clientId: null, ...contact }, T0), { message }, JSON.stringify(contact));
  }
  t.same(await store.recipients.list(), [], 'nothing stored');
  const id = await upsertRecipient(store.recipients, { name: 'X', audience: 'plain', clientId: null, channel: 'email', target: { address: 'x@example.org' } }, T0);
  t.equal(await upsertRecipient(store.recipients, { name: 'X', audience: 'plain', clientId: null, email: 'X@example.org' }, T0), id, 'the shorthand names the same contact point');
});

contract(`an unknown time zone is refused and stores nothing`, async (t, { store }) => {
  await t.rejects(() => upsertRecipient(store.recipients, { name: 'X', email: 'x@example.org', audience: 'plain', timezone: 'Mars/Olympus_Mons', clientId: null }, T0), {
    message: /unknown time zone "Mars\/Olympus_Mons"/,
  });
  t.same(await store.recipients.list(), []);
  const id = await upsertRecipient(store.recipients, { name: 'X', email: 'X@Example.org', audience: 'plain', clientId: null }, T0);
  t.match(await store.recipients.get(id), { channel: 'email', address: 'x@example.org', language: 'de', timezone: 'Europe/Berlin', minSeverity: 'WARN', reminders: true, escalationOnly: false }, 'defaults filled in');
});

contract(`the outbox gathers due notices into threaded digests, retries, gives up, and counts`, async (t, { store, clientId }) => {
  const r = await store.recipients.upsert(recipient(), T0);
  const alert = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: 'http' }, INITIAL_MEMORY, T0);
  const insert = (at: number, incident = 1) =>
    store.alerts.insertTransition({ alertId: alert.id, incident, event: 'firing', from: 'OK', to: 'FIRING', severity: 'CRIT', message: `down at ${at}`, at, held: null });
  const t1 = await insert(T0);
  await store.outbox.enqueue(t1, r, T0, T0 + MIN);
  await store.outbox.enqueue(t1, r, T0, T0 + MIN); // once per transition and recipient
  const t2 = await insert(T0 + 30_000);
  await store.outbox.enqueue(t2, r, T0, T0 + MIN + 20_000); // due within one more window: joins the digest
  const t3 = await insert(T0 + 40_000, 2);
  await store.outbox.enqueue(t3, r, T0, T0 + 10 * MIN); // later: the next digest
  t.same(await store.outbox.recipientsToldAbout(alert.id, 1), [r]);
  t.same(await store.outbox.recipientsToldAbout(alert.id, 3), []);
  t.match(await store.outbox.stats(), { waitingNotices: 3, pendingDigests: 0, failedDigests: 0, oldestPendingAt: null, lastSentAt: null });

  const name = (d: { id: number; recipientId: number }) => `<test.${d.id}.${d.recipientId}@example.org>`;
  t.same(await store.outbox.formDigests(T0 + MIN - 1, 30_000, name), [], 'nothing due yet');
  const [digest, ...more] = await store.outbox.formDigests(T0 + MIN, 30_000, name);
  t.same(more, []);
  t.same((await store.outbox.entries(digest!)).map((e) => e.transitionId), [t1, t2]);
  t.match((await store.outbox.entries(digest!))[0], {
    event: 'firing', message: `down at ${T0}`, alertKind: 'check', checkId: 'web', agentId: AGENT, agentName: 'pc-empfang', clientName: 'acme', result: null, incidentAt: T0,
  });
  t.same(await store.outbox.dueDigests(T0 + MIN), [{ id: digest, recipientId: r, messageId: `<test.${digest}.${r}@example.org>`, inReplyTo: null, attempts: 0, createdAt: T0 + MIN }]);

  await store.outbox.markFailed(digest!, 'x'.repeat(2000), T0 + MIN, T0 + 2 * MIN);
  t.same(await store.outbox.dueDigests(T0 + 2 * MIN - 1), [], 'not due before its retry time');
  t.match(await store.outbox.dueDigests(T0 + 2 * MIN), [{ id: digest, attempts: 1 }]);
  await store.outbox.markSent(digest!, T0 + 2 * MIN);
  t.same(await store.outbox.dueDigests(T0 + 3 * MIN), [], 'sent: never due again');

  const [next] = await store.outbox.formDigests(T0 + 10 * MIN, 30_000, name);
  t.match(await store.outbox.dueDigests(T0 + 10 * MIN), [{ id: next, inReplyTo: null }], 'another incident starts its own thread');
  await store.outbox.markFailed(next!, 'smtp down', T0 + 10 * MIN, null);
  t.same(await store.outbox.dueDigests(T0 + 11 * MIN), [], 'given up');
  t.match(await store.outbox.stats(), { waitingNotices: 0, pendingDigests: 0, failedDigests: 1, lastSentAt: T0 + 2 * MIN });

  const t4 = await insert(T0 + 20 * MIN, 2);
  await store.outbox.enqueue(t4, r, T0 + 20 * MIN, T0 + 20 * MIN);
  const [third] = await store.outbox.formDigests(T0 + 20 * MIN, 30_000, name);
  t.match(await store.outbox.dueDigests(T0 + 20 * MIN), [{ id: third, inReplyTo: `<test.${next}.${r}@example.org>` }], 'the same incident answers its first mail');
});

contract(`withdrawing an agent's pending check notices marks them held and unannounces their alerts`, async (t, { store, clientId }) => {
  const r = await store.recipients.upsert(recipient(), T0);
  const web = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: null }, INITIAL_MEMORY, T0);
  await store.alerts.save({ ...web, memory: firing, incident: 1, announcedAt: T0 });
  const tid = await store.alerts.insertTransition({ alertId: web.id, incident: 1, event: 'firing', from: 'OK', to: 'FIRING', severity: 'CRIT', message: 'down', at: T0, held: null });
  await store.outbox.enqueue(tid, r, T0, T0 + MIN);
  t.equal(await store.outbox.withdrawPendingCheckNotices(AGENT, 'hostDown'), 1);
  t.equal((await store.alerts.transitions(web.id))[0]!.held, 'hostDown');
  t.equal((await store.alerts.get(web.id))!.announcedAt, null, 'nothing told about the incident: unannounced again');
  t.equal((await store.outbox.stats()).waitingNotices, 0);
  t.equal(await store.outbox.withdrawPendingCheckNotices(AGENT, 'hostDown'), 0, 'nothing left to withdraw');
});

contract(`cursors over stored results, and the history a notice quotes`, async (t, { store, clientId }) => {
  t.same(await store.alertResults.agentsBehind(), [], 'no results, nothing behind');
  const statuses: Status[] = ['OK', 'CRIT', 'OK', 'CRIT', 'CRIT', 'WARN'];
  await store.insertResults(AGENT, statuses.map((status, i) => result(i + 1, { status, startedAt: T0 + i * MIN, ...(status === 'OK' ? {} : { code: 'http.status', params: { status: 500 } }) })), T0);
  t.same(await store.alertResults.agentsBehind(), [{ agentId: AGENT, clientId, cursor: 0 }]);
  t.match(await store.alertResults.resultsAfter(AGENT, 2, 2), [
    { seq: 3, checkId: 'web', checkKind: 'http', status: 'OK', metrics: { latency_ms: 5 }, startedAt: T0 + 2 * MIN, code: null, params: null },
    { seq: 4, status: 'CRIT', code: 'http.status', params: { status: 500 } },
  ]);
  t.equal(await store.alertResults.lastSeq(AGENT), 6);
  t.equal(await store.alertResults.lastSeq('00000000-0000-0000-0000-000000000000'), 0);
  await store.alertResults.setCursor(AGENT, 4, T0);
  await store.alertResults.setCursor(AGENT, 2, T0); // never backwards
  t.same(await store.alertResults.agentBehind(AGENT), { agentId: AGENT, clientId, cursor: 4 });
  await store.alertResults.setCursor(AGENT, 6, T0);
  t.equal(await store.alertResults.agentBehind(AGENT), undefined, 'caught up');

  t.equal(await store.alertResults.failingRunStart(AGENT, 'web', T0 + 5 * MIN, 31 * 86_400_000), T0 + 3 * MIN, 'the run began after the last OK');
  t.equal(await store.alertResults.failingRunStart(AGENT, 'web', T0 + 5 * MIN, 90_000), T0 + 4 * MIN, 'looked back no further than asked');
  t.equal(await store.alertResults.failingRunStart(AGENT, 'web', T0, 31 * 86_400_000), null, 'no failure up to then');
  t.same(await store.alertResults.statusHistory(AGENT, 'web', T0, T0 + 4 * MIN), { before: 'OK', inside: ['CRIT', 'OK', 'CRIT', 'CRIT'] });
  t.same(await store.alertResults.statusHistory(AGENT, 'web', T0 - MIN, T0), { before: undefined, inside: ['OK'] });
});

contract(`agent silences open once, close, and answer "silent at"`, async (t, { store, clientId }) => {
  t.same(await store.agentSilences.candidates(), []);
  await store.agentSilences.open(AGENT, T0);
  await store.agentSilences.open(AGENT, T0); // once per start
  t.ok(await store.agentSilences.silentAt(AGENT, T0 + MIN), 'open: silent from its start on');
  t.notOk(await store.agentSilences.silentAt(AGENT, T0 - 1));
  await store.agentSilences.close(AGENT, T0 + 5 * MIN);
  t.notOk(await store.agentSilences.silentAt(AGENT, T0 + 5 * MIN), 'closed at its end');
  await store.agentSilences.open(AGENT, T0 + 10 * MIN);
  t.equal(await store.agentSilences.lastStartAtOrBefore(AGENT, T0 + 9 * MIN), T0);
  t.equal(await store.agentSilences.lastStartAtOrBefore(AGENT, T0 + 10 * MIN), T0 + 10 * MIN);
  t.equal(await store.agentSilences.lastStartAtOrBefore(AGENT, T0 - 1), null);
  const silent = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'agentSilent', subject: '', checkKind: null }, INITIAL_MEMORY, T0);
  await store.alerts.save({ ...silent, memory: firing });
  t.same(await store.agentSilences.candidates(), [{ agentId: AGENT, clientId, silentSince: null }], "an open 'agent silent' alert keeps the agent a candidate");
});

contract(`alerts: equal change times list by id, an empty count is an empty map, client-level lookups ignore agent alerts, figures keep their fractions`, async (t, { store, clientId }) => {
  t.strictSame(await store.alerts.countByState(), new Map(), 'no alerts: no states');
  t.strictSame(await store.alerts.list(), []);
  t.strictSame(await store.alerts.activeOfKind('check'), []);
  t.strictSame(await store.alerts.announcedActive(), []);
  t.strictSame(await store.alerts.checkAlertsOf(AGENT), new Map());
  const ids: number[] = [];
  for (const subject of ['web', 'db', 'mail']) ids.push((await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject, checkKind: null }, INITIAL_MEMORY, T0)).id);
  t.strictSame((await store.alerts.list()).map((a) => a.id), [...ids].sort((a, b) => a - b), 'the same updated_at: by id');
  const db = (await store.alerts.find(AGENT, 'check', 'db'))!;
  const memory: AlertMemory = { ...firing, changes: [T0 + 0.5, T0 + 1] };
  await store.alerts.save({ ...db, memory, metrics: { latency_ms: 12.75, loss: 0 }, updatedAt: T0 + 1 });
  const saved = (await store.alerts.get(db.id))!;
  t.strictSame(saved.metrics, { latency_ms: 12.75, loss: 0 }, 'fractions and zeros come back as they went');
  t.strictSame(saved.memory, memory);
  t.strictSame(saved.escalated, false);
  t.strictSame(saved.incident, 0);
  t.strictSame((await store.alerts.list()).map((a) => a.id)[0], db.id, 'the newest change first');
  t.strictSame((await store.alerts.activeOfKind('check')).map((a) => a.id), [db.id]);
  t.strictSame(await store.alerts.announcedActive(), [], 'firing but not announced');
  t.strictSame(await store.alerts.countByState(), new Map([['FIRING', 1], ['OK', 2]]));
  t.notOk(await store.alerts.hasClientAlert(clientId, 'check', 'web'), "an agent's alert is not a client-level one");
  t.equal(await store.alerts.find(AGENT, 'budget', 'web'), undefined);
  const silent = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'agentSilent', subject: '', checkKind: null }, INITIAL_MEMORY, T0);
  t.match(silent, { kind: 'agentSilent', subject: '', checkKind: null, severity: null, ackedBy: null });
  t.strictSame(await store.alerts.describe(silent.id), { checkName: '', agentName: 'pc-empfang', hostname: null, clientName: 'acme', incidentSince: null });
  await t.rejects(store.alerts.save({ ...silent, id: silent.id + 1000 }), /has no row to save to/, "an agent's alert without a row is an error");
  const budget = await store.alerts.clientAlertFor({ clientId, kind: 'budget', subject: '2026-03:50' }, INITIAL_MEMORY, T0);
  await store.alerts.save({ ...budget, id: budget.id + 1000 }); // a budget alert's save is not checked, as before
  t.strictSame([...(await store.alerts.checkAlertsOf(AGENT)).keys()].sort(), ['db', 'mail', 'web'], 'check alerts only');
});

contract(`report sends: claimed once per key with a fixed Message-ID, resends counted up, attempts and errors recorded`, async (t, { store, clientId }) => {
  const r = await store.recipients.upsert(recipient({ reports: true }), T0);
  const key = { clientId, period: '2026-02', recipientId: r, resend: 0 };
  t.strictSame(await store.reportSends.forPeriod(clientId, '2026-02'), []);
  t.equal(await store.reportSends.nextResend(clientId, '2026-02', r), 1, 'none yet: 1');
  const first = await store.reportSends.claim(key, '<a@example.org>', T0);
  t.strictSame(first, { id: first.id, clientId, period: '2026-02', recipientId: r, resend: 0, messageId: '<a@example.org>', renderedAt: T0, sentAt: null, attempts: 0, lastError: null });
  t.strictSame(await store.reportSends.claim(key, '<b@example.org>', T0 + 1), first, 'a second claim finds the row: same id, Message-ID and time');
  await store.reportSends.attempted(first.id);
  await store.reportSends.markFailed(first.id, 'é'.repeat(1500));
  await store.reportSends.attempted(first.id);
  await store.reportSends.markSent(first.id, T0 + 5);
  const resend = await store.reportSends.claim({ ...key, resend: await store.reportSends.nextResend(clientId, '2026-02', r) }, '<c@example.org>', T0 + 6);
  t.equal(resend.resend, 1);
  await store.reportSends.markFailed(resend.id, 'x'.repeat(1500));
  const rows = await store.reportSends.forPeriod(clientId, '2026-02');
  t.strictSame(rows.map((s) => [s.resend, s.attempts, s.sentAt, s.lastError?.length ?? null]), [[0, 2, T0 + 5, null], [1, 0, null, 1000]], 'oldest first; sent clears the error; errors cut to 1000');
  t.equal(await store.reportSends.nextResend(clientId, '2026-02', r), 2);
  t.strictSame(await store.reportSends.forPeriod(clientId, '2026'), [], 'another period');
});

contract(`the outbox: two digest passes at once put every notice into one digest, and no digest is left empty`, async (t, { store, clientId, kind }) => {
  const r = await store.recipients.upsert(recipient(), T0);
  const alert = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: 'http' }, INITIAL_MEMORY, T0);
  const tids: number[] = [];
  for (const at of [T0, T0 + 1]) {
    const tid = await store.alerts.insertTransition({ alertId: alert.id, incident: 1, event: 'firing', from: 'OK', to: 'FIRING', severity: 'CRIT', message: 'down', at, held: null });
    await store.outbox.enqueue(tid, r, T0, T0);
    tids.push(tid);
  }
  const name = (d: { id: number; recipientId: number }) => `<race.${d.id}.${d.recipientId}@example.org>`;
  let formed!: () => void;
  const holding = new Promise<void>((resolve) => (formed = resolve));
  let finish!: () => void;
  const finishing = new Promise<void>((resolve) => (finish = resolve));
  // The first pass's transaction stays open (another collector mid-pass) while the second runs.
  const first = store.unitOfWork(async () => {
    const ids = await store.outbox.formDigests(T0, 30_000, name);
    formed();
    await finishing;
    return ids;
  });
  await holding;
  const second = store.outbox.formDigests(T0, 30_000, name);
  if (kind === 'postgres') t.strictSame(await second, [], 'the rows the first pass holds are skipped, without waiting for them');
  finish();
  const ids = [...(await first), ...(await second)];
  t.equal(ids.length, 1, 'one digest in all');
  t.strictSame((await store.outbox.entries(ids[0]!)).map((e) => e.transitionId), tids);
  t.strictSame((await store.outbox.dueDigests(T0)).map((d) => d.id), ids, 'no empty digest beside it');
  t.match(await store.outbox.stats(), { pendingDigests: 1, waitingNotices: 0 });
});

contract(`the outbox: entries quote the newest result by then, withdrawals leave gathered notices alone, counts are numbers`, async (t, { store, clientId }) => {
  const karin = await store.recipients.upsert(recipient(), T0);
  const huber = await store.recipients.upsert(recipient({ clientId, name: 'Huber', ...mail('huber@acme.example') }), T0);
  await store.insertResults(AGENT, [
    result(1, { startedAt: T0 - 2 * MIN, status: 'CRIT', message: 'older', code: 'http.status', params: { status: 500 } }),
    result(2, { startedAt: T0 - MIN, status: 'CRIT', message: 'newest by then', metrics: { latency_ms: 0.5 } }),
    result(3, { startedAt: T0 + MIN, status: 'OK', message: 'later' }),
  ], T0 + MIN);
  const web = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'check', subject: 'web', checkKind: 'http' }, INITIAL_MEMORY, T0);
  await store.alerts.save({ ...web, memory: firing, incident: 1, announcedAt: T0 });
  const silent = await store.alerts.alertFor({ clientId, agentId: AGENT, kind: 'agentSilent', subject: '', checkKind: null }, INITIAL_MEMORY, T0);
  const transition = (alertId: number, at: number, extra = {}) =>
    store.alerts.insertTransition({ alertId, incident: 1, event: 'firing', from: 'OK', to: 'FIRING', severity: 'CRIT', message: 'down', at, held: null, ...extra });
  const coded = await transition(web.id, T0, { code: 'http.status', params: { status: 503 } });
  const uncoded = await transition(silent.id, T0 + 1, { params: { status: 1 } });
  await store.outbox.enqueue(coded, karin, T0, T0);
  await store.outbox.enqueue(uncoded, karin, T0, T0);
  const [digest] = await store.outbox.formDigests(T0, 0, (d) => `<e.${d.id}@example.org>`);
  const [checkEntry, agentEntry] = await store.outbox.entries(digest!);
  t.strictSame(checkEntry!.result, { status: 'CRIT', message: 'newest by then', metrics: { latency_ms: 0.5 }, code: null, params: null }, 'the newest result at or before the transition');
  t.strictSame([checkEntry!.code, checkEntry!.params, checkEntry!.checkName, checkEntry!.incidentAt], ['http.status', { status: 503 }, 'web', T0]);
  t.strictSame([agentEntry!.result, agentEntry!.code, agentEntry!.params, agentEntry!.checkId, agentEntry!.checkName], [null, null, null, '', ''],
    'no result for an agent alert; params without a code are not kept');

  // Withdrawal: a notice already gathered stays (and keeps the alert announced); pending ones for two recipients go.
  const later = await transition(web.id, T0 + 2);
  await store.outbox.enqueue(later, karin, T0 + 2, T0 + MIN);
  await store.outbox.enqueue(later, huber, T0 + 2, T0 + MIN);
  t.equal(await store.outbox.withdrawPendingCheckNotices(AGENT, 'hostDown'), 2, 'one row per recipient');
  t.strictSame((await store.alerts.transitions(web.id)).map((x) => [x.id, x.held]), [[coded, null], [later, 'hostDown']], 'only the withdrawn transition is held');
  t.equal((await store.alerts.get(web.id))!.announcedAt, T0, 'a notice of the incident is still queued: still announced');

  await store.outbox.markFailed(digest!, 'refused\u0000for good', T0 + 1, null);
  t.strictSame(await store.outbox.deliveryByRecipient(), [{ recipientId: karin, lastSentAt: null, lastError: (await store.outbox.deliveryByRecipient())[0]!.lastError, pending: 0, givenUp: 1 }]);
  t.match((await store.outbox.deliveryByRecipient())[0]!.lastError, /^refused.for good$/, 'the error is kept (a NUL may be replaced)');
  t.strictSame(await store.outbox.stats(), { pendingDigests: 0, waitingNotices: 0, failedDigests: 1, oldestPendingAt: null, lastSentAt: null }, 'numbers and NULLs, not strings');
  t.strictSame(await store.outbox.recipientsToldAbout(web.id, 1), [karin], 'the gathered notice; the withdrawn ones are gone');
});

contract(`alert results: several agents behind, in a stable order; a cursor set before any result`, async (t, { store, clientId }) => {
  const other = '99999999-2222-3333-4444-555555555555';
  await store.createEnrollToken(hashSecret('token2'), clientId, T0, T0 + MIN);
  await store.enrollAgent(hashSecret('token2'), { id: other, name: 'pc-2', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
  await store.insertResults(other, [result(1, { startedAt: T0 })], T0);
  await store.insertResults(AGENT, [result(1, { startedAt: T0 })], T0);
  const behind = await store.alertResults.agentsBehind();
  t.strictSame([...behind].sort((a, b) => (a.agentId < b.agentId ? -1 : 1)), [{ agentId: AGENT, clientId, cursor: 0 }, { agentId: other, clientId, cursor: 0 }]);
  t.strictSame(await store.alertResults.resultsAfter(AGENT, 1, 10), [], 'nothing after the last');
  await store.alertResults.setCursor(other, 1, T0);
  t.strictSame(await store.alertResults.agentsBehind(), [{ agentId: AGENT, clientId, cursor: 0 }]);
  t.equal(await store.alertResults.failingRunStart(AGENT, 'nope', T0, MIN), null, 'no results: null');
  t.strictSame(await store.alertResults.statusHistory(AGENT, 'nope', T0, T0 + MIN), { before: undefined, inside: [] });
});

t.test('[postgres] two collectors on one database: each reads what the other saved at once (no alert state is cached across units of work)', async (t) => {
  const url = await postgresTestDatabase(t);
  if (!url) return;
  const a = await PgStore.open(url, { now: T0 });
  t.teardown(() => a.close());
  const b = await PgStore.open(url, { now: T0 });
  t.teardown(() => b.close());
  const client = await a.ensureClient('acme', T0);
  await a.createEnrollToken(hashSecret('token'), client.id, T0, T0 + MIN);
  await a.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc-empfang', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
  const key = { clientId: client.id, agentId: AGENT, kind: 'check' as const, subject: 'web', checkKind: 'http' };
  const [first, second] = await Promise.all([a.alerts.alertFor(key, INITIAL_MEMORY, T0), b.alerts.alertFor(key, INITIAL_MEMORY, T0)]);
  t.equal(first.id, second.id, 'created at once by both: one alert');
  const seenByA = (await a.alerts.find(AGENT, 'check', 'web'))!;
  // A check alert that stays OK with only its counter, message and time changed: SQLite keeps such a save in memory.
  await b.alerts.save({ ...seenByA, memory: { ...seenByA.memory, successes: 1, lastAt: T0 + 5 }, message: 'HTTP 200', updatedAt: T0 + 5 });
  t.match(await a.alerts.find(AGENT, 'check', 'web'), { message: 'HTTP 200', updatedAt: T0 + 5, memory: { successes: 1, lastAt: T0 + 5 } }, "a reads b's quiet save");
  await a.unitOfWork(async () => {
    const alert = (await a.alerts.find(AGENT, 'check', 'web'))!;
    await a.alerts.save({ ...alert, ackedAt: T0 + 6, ackedBy: 'Karin' });
    t.equal((await b.alerts.get(alert.id))!.ackedBy, null, "b does not see a's save before a commits");
  });
  t.equal((await b.alerts.get(first.id))!.ackedBy, 'Karin', 'and sees it once committed');
  const budgets = await Promise.all([a, b].map((s) => s.alerts.clientAlertFor({ clientId: client.id, kind: 'budget', subject: '2026-03:50' }, INITIAL_MEMORY, T0)));
  t.equal(budgets[0]!.id, budgets[1]!.id, 'a client-level alert created at once by both: one');
  const r = await Promise.all([a, b].map((s) => s.recipients.upsert(recipient(), T0)));
  t.equal(r[0], r[1], 'a contact point seeded at once by both: one');
});
