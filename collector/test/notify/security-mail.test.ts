import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT } from './helpers/alerting.ts';
import type { ReceivedMail } from './helpers/smtp.ts';

// A client reads a security check's state in plain words in its own language; the consultant keeps the probe's message.
// Real collector, real alerting, real SMTP on loopback.
const mailsTo = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.to.includes(address));
const ENGLISH_CLIENT = { ...CLIENT_CONTACT, name: 'Ms Hughes', email: 'hughes@acme.example', language: 'en' } as const;
const FIREWALL_OFF = { checkId: 'fw', kind: 'firewall', name: 'Firewall', message: 'the firewall is off (nftables: the rules let all incoming traffic in)', code: 'firewall.inactive', params: { backend: 'nftables', nft: 'accepts_all' } };

t.test('firewall off: the client mail says so in plain words, in German and in English; the consultant reads the probe', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, successesToResolve: 1, recipients: [CONSULTANT, CLIENT_CONTACT, ENGLISH_CLIENT] } });
  t.teardown(rig.close);
  const host = (await rig.c.store.getAgent(rig.agentId))!.name;
  await rig.feed(['CRIT'], FIREWALL_OFF);
  await rig.step(30_000);

  const [german] = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email);
  t.equal(german!.subject, `Sicherheit auf ${host}: Die Firewall ist ausgeschaltet`);
  t.match(german!.text, `Auf dem Computer „${host}“: Die Firewall ist ausgeschaltet. Festgestellt am`);
  t.notMatch(german!.text, /nftables|Regeln|rules|incoming/, 'nothing of the probe\'s internal message');
  t.match(german!.html, `Die Firewall ist ausgeschaltet.`);

  const [english] = mailsTo(rig.smtp.mails, ENGLISH_CLIENT.email);
  t.equal(english!.subject, `Security on ${host}: The firewall is turned off`);
  t.match(english!.text, `On the computer "${host}": The firewall is turned off. Noticed at`);
  t.notMatch(english!.text, /nftables/);

  const [consultant] = mailsTo(rig.smtp.mails, CONSULTANT.email);
  t.match(consultant!.text, 'Message: the firewall is off (nftables: the rules let all incoming traffic in)', 'the technical mail keeps the probe\'s words');

  await rig.step(5 * 60_000);
  await rig.feed(['OK'], { ...FIREWALL_OFF, message: 'firewall on (nftables, 9 rules)' });
  await rig.step(30_000);
  const resolved = mailsTo(rig.smtp.mails, CLIENT_CONTACT.email)[1]!;
  t.match(resolved.subject, new RegExp(`^Behoben nach \\d+ Min\\.: Firewall auf ${host}$`));
  t.match(resolved.text, `Auf dem Computer „${host}“ ist das wieder in Ordnung: Bei der Firewall ist alles in Ordnung.`);
});

t.test('antivirus with real-time protection off reads "Der Virenschutz ist ausgeschaltet", not the product and its flags', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CLIENT_CONTACT] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], {
    checkId: 'av', kind: 'antivirus', name: 'Virenschutz', message: 'antivirus is off (Microsoft Defender, real-time protection off); signatures 9 d old (limit 7 d)',
    code: 'antivirus.state', params: { product: 'Microsoft Defender', realTimeOff: 1, signatureAgeMs: 9 * 86_400_000, signatureLimitMs: 7 * 86_400_000 },
  });
  await rig.step(30_000);
  const [mail] = rig.smtp.mails;
  t.match(mail!.subject, /^Sicherheit auf host-\w+: Der Virenschutz ist ausgeschaltet und ist nicht auf dem neuesten Stand$/);
  t.notMatch(mail!.text, /Defender|Echtzeit|9 T/);
});

t.test('a security check from an agent without codes: the client reads a true sentence from the status, not the English message', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CLIENT_CONTACT] } });
  t.teardown(rig.close);
  await rig.feed(['WARN'], { checkId: 'enc', kind: 'encryption', name: 'Verschlüsselung', message: 'BitLocker: not encrypted: D:' });
  await rig.step(30_000);
  const [mail] = rig.smtp.mails;
  t.match(mail!.text, 'Bei der Festplattenverschlüsselung ist etwas nicht in Ordnung.');
  t.notMatch(mail!.text, /BitLocker|not encrypted/);
});
