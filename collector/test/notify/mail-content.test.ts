import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT } from './helpers/alerting.ts';
import type { ReceivedMail } from './helpers/smtp.ts';
import { formatDuration } from '../../src/notify/templates/duration.ts';
import { catalogs } from '../../src/notify/templates/render.ts';

// What a mail says: subjects that name the change, durations, flapping told truthfully, one result per change (issue 15, items 3–5).
const mailsTo = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));

t.test('durations read as people write them, per language', async (t) => {
  t.equal(formatDuration(12 * 60_000, catalogs.de), '12 Min.');
  t.equal(formatDuration(65 * 60_000, catalogs.de), '1 Std. 5 Min.');
  t.equal(formatDuration(12 * 60_000, catalogs.en), '12 min');
  t.equal(formatDuration(65 * 60_000, catalogs.en), '1 h 5 min');
  t.equal(formatDuration(2 * 86_400_000 + 3 * 3_600_000, catalogs.de), '2 Tg. 3 Std.');
  t.equal(formatDuration(20_000, catalogs.en), 'less than 1 min');
  t.equal(formatDuration(20_000, catalogs.de), 'weniger als 1 Min.');
  t.equal(formatDuration(90_000, catalogs.en), '2 min', 'a started minute counts (never flattering)');
});

t.test('one change: the subject names the transition, the check and the host; the client\'s carries no tag or jargon', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, successesToResolve: 1 } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { name: 'Webshop' });
  await rig.step(30_000);
  const [clientFired] = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  const [consultantFired] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(clientFired!.subject, /^Störung: Webshop auf host-\w+$/);
  t.notMatch(clientFired!.subject, /\[|CRIT|Nines|alert/i);
  t.match(consultantFired!.subject, /^\[CRIT\] acme · host-\w+ · Webshop: connection refused$/);

  // Failing first at the fed result's time; the recovery result comes 12 minutes later.
  await rig.step(11 * 60_000 - 30_000);
  await rig.feed(['OK'], { name: 'Webshop' });
  await rig.step(30_000);
  const clientResolved = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email)[1]!;
  const consultantResolved = mailsTo(rig.smtp.mails, CONSULTANT.email)[1]!;
  t.match(clientResolved.subject, /^Behoben nach 12 Min\.: Webshop auf host-\w+$/);
  t.match(clientResolved.text, /Die Störung dauerte 12 Min\. Festgestellt/);
  t.match(consultantResolved.subject, /^\[RESOLVED\] acme · host-\w+ · Webshop after 12 min$/);
  t.match(consultantResolved.text, /Duration: 12 min/);
});

t.test('several changes: the subject counts what happened, for whom', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, successesToResolve: 1, groupWindow: '5m' } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { checkId: 'web', name: 'Webshop' });
  await rig.step(5 * 60_000);
  await rig.feed(['OK'], { checkId: 'web', name: 'Webshop' });
  await rig.feed(['CRIT'], { checkId: 'mail', kind: 'tcp', name: 'Mailserver' });
  await rig.feed(['CRIT'], { checkId: 'dns', kind: 'dns', name: 'DNS' });
  await rig.step(5 * 60_000);
  const client = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  const consultant = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.equal(client.length, 2);
  t.equal(client[1]!.subject, '2 Störungen, 1 behoben: acme');
  t.equal(consultant[1]!.subject, '[Nines] 2 problems, 1 resolved: acme');
});

t.test('flapping at recovery: the client hears nothing of it; the consultant reads the current state, not CRIT beside an OK message', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, successesToResolve: 1, flapChanges: 6, groupWindow: '10s' } });
  t.teardown(rig.close);
  await rig.feed(['OK']);
  for (const status of ['CRIT', 'OK', 'CRIT', 'OK', 'CRIT'] as const) {
    await rig.feed([status], { metrics: { latency_ms: status === 'OK' ? 3 : 900 } });
    await rig.step(10_000);
  }
  const clientBefore = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email).length;
  const consultantBefore = mailsTo(rig.smtp.mails, CONSULTANT.email).length;
  await rig.feed(['OK'], { message: 'HTTP 200 in 1 ms', metrics: { latency_ms: 1 } }); // the sixth change: FLAPPING, while the service is up
  await rig.step(10_000);
  const web = (await rig.service.engine.alerts.find(rig.agentId, 'check', 'web'))!;
  t.equal(web.state, 'FLAPPING');

  t.equal(mailsTo(rig.smtp.mails, CLIENT_CONTACT.email).length, clientBefore, 'no mail to the client for entering FLAPPING');
  const flapping = mailsTo(rig.smtp.mails, CONSULTANT.email).slice(consultantBefore);
  t.equal(flapping.length, 1);
  t.match(flapping[0]!.subject, /^\[FLAPPING\] acme · host-\w+ · Website: 3 outages in 30 min, currently OK$/);
  t.match(flapping[0]!.text, /State: FLAPPING: 3 outages in 30 min, currently OK/);
  t.match(flapping[0]!.text, /Message: HTTP 200 in 1 ms/);
  t.notMatch(flapping[0]!.text, /Severity: CRIT/);
});

t.test('message, status and metrics of a change come from the result that caused it, not from a later one', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, groupWindow: '5m' } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { message: 'HTTP 500 in 4 ms', metrics: { latency_ms: 4, status: 500 } });
  // Still failing the same way inside the grouping window: no new transition, but a newer stored result.
  await rig.feed(['CRIT'], { message: 'HTTP 500 in 47 ms', metrics: { latency_ms: 47, status: 500 } });
  await rig.step(5 * 60_000);
  const [mail] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(mail!.text, /Message: HTTP 500 in 4 ms/);
  t.match(mail!.text, /Metrics: latency_ms=4, status=500/);
  t.notMatch(mail!.text, /latency_ms=47/);
});
