/**
 * The alert engine over each store (helpers/test-store.ts): the same stored results give the same alert states,
 * transitions, notices and cursors on SQLite and on PostgreSQL, where the alerts repository keeps no cache and
 * writes every save (store/postgres/alerts.ts).
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { AlertEngine } from '../../src/alerting/engine.ts';
import { alertSettingsFrom } from '../../src/alerting/settings.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { bothStores } from '../helpers/test-store.ts';
import { result } from '../helpers/collector.ts';
import type { Store } from '../../src/store/store.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const SEC = 1_000;
const NOW = T0 + 3_600 * SEC;

const at = (seq: number, status: Status, startedAt: number, checkId = 'web'): Result =>
  result(seq, { checkId, status, startedAt, finishedAt: startedAt + 5, message: `${checkId} ${status} at ${startedAt - T0}` });

async function world(store: Store) {
  const client = await store.ensureClient('acme', T0);
  await store.createEnrollToken(hashSecret('token'), client.id, T0, T0 + 60 * SEC);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
  const karin = await store.recipients.upsert({
    clientId: null, name: 'Karin', channel: 'email', address: 'karin@consult.example', target: { address: 'karin@consult.example' }, audience: 'technical',
    language: 'en', timezone: 'UTC', quietHours: null, minSeverity: 'WARN', reminders: true, resolved: true, escalationOnly: false, reports: false, enabled: true,
  }, T0);
  const engine = new AlertEngine(store, () => NOW, alertSettingsFrom({ failuresToFire: 2, budgetThresholds: [] }));
  return { clientId: client.id, karin, engine };
}

bothStores(t, 'a check fires and resolves; a late result is ignored; notices are queued once and gathered', async (t, store) => {
  const { karin, engine } = await world(store);
  await store.insertResults(AGENT, [
    at(1, 'OK', T0 + 1 * SEC), at(2, 'OK', T0 + 2 * SEC), at(3, 'CRIT', T0 + 3 * SEC), at(4, 'CRIT', T0 + 4 * SEC),
    at(5, 'OK', T0 + 2.5 * SEC), // late: older than the newest seen, so ignored
    at(6, 'CRIT', T0 + 5 * SEC), at(7, 'OK', T0 + 6 * SEC), at(8, 'OK', T0 + 7 * SEC),
  ], T0 + 10 * SEC);
  t.equal(await engine.evaluateStored(), 8);
  t.equal(await engine.evaluateStored(), 0, 'caught up: nothing evaluated twice');
  t.equal(await store.alertResults.agentBehind(AGENT), undefined);
  const alert = (await store.alerts.find(AGENT, 'check', 'web'))!;
  t.match(alert, { state: 'OK', incident: 1, announcedAt: null, checkKind: 'http', message: `web OK at ${7 * SEC}`, memory: { lastAt: T0 + 7 * SEC, failures: 0 } });
  t.strictSame((await store.alerts.transitions(alert.id)).map((x) => [x.event, x.from, x.to, x.at, x.held]), [
    ['firing', 'PENDING', 'FIRING', T0 + 4 * SEC, null],
    ['resolved', 'RESOLVING', 'OK', T0 + 7 * SEC, null],
  ]);
  t.strictSame(await store.outbox.recipientsToldAbout(alert.id, 1), [karin]);
  // Due at the end of the grouping window after the evaluation.
  t.strictSame(await store.outbox.formDigests(NOW + 29_999, 0, () => '<never>'), [], 'not due inside the window');
  const digests = await store.outbox.formDigests(NOW + 30_000, 30_000, (d) => `<${d.id}@example.org>`);
  t.equal(digests.length, 1, 'both notices in one digest');
  t.strictSame((await store.outbox.entries(digests[0]!)).map((e) => [e.event, e.result?.status, e.incidentAt]), [['firing', 'CRIT', T0 + 4 * SEC], ['resolved', 'OK', T0 + 4 * SEC]]);
});

bothStores(t, 'a host with every critical check down: one host-down alert, the check notices withdrawn and held; acknowledge and silence are saved', async (t, store) => {
  const { engine } = await world(store);
  await store.availability.setCheckRole(AGENT, 'web', { critical: true, weight: 1 });
  await store.availability.setCheckRole(AGENT, 'db', { critical: true, weight: 1 });
  await store.insertResults(AGENT, [
    at(1, 'CRIT', T0 + 1 * SEC), at(2, 'CRIT', T0 + 1 * SEC, 'db'), at(3, 'CRIT', T0 + 2 * SEC), at(4, 'CRIT', T0 + 2 * SEC, 'db'),
  ], T0 + 10 * SEC);
  await engine.evaluateStored();
  const host = (await store.alerts.find(AGENT, 'hostDown', ''))!;
  t.match(host, { state: 'FIRING', metrics: { critical_checks: 2 } });
  t.match(host.message, /all 2 critical check\(s\) down: (db, web|web, db)/);
  const checks = await store.alerts.checkAlertsOf(AGENT);
  t.strictSame([...checks.keys()].sort(), ['db', 'web']);
  for (const [id, alert] of checks) {
    t.equal(alert.state, 'FIRING', `${id} fires`);
    const held = (await store.alerts.transitions(alert.id)).map((x) => x.held);
    t.ok(held.length > 0 && held.every((h) => h === 'hostDown'), `${id}: told as the host, not as itself (${held.join(', ')})`);
  }
  t.strictSame((await store.outbox.stats()).waitingNotices, 1, 'only the host-down notice waits');

  const acked = (await engine.acknowledge(host.id, 'Karin'))!;
  t.match(await store.alerts.get(host.id), { ackedAt: NOW, ackedBy: 'Karin' });
  t.equal(acked.ackedBy, 'Karin');
  await engine.silence(host.id, NOW + 60 * SEC);
  t.equal((await store.alerts.get(host.id))!.silencedUntil, NOW + 60 * SEC);
  t.strictSame(await store.alerts.countByState(), new Map([['FIRING', 3]]));
});

bothStores(t, 'time-driven work: an announced alert escalates and reminds once each when due, not again before the next reminder; an acknowledged one stays quiet', async (t, store) => {
  const { clientId } = await world(store);
  let now = NOW;
  const engine = new AlertEngine(store, () => now, alertSettingsFrom({ failuresToFire: 2, budgetThresholds: [] }));
  await store.insertResults(AGENT, [at(1, 'CRIT', T0 + 1 * SEC), at(2, 'CRIT', T0 + 2 * SEC), at(3, 'CRIT', T0 + 2 * SEC, 'db'), at(4, 'CRIT', T0 + 3 * SEC, 'db')], T0 + 10 * SEC);
  await engine.evaluateStored();
  const web = (await store.alerts.find(AGENT, 'check', 'web'))!;
  const db = (await store.alerts.find(AGENT, 'check', 'db'))!;
  t.match(web, { state: 'FIRING', announcedAt: NOW, clientId });
  await engine.acknowledge(db.id, 'Karin');
  await engine.tick(now + 30 * 60_000);
  t.strictSame((await store.alerts.transitions(web.id)).map((x) => x.event), ['firing'], 'nothing due after half an hour');
  now = NOW + 5 * 3_600_000;
  await engine.tick(now);
  await engine.tick(now + 1);
  const escalatedAt = now;
  t.strictSame((await store.alerts.transitions(web.id)).map((x) => [x.event, x.at]), [['firing', T0 + 2 * SEC], ['escalation', escalatedAt]],
    'escalated once; the escalation is a notice, so no reminder is due yet');
  t.match(await store.alerts.get(web.id), { escalated: true, lastNoticeAt: escalatedAt });
  now = escalatedAt + 4 * 3_600_000;
  await engine.tick(now);
  await engine.tick(now + 1);
  t.strictSame((await store.alerts.transitions(web.id)).map((x) => [x.event, x.at]), [['firing', T0 + 2 * SEC], ['escalation', escalatedAt], ['reminder', now]],
    'reminded once, four hours after the last notice');
  t.strictSame((await store.alerts.transitions(db.id)).map((x) => x.event), ['firing'], 'acknowledged: no reminder, no escalation');
  t.strictSame((await store.alerts.announcedActive()).map((a) => a.id).sort((a, b) => a - b), [web.id, db.id].sort((a, b) => a - b));
  t.strictSame((await store.outbox.stats()).waitingNotices, 3, 'the two firing notices and the reminder (nobody here takes escalations only)');
});
