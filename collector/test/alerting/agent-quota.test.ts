import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT } from '../notify/helpers/alerting.ts';
import { QUOTA_CALM_MS } from '../../src/alerting/engine.ts';

t.test('an agent over its quota: one mail to the consultant only, none for further refusals, resolved after an hour of calm', async (t) => {
  const rig = await alertingRig({ alerting: { groupWindow: '5m', budgetThresholds: [] } });
  t.teardown(rig.close);
  const { events, store } = rig.c.app.nines;
  const clientId = (await store.getAgent(rig.agentId))!.clientId;
  const refuse = () => events.emit('agentOverQuota', { agentId: rig.agentId, clientId, limit: 'maxChecksPerAgent', reason: 'more than 200 distinct checks', at: rig.now() });
  refuse();
  await rig.step(6 * 60_000);
  const toConsultant = () => rig.smtp.mails.filter((m) => m.to.includes(CONSULTANT.email));
  t.equal(toConsultant().length, 1, 'the consultant is told');
  t.match(toConsultant()[0]!.subject, /agent over its quota/);
  t.match(toConsultant()[0]!.text, /agent exceeds its quota \(maxChecksPerAgent\): more than 200 distinct checks/);
  t.equal(rig.smtp.mails.filter((m) => m.to.includes(CLIENT_CONTACT.email)).length, 0, 'the client is not');

  for (let i = 0; i < 5; i++) {
    refuse();
    await rig.step(60_000);
  }
  await rig.step(6 * 60_000);
  t.equal(toConsultant().length, 1, 'further refusals while it is open are not told again');

  await rig.step(QUOTA_CALM_MS);
  await rig.step(6 * 60_000);
  t.equal(toConsultant().length, 2, 'an hour without a refusal resolves it');
  t.match(toConsultant()[1]!.subject, /RESOLVED|resolved/);
});
