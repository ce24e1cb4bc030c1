import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT, type AlertingRig } from '../notify/helpers/alerting.ts';
import { setCheckSla } from '../../src/availability/index.ts';
import { hostDownVerdict } from '../../src/alerting/host-down.ts';
import type { AlertRecord } from '../../src/store/alerts.ts';
import type { ReceivedMail } from '../notify/helpers/smtp.ts';

const mailsTo = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));
const WEB = { checkId: 'web', kind: 'http', name: 'Website', message: 'connection refused' };
const DB = { checkId: 'db', kind: 'tcp', name: 'Datenbank', message: 'port 5432 closed' };

t.test('host-down verdict: every critical check FIRING at CRIT; none designated, never down', async (t) => {
  const alert = (state: AlertRecord['state'], severity: 'WARN' | 'CRIT' | null) => ({ memory: { state, severity } }) as AlertRecord;
  t.same(hostDownVerdict(['db', 'web'], new Map([['db', alert('FIRING', 'CRIT')], ['web', alert('FIRING', 'CRIT')]])), ['db', 'web']);
  t.equal(hostDownVerdict(['db', 'web'], new Map([['db', alert('FIRING', 'CRIT')], ['web', alert('FIRING', 'WARN')]])), null, 'WARN is not down');
  t.equal(hostDownVerdict(['db', 'web'], new Map([['db', alert('FIRING', 'CRIT')], ['web', alert('RESOLVING', 'CRIT')]])), null, 'recovering is not down');
  t.equal(hostDownVerdict(['db', 'web'], new Map([['db', alert('FIRING', 'CRIT')]])), null, 'a check never seen is not down');
  t.equal(hostDownVerdict([], new Map([['db', alert('FIRING', 'CRIT')]])), null);
});

t.test('all critical checks down: one "host down" mail instead of the check mails; resolved when one recovers; a check still down is told then', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 2, groupWindow: '5m', budgetThresholds: [] } });
  t.teardown(rig.close);
  await rig.feed(['OK'], WEB);
  await rig.feed(['OK'], DB);
  await setCheckSla(rig.c.store, { agentId: rig.agentId, checkId: 'web' }, { critical: true, weight: 1 }, rig.now());
  await setCheckSla(rig.c.store, { agentId: rig.agentId, checkId: 'db' }, { critical: true, weight: 1 }, rig.now());

  await rig.feed(['CRIT', 'CRIT'], WEB); // web fires; its notice waits in the 5 min grouping window
  await rig.feed(['CRIT', 'CRIT'], DB); // db fires too: the host is down
  await rig.feed(['CRIT'], WEB);
  await rig.step(6 * 60_000);
  const consultant = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.equal(consultant.length, 1, 'one mail to the consultant');
  t.match(consultant[0]!.subject, /^\[CRIT\] acme · host-\w+ · host down: all 2 critical check\(s\) down: db, web$/);
  t.notMatch(consultant[0]!.text, /Website|Datenbank/, 'the check notices were taken back');
  const client = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  t.equal(client.length, 1);
  t.match(client[0]!.text, /Der Computer „host-\w+“ ist ausgefallen: seine wichtigen Dienste sind nicht erreichbar\./);
  const held = await rig.service.engine.alerts.transitions((await rig.service.engine.alerts.find(rig.agentId, 'check', 'web'))!.id);
  t.match(held, [{ event: 'firing', held: 'hostDown' }], 'the check transition is kept, marked held');

  await rig.feed(['CRIT'], DB);
  await rig.step(6 * 60_000);
  t.equal(rig.smtp.mails.length, 2, 'more failures while the host is down are not told');

  await rig.feed(['OK'], WEB); // a critical check recovers: the host is up; db still fails
  await rig.feed(['CRIT'], DB);
  await rig.step(6 * 60_000);
  const later = mailsTo(rig.smtp.mails, CONSULTANT.email).slice(1);
  t.equal(later.length, 1, 'one digest');
  t.equal(later[0]!.subject, '[Nines] 1 problem, 1 resolved: acme');
  t.match(later[0]!.text, /== RESOLVED ==[\s\S]*host down/);
  t.match(later[0]!.text, /== FIRING ==[\s\S]*Check: Datenbank \(tcp\)/, 'the check still down is told now');
  t.equal((await rig.service.engine.alerts.find(rig.agentId, 'hostDown', ''))!.state, 'OK');
});

t.test('without checks designated critical, a failing check is told as itself (no host-down alert)', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 2, budgetThresholds: [] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT', 'CRIT'], WEB);
  await rig.step(60_000);
  t.match(mailsTo(rig.smtp.mails, CONSULTANT.email).map((m) => m.subject), [/· Website: connection refused$/]);
  t.equal(await rig.service.engine.alerts.find(rig.agentId, 'hostDown', ''), undefined);
});

t.test('a non-critical check down on a host whose critical check is up is not a host outage', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, budgetThresholds: [] } });
  t.teardown(rig.close);
  await rig.feed(['OK'], WEB);
  await rig.feed(['OK'], DB);
  await setCheckSla(rig.c.store, { agentId: rig.agentId, checkId: 'web' }, { critical: true, weight: 1 }, rig.now());
  await setCheckSla(rig.c.store, { agentId: rig.agentId, checkId: 'db' }, { critical: false, weight: 1 }, rig.now());
  await rig.feed(['CRIT'], DB);
  await rig.step(60_000);
  t.match(mailsTo(rig.smtp.mails, CONSULTANT.email).map((m) => m.subject), [/· Datenbank: port 5432 closed$/]);
  t.equal(await rig.service.engine.alerts.find(rig.agentId, 'hostDown', ''), undefined);
});
