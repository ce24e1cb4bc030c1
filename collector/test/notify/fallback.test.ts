import t from 'tap';
import { alertingRig, CONSULTANT, CLIENT_CONTACT } from './helpers/alerting.ts';
import { startSmtp } from './helpers/smtp.ts';

async function rigWithFallback(t: { teardown(fn: () => unknown): void }) {
  const fallback = await startSmtp();
  t.teardown(fallback.close);
  const rig = await alertingRig({
    alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '1m', maxAttempts: 1000, fallbackAfter: 3, fallbackAfterTime: '10m', budgetThresholds: [] },
    smtp: { fallback: { host: '127.0.0.1', port: fallback.port, from: 'Nines Fallback <fallback@consult.example>', timeout: '5s' } },
  });
  t.teardown(rig.close);
  return { rig, fallback };
}

t.test('the primary SMTP keeps refusing: ONE "cannot deliver" notice to the consultant through the fallback, one when it works again', async (t) => {
  const { rig, fallback } = await rigWithFallback(t);
  rig.smtp.refuse(true);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.ok(rig.service.worker!.health.consecutiveFailures >= 2, 'the first attempt (two digests) was refused');
  for (let minute = 1; minute <= 8; minute++) await rig.step(60_000);
  t.equal(fallback.mails.length, 0, 'failing for less than fallbackAfterTime: nothing yet (a retry may still heal it)');

  for (let minute = 1; minute <= 3; minute++) await rig.step(60_000);
  t.equal(fallback.mails.length, 1, 'one notice, to the consultant only');
  const notice = fallback.mails[0]!;
  t.match(notice.to, CONSULTANT.email);
  t.notMatch(notice.to, CLIENT_CONTACT.email);
  t.equal(notice.subject, '[Nines] Nines cannot deliver alert emails');
  t.match(notice.text, /Since \d\d? \w+ 2025, 10:0\d CET, Nines has not been able to send alert emails through the configured SMTP server \(\d+ attempts in a row\)\. Alerts are still detected and kept; 2 mail\(s\) are waiting/);
  t.match(notice.text, /Last error: email to .*: .*451/);
  t.match(notice.raw, /From: Nines Fallback <fallback@consult\.example>/);
  t.equal(rig.smtp.mails.length, 0, 'the primary accepted nothing');

  const health = (await (await fetch(`${rig.c.url}/healthz?detail=true`)).json()) as { alerting: { deliveryFailing: boolean; fallbackConfigured: boolean; fallbackNoticeSentAt: number | null } };
  t.match(health.alerting, { deliveryFailing: true, fallbackConfigured: true, fallbackNoticeSentAt: Number });

  for (let step = 1; step <= 6; step++) await rig.step(5 * 60_000);
  t.equal(fallback.mails.length, 1, 'still failing half an hour later: no second notice');

  rig.smtp.refuse(false);
  await rig.step(60_000);
  t.equal(rig.smtp.mails.length, 2, 'the backlog goes out through the primary');
  t.equal(fallback.mails.length, 2, 'and the consultant hears that mail flows again');
  t.equal(fallback.mails[1]!.subject, '[Nines] Alert emails are delivered again');
  t.equal((await rig.service.health()).fallback.noticeSentAt, null);

  await rig.step(60_000);
  t.equal(fallback.mails.length, 2, 'nothing more');
});

t.test('the fallback refuses too: the notice is tried again on each tick until it is accepted', async (t) => {
  const { rig, fallback } = await rigWithFallback(t);
  rig.smtp.refuse(true);
  fallback.refuse(true);
  await rig.feed(['CRIT']);
  for (let minute = 1; minute <= 12; minute++) await rig.step(60_000);
  t.equal(fallback.mails.length, 0);
  t.match((await rig.service.health()).fallback, { noticeSentAt: null, lastError: /451/ });
  fallback.refuse(false);
  await rig.step(60_000);
  t.equal(fallback.mails.length, 1);
  t.equal(fallback.mails[0]!.subject, '[Nines] Nines cannot deliver alert emails');
});

t.test('a German consultant gets the notice in German; without a fallback nothing extra is sent', async (t) => {
  const fallback = await startSmtp();
  t.teardown(fallback.close);
  const rig = await alertingRig({
    alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '1m', fallbackAfterTime: '2m', budgetThresholds: [], recipients: [{ ...CONSULTANT, language: 'de' }] },
    smtp: { fallback: { host: '127.0.0.1', port: fallback.port, from: 'Nines Fallback <fallback@consult.example>', timeout: '5s' } },
  });
  t.teardown(rig.close);
  rig.smtp.refuse(true);
  await rig.feed(['CRIT']);
  for (let minute = 1; minute <= 5; minute++) await rig.step(60_000);
  t.equal(fallback.mails[0]?.subject, '[Nines] Alarm-Mails können nicht zugestellt werden');
  t.match(fallback.mails[0]!.text, /Nines kann seit 15\.01\.2025, 10:0\d MEZ keine Alarm-Mails/);

  const plain = await alertingRig({ alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '1m', fallbackAfterTime: '2m', budgetThresholds: [] } });
  t.teardown(plain.close);
  plain.smtp.refuse(true);
  await plain.feed(['CRIT']);
  for (let minute = 1; minute <= 5; minute++) await plain.step(60_000);
  t.match((await plain.service.health()).fallback, { configured: false, noticeSentAt: null });
});
