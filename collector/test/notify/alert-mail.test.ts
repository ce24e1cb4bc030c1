import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT } from './helpers/alerting.ts';
import type { ReceivedMail } from './helpers/smtp.ts';

const mailsTo = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));

t.test('three failures fire one mail per recipient; two successes resolve it in the same thread', async (t) => {
  const rig = await alertingRig();
  t.teardown(rig.close);
  await rig.feed(['CRIT', 'CRIT']);
  await rig.step(60_000);
  t.equal(rig.smtp.mails.length, 0, 'two failures are not enough');

  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(rig.smtp.mails.length, 2, 'consultant and client contact, one each');
  const [fired] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(fired!.subject, /^\[CRIT\] acme · host-\w+ · Website: connection refused$/);
  t.match(fired!.text, /== FIRING ==/);
  t.match(fired!.text, /Host: host-\w+ \(pc-empfang\)/);
  t.match(fired!.text, /Acknowledge: http:\/\/127\.0\.0\.1:\d+\/ack\/alerts\/\d+\?incident=1&expires=\d+&r=\d+&lang=en&sig=/);
  t.match(fired!.html, /<a href="http:\/\/127\.0\.0\.1:\d+\/ack\/alerts\//);
  t.equal(fired!.inReplyTo, null, 'the first mail of an incident starts the thread');

  await rig.feed(['OK']);
  await rig.step(60_000);
  t.equal(rig.smtp.mails.length, 2, 'one success does not resolve');
  await rig.feed(['OK']);
  await rig.step(30_000);
  t.equal(rig.smtp.mails.length, 4);
  const [, resolved] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(resolved!.subject, /^\[RESOLVED\] acme/);
  t.equal(resolved!.inReplyTo, fired!.messageId, 'resolved answers the first mail: mail clients thread it');
  t.match(resolved!.raw, new RegExp(`References: ${fired!.messageId.replace(/[.+]/g, '\\$&')}`));
  const ids = rig.smtp.mails.map((m) => m.messageId);
  t.equal(new Set(ids).size, ids.length, 'every mail has its own Message-ID');
});

t.test('both languages: a plain German mail for the client, a technical English one for the consultant', async (t) => {
  const rig = await alertingRig();
  t.teardown(rig.close);
  await rig.feed(['CRIT', 'CRIT', 'CRIT'], { checkId: 'backup-nas', kind: 'backup', name: 'NAS-Sicherung', message: 'last snapshot 49 h ago (max 26 h)' });
  await rig.step(30_000);
  const [client] = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  const [consultant] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(client!.subject, /^Datensicherung überfällig: NAS-Sicherung auf host-\w+$/);
  t.match(client!.text, /Guten Tag Herr Huber,/);
  t.match(client!.text, /Berger IT ist informiert und kümmert sich darum/);
  t.match(client!.text, /Festgestellt am 15\.01\.2025, 10:0\d MEZ/, 'date and time in the recipient\'s zone and language');
  t.notMatch(client!.text, /last snapshot|CRIT|metrics/i, 'no technical detail for the client');
  t.match(client!.html, /<html lang="de">/);
  t.match(consultant!.text, /Message: last snapshot 49 h ago \(max 26 h\)/);
  t.match(consultant!.text, /Check: NAS-Sicherung \(backup\)/);
  t.match(consultant!.text, /At: 15 Jan 2025, 10:0\d CET/);
});

t.test('transitions within the grouping window go out as one digest', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, groupWindow: '5m' } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { checkId: 'web' });
  await rig.feed(['CRIT'], { checkId: 'mail', kind: 'tcp', name: 'Mailserver' });
  await rig.feed(['WARN'], { checkId: 'disk', kind: 'disk', name: 'Disk C:' });
  t.equal(rig.smtp.mails.length, 0, 'still inside the window');
  await rig.step(5 * 60_000);
  const consultant = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.equal(consultant.length, 1, 'one digest, not three mails');
  t.match(consultant[0]!.subject, /^\[Nines\] 3 problems: acme$/);
  t.match(consultant[0]!.text, /Website[\s\S]*Mailserver[\s\S]*Disk C:/);
  t.equal(mailsTo(rig.smtp.mails, CLIENT_CONTACT.email).length, 1);
});

t.test('quiet hours: a mail due at night waits until the morning in the recipient\'s time zone', async (t) => {
  const start = Date.UTC(2025, 0, 15, 21, 30); // 22:30 in Berlin
  const rig = await alertingRig({
    start,
    alerting: { failuresToFire: 1, recipients: [{ ...CONSULTANT, quietHours: { from: '22:00', to: '07:00' } }] },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(3_600_000);
  t.equal(rig.smtp.mails.length, 0, 'nothing at night');
  await rig.step(Date.UTC(2025, 0, 16, 5, 59) - rig.now());
  t.equal(rig.smtp.mails.length, 0, '06:59 Berlin: still quiet');
  await rig.step(60_000);
  t.equal(rig.smtp.mails.length, 1, '07:00 Berlin: delivered');
});

t.test('reminders every 4 h while firing and unacknowledged; acknowledging stops them', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, escalateAfter: null } });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(mailsTo(rig.smtp.mails, CONSULTANT.email).length, 1);
  await rig.step(3 * 3_600_000);
  t.equal(mailsTo(rig.smtp.mails, CONSULTANT.email).length, 1, 'no reminder before 4 h');
  await rig.step(3_600_000);
  await rig.step(30_000);
  const consultant = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.equal(consultant.length, 2);
  t.match(consultant[1]!.subject, /still failing/);
  t.equal(consultant[1]!.inReplyTo, consultant[0]!.messageId);
  t.equal(mailsTo(rig.smtp.mails, CLIENT_CONTACT.email).length, 1, 'the client contact asked for no reminders');

  const [alert] = await rig.service.engine.alerts.list({ activeOnly: true });
  await rig.service.engine.acknowledge(alert!.id, 'karin');
  await rig.step(5 * 3_600_000);
  await rig.step(30_000);
  t.equal(mailsTo(rig.smtp.mails, CONSULTANT.email).length, 2, 'acknowledged: no more reminders');
});

t.test('escalation: an escalation-only recipient hears only when nobody acknowledges in time', async (t) => {
  const boss = { name: 'Bereitschaft', email: 'oncall@consult.example', audience: 'technical', language: 'de', timezone: 'Europe/Berlin', escalationOnly: true } as const;
  const rig = await alertingRig({ alerting: { failuresToFire: 1, escalateAfter: '1h', reminderEvery: null, recipients: [CONSULTANT, boss] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(mailsTo(rig.smtp.mails, boss.email).length, 0);
  await rig.step(3_600_000);
  await rig.step(30_000);
  const escalated = mailsTo(rig.smtp.mails, boss.email);
  t.equal(escalated.length, 1);
  t.match(escalated[0]!.subject, /^\[ESKALATION\] unbestätigt: acme/);
});

t.test('flapping: one FLAPPING mail instead of one per flip', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, successesToResolve: 1, flapChanges: 4, groupWindow: '10s' } });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(10_000);
  const before = mailsTo(rig.smtp.mails, CONSULTANT.email).length;
  t.equal(before, 1, 'the first failure is told');
  for (let i = 0; i < 6; i++) {
    await rig.feed([i % 2 ? 'CRIT' : 'OK']);
    await rig.step(10_000);
  }
  const consultant = mailsTo(rig.smtp.mails, CONSULTANT.email);
  const flapping = consultant.filter((m) => m.subject.startsWith('[FLAPPING]'));
  t.equal(flapping.length, 1, 'one flapping mail');
  t.ok(consultant.length <= 5, `at most the first flips and the flapping notice (${consultant.length} mails for 7 changes)`);
  const toClient = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  t.ok(toClient.length > 0);
  t.notOk(toClient.some((m) => /INSTABIL|FLAPPING|mehrmals|wechselt/.test(m.subject + m.text)), 'entering FLAPPING is not mailed to the client');
});

t.test('an agent goes silent: one "agent silent" mail, its check alerts held back; when it is back, still-failing checks are told', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 2 } });
  t.teardown(rig.close);
  await rig.feed(['OK']);
  const silence = rig.c.app.delivery.silence;
  await rig.step(10 * 60_000, { heard: false });
  t.same(await silence.tick(), [rig.agentId], 'the delivery layer judges the agent silent');
  await rig.step(30_000, { heard: false });
  const silentMails = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.equal(silentMails.length, 1);
  t.match(silentMails[0]!.subject, /^\[CRIT\] acme · host-\w+ · agent: no contact since/);
  t.match(mailsTo(rig.smtp.mails, CLIENT_CONTACT.email)[0]!.text, /Der Computer „host-\w+“ meldet sich nicht mehr/);

  // The agent comes back and replays what it spooled while away: failures inside the silence are held back.
  const replayedAt = rig.now() - 5 * 60_000;
  await rig.c.store.insertResults(rig.agentId, [2, 3, 4].map((seq, i) => ({
    seq, checkId: 'web', kind: 'http', status: 'CRIT' as const, message: 'connection refused', metrics: {}, startedAt: replayedAt + i * 60_000, finishedAt: replayedAt + i * 60_000 + 5,
  })), rig.now());
  await rig.step(1_000); // heard: the silence ends now, after the replayed results' times
  await rig.step(30_000);
  const after = mailsTo(rig.smtp.mails, CONSULTANT.email).slice(1);
  t.equal(after.length, 1, 'only "agent is back", no check alert from the replay');
  t.match(after[0]!.subject, /^\[RESOLVED\] acme · host-\w+ · agent after 11 min$/, 'the duration counts from the agent\'s last contact');
  const web = (await rig.service.engine.alerts.find(rig.agentId, 'check', 'web'))!;
  t.equal(web.state, 'FIRING', 'the check state still followed the results');
  t.match(await rig.service.engine.alerts.transitions(web.id), [{ event: 'firing', held: 'agentSilent' }]);

  await rig.feed(['CRIT']); // a live failure after the silence: now it is told
  await rig.step(30_000);
  const told = mailsTo(rig.smtp.mails, CONSULTANT.email).at(-1)!;
  t.match(told.subject, /^\[CRIT\] acme · host-\w+ · Website/);
});
