import t from 'tap';
import { alertingRig, CONSULTANT } from './helpers/alerting.ts';

const REFUSED = { message: 'Connection to 127.0.0.1:18511 refused', code: 'net.refused', params: { target: '127.0.0.1:18511' } };

t.test('a German technical recipient reads the result message in German, an English one in English', async (t) => {
  const german = { ...CONSULTANT, name: 'Jens Berger', email: 'jens@consult.example', language: 'de' } as const;
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CONSULTANT, german] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { checkId: 'mail', kind: 'tcp', name: 'Mailserver', ...REFUSED });
  await rig.step(30_000);
  const de = rig.smtp.mails.find((m) => m.to.includes(german.email))!;
  const en = rig.smtp.mails.find((m) => m.to.includes(CONSULTANT.email))!;
  t.match(de.text, /Verbindung zu 127\.0\.0\.1:18511 abgelehnt/);
  t.notMatch(de.text, /Connection to|ECONNREFUSED/, 'no English message and no raw errno in the German mail');
  t.match(de.subject, /Verbindung zu 127\.0\.0\.1:18511 abgelehnt/);
  t.match(en.text, /Connection to 127\.0\.0\.1:18511 refused/);
});

t.test('a result without a code (an old agent) shows its stored message in every language', async (t) => {
  const german = { ...CONSULTANT, email: 'jens@consult.example', language: 'de' } as const;
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [german] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { message: 'connect ECONNREFUSED 10.0.0.5:80' });
  await rig.step(30_000);
  t.match(rig.smtp.mails[0]!.text, /connect ECONNREFUSED 10\.0\.0\.5:80/);
});

t.test('an unnamed check gets its default name in the recipient\'s language', async (t) => {
  const german = { ...CONSULTANT, email: 'jens@consult.example', language: 'de' } as const;
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [german] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { checkId: 'patches', kind: 'patch', name: 'patches', message: 'apt: 3 updates pending', code: 'patch.pending', params: { manager: 'apt', pending: 3, security: 3, securityOverdue: 1 } });
  await rig.step(30_000);
  t.match(rig.smtp.mails[0]!.subject, /Patchstand: apt: 3 Updates ausstehend, davon 3 Sicherheitsupdates — 3 Sicherheitsupdates ausstehend/);
});
