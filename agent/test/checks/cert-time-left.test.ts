import t from 'tap';
import { renderResultMessage, timeLeft } from '@nines/shared';
import { gradeCertificate } from '../../src/checks/cert.ts';

// Issue 15, 8e: "4 d" for 4 d 23 h hid that it is nearly five days; the thresholds stay exact.
const NOW = Date.UTC(2026, 11, 2, 12);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const facts = (leftMs: number) => ({ subject: 'example.de', issuer: 'Test CA', trusted: true, validToMs: NOW + leftMs });

t.test('the message tells days and hours, hours under a day, minutes under an hour', async (t) => {
  t.match(gradeCertificate(facts(4 * DAY + 23 * HOUR), NOW, {}).text, /expires in 4 d 23 h \(2026-12-07\)/);
  t.match(gradeCertificate(facts(23 * HOUR + 59 * 60_000), NOW, {}).text, /expires in 23 h \(/);
  t.match(gradeCertificate(facts(40 * 60_000), NOW, {}).text, /expires in 40 min \(/);
  t.match(gradeCertificate(facts(30 * DAY), NOW, {}).text, /expires in 30 d \(/);
  t.equal(timeLeft(30_000, 'en'), '1 min', 'never "0 min" while it still holds');
  const graded = gradeCertificate(facts(4 * DAY + 23 * HOUR), NOW, {});
  const params = { target: 'https://example.de/', issuer: 'Test CA', protocol: 'TLSv1.3', ...graded.params };
  t.match(renderResultMessage('cert.expires', params, 'de', graded.text), /läuft in 4 T 23 Std\. ab \(2026-12-07\)/, 'the German text says it too');
  t.match(renderResultMessage('cert.expires', params, 'en', graded.text), /expires in 4 d 23 h \(2026-12-07\)/);
});

t.test('thresholds stay exact: 7 d is CRIT at 7 d, WARN a minute later; expired is CRIT', async (t) => {
  const exactly = gradeCertificate(facts(7 * DAY), NOW, { warnDays: 14, critDays: 7 });
  t.equal(exactly.status, 'CRIT');
  t.match(exactly.text, /expires in 7 d \(.*limit 7 d/);
  const later = gradeCertificate(facts(7 * DAY + 60_000), NOW, { warnDays: 14, critDays: 7 });
  t.equal(later.status, 'WARN');
  t.match(later.text, /expires in 7 d \(.*limit 14 d/);
  t.equal(gradeCertificate(facts(0), NOW, {}).status, 'CRIT');
  t.match(gradeCertificate(facts(-DAY), NOW, {}).text, /expired on 2026-12-01/);
});
