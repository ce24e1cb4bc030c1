import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT, type AlertingRig } from '../notify/helpers/alerting.ts';
import { availabilityFor } from '../../src/availability/index.ts';
import { budgetCrossings } from '../../src/alerting/budget.ts';
import type { ReceivedMail } from '../notify/helpers/smtp.ts';

const mailsTo = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));
const budgetMails = (rig: AlertingRig, address: string) =>
  mailsTo(rig.smtp.mails, address).filter((m) => /error budget|Ausfallzeit|Fehlerbudget|downtime/i.test(m.subject + m.text));


t.test('budget crossings: each threshold passed, WARN below 100 %, CRIT from 100 % (the target is missed)', async (t) => {
  const budget = { targetPpm: 999_000, allowedMs: 0, spentMs: 30 * 60_000, remainingMs: 0, windowBudgetMs: 44.64 * 60_000, windowRemainingMs: 14.64 * 60_000, elapsedBudgetMs: 0, burnRate: null };
  const crossed = budgetCrossings('2025-01', budget, '99.930', [50, 100]);
  t.same(crossed.map((c) => [c.subject, c.severity]), [['2025-01:50', 'WARN']]);
  t.match(crossed[0]!.message, /^67 % of the 2025-01 error budget spent \(threshold 50 %\): 30 of 44.6 min allowed for 99.9 %, availability so far 99.930 %$/);
  t.same(budgetCrossings('2025-01', { ...budget, spentMs: 45 * 60_000 }, null, [50, 100]).map((c) => c.severity), ['WARN', 'CRIT']);
  t.same(budgetCrossings('2025-01', { ...budget, windowBudgetMs: 0 }, null, [50, 100]), [], 'a 100 % target has no budget to burn');
});

t.test("half the month's budget spent: one mail per recipient, once; all of it: one more; quietly resolved next month", async (t) => {
  // failuresToFire is high so that the down check raises no check alert here: only budget mails go out.
  const rig = await alertingRig({ alerting: { failuresToFire: 1000, budgetEvery: '5m' } });
  t.teardown(rig.close);
  const clientId = (await rig.c.store.getAgent(rig.agentId))!.clientId;
  const down = { checkId: 'db', kind: 'tcp', name: 'Datenbank', message: 'connection refused' };
  await rig.feed(['OK'], down);
  await rig.feed(Array(20).fill('CRIT'), down);
  await rig.step(5 * 60_000);
  const early = await availabilityFor(rig.c.store, 'client', String(clientId), 'month', rig.now());
  t.ok(early.budget.spentMs < early.budget.windowBudgetMs / 2, `20 min of ${Math.round(early.budget.windowBudgetMs / 60_000)} allowed: under half`);
  t.equal(budgetMails(rig, CONSULTANT.email).length, 0, 'no mail below the threshold');

  await rig.feed(Array(6).fill('CRIT'), down);
  await rig.step(5 * 60_000);
  await rig.step(60_000);
  const consultant = budgetMails(rig, CONSULTANT.email);
  const client = budgetMails(rig, CLIENT_CONTACT.email);
  t.equal(consultant.length, 1, 'the consultant is told once');
  t.equal(client.length, 1, 'the client contact is told once');
  t.match(consultant[0]!.subject, /^\[WARN\] acme · all hosts · error budget: \d+ % of the 2025-01 error budget spent \(threshold 50 %\)/);
  t.match(consultant[0]!.text, /Host: all hosts/);
  t.match(consultant[0]!.text, /Metrics: spent_ms=\d+, budget_ms=2678400, threshold_pct=50/, '44.64 min allowed in January at 99.9 %');
  t.match(client[0]!.text, /In diesem Monat sind bisher 2\d Minuten Ausfallzeit zusammengekommen\. Bei der vereinbarten Verfügbarkeit von 99,9 % sind im ganzen Monat 44 Minuten erlaubt – davon sind jetzt 5\d % verbraucht\. Die Zusage gilt weiterhin/);
  t.notMatch(client[0]!.text, /WARN|budget_ms|threshold/, 'nothing technical for the client');

  await rig.feed(Array(5).fill('CRIT'), down);
  await rig.step(5 * 60_000);
  await rig.step(60_000);
  t.equal(budgetMails(rig, CONSULTANT.email).length, 1, 'passing 50 % again later in the month is not told again');

  await rig.feed(Array(16).fill('CRIT'), down);
  await rig.step(5 * 60_000);
  await rig.step(60_000);
  const missed = budgetMails(rig, CLIENT_CONTACT.email);
  t.equal(missed.length, 2, 'all of the budget spent: one more mail');
  t.equal(missed[1]!.subject, 'Verfügbarkeitszusage diesen Monat nicht erreicht');
  t.match(missed[1]!.text, /Die Zusage von 99,9 % wird in diesem Monat daher nicht erreicht\./);
  t.match(budgetMails(rig, CONSULTANT.email)[1]!.subject, /^\[CRIT\] acme · all hosts · error budget: 1\d\d % of the 2025-01 error budget spent \(threshold 100 %\)/);
  const alerts = async () => (await rig.service.engine.alerts.list()).filter((a) => a.kind === 'budget');
  t.same((await alerts()).map((a) => [a.subject, a.state, a.agentId]).sort(), [['2025-01:100', 'FIRING', ''], ['2025-01:50', 'FIRING', '']], 'one alert per threshold, about the client (no agent)');

  // Into February (Berlin): the January alerts resolve without mail, and the new month starts with a new budget.
  const mailsBefore = rig.smtp.mails.length;
  await rig.feed(['OK'], down);
  await rig.step(Date.UTC(2025, 0, 31, 23, 30) - rig.now(), { heard: true });
  await rig.feed(['OK'], down);
  await rig.step(5 * 60_000);
  await rig.step(60_000);
  t.same((await alerts()).map((a) => a.state), ['OK', 'OK'], 'resolved at the start of the next month');
  t.equal(rig.smtp.mails.length, mailsBefore, 'a new month is nothing to mail about');
  t.match((await rig.service.engine.alerts.transitions((await alerts())[0]!.id)).at(-1), { event: 'resolved', held: 'monthEnded' });
});

t.test('budgetThresholds: [] turns budget alerts off', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1000, budgetThresholds: [] } });
  t.teardown(rig.close);
  await rig.feed(Array(50).fill('CRIT'), { checkId: 'db', kind: 'tcp' });
  await rig.step(5 * 60_000);
  t.same((await rig.service.engine.alerts.list()).filter((a) => a.kind === 'budget'), []);
});
