/**
 * Why a check's notices are held back (maintenance, silence, agent silent, host down) is looked up only when the
 * observation needs it: a transition to record, or an alert that is FIRING or FLAPPING (alerting/engine.ts, issue 18).
 * A passing result of a quiet check asks nothing; a failing one inside maintenance is still held back.
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { openTestStore } from '../helpers/test-store.ts';
import { AlertEngine } from '../../src/alerting/engine.ts';
import { alertSettingsFrom } from '../../src/alerting/settings.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { result } from '../helpers/collector.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const SEC = 1_000;

const at = (seq: number, status: Status): Result => result(seq, { status, startedAt: T0 + seq * SEC, finishedAt: T0 + seq * SEC + 5, message: `${status} ${seq}` });

t.test('passing results of a quiet check ask for no hold reason; failing ones in maintenance are held', async (t) => {
  const store = (await openTestStore(t, undefined, { now: T0 }))!;
  const client = await store.ensureClient('acme', T0);
  await store.createEnrollToken(hashSecret('token'), client.id, T0, T0 + 60 * SEC);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, T0);
  const asked: number[] = [];
  // Maintenance from 20 s on: the failing results below fall inside it.
  const maintenance = async ({ at: when }: { at: number }) => (asked.push(when), when >= T0 + 20 * SEC);
  const engine = new AlertEngine(store, () => T0 + 3_600 * SEC, alertSettingsFrom({ failuresToFire: 2, budgetThresholds: [] }), maintenance);

  await store.insertResults(AGENT, [1, 2, 3, 4, 5].map((n) => at(n, 'OK')), T0 + 10 * SEC);
  t.equal(await engine.evaluateStored(), 5);
  // The first result creates the alert in OK: no transition, nothing to hold.
  t.same(asked, [], 'no maintenance lookup for results that change nothing');

  await store.insertResults(AGENT, [21, 22, 23].map((n) => at(n, 'CRIT')), T0 + 30 * SEC);
  await engine.evaluateStored();
  t.ok(asked.length > 0, 'asked once something is to be recorded');
  t.ok(asked.every((when) => when >= T0 + 21 * SEC), 'asked with the failing results\' times');
  const alert = (await engine.alerts.find(AGENT, 'check', 'web'))!;
  t.equal(alert.state, 'FIRING');
  const transitions = await engine.alerts.transitions(alert.id);
  t.ok(transitions.length > 0, 'transitions recorded');
  t.ok(transitions.every((x) => x.held === 'maintenance'), `held back by the maintenance window: ${transitions.map((x) => `${x.event}:${x.held}`).join(', ')}`);
  t.equal(alert.announcedAt, null, 'not announced while held');
});
