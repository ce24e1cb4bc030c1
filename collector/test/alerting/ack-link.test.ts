import t from 'tap';
import { createHmac, randomBytes } from 'node:crypto';
import { ackLinkProblem, ackUrl } from '../../src/alerting/ack-link.ts';
import { ackLanguage, renderAckPage } from '../../src/alerting/ack-page.ts';

const secret = randomBytes(32);
const now = Date.UTC(2025, 0, 15, 9, 0);
const params = (url: string) => {
  const u = new URL(url);
  const q = u.searchParams;
  return {
    alertId: Number(u.pathname.split('/').at(-1)), incident: Number(q.get('incident')), expiresAt: Number(q.get('expires')),
    recipientId: q.has('r') ? Number(q.get('r')) : null, sig: q.get('sig')!,
  };
};

t.test('a link names its recipient under the signature; the language is not signed', async (t) => {
  const url = ackUrl('https://nines.example/', secret, 7, 2, now + 1000, { id: 3, language: 'de' });
  t.match(url, /^https:\/\/nines\.example\/ack\/alerts\/7\?incident=2&expires=\d+&r=3&lang=de&sig=/);
  t.equal(ackLinkProblem(secret, params(url), now), null);
  t.equal(ackLinkProblem(secret, { ...params(url), recipientId: 4 }, now), 'signature', 'another recipient id');
  t.equal(ackLinkProblem(secret, { ...params(url), recipientId: null }, now), 'signature', 'the recipient cannot be dropped');
  t.equal(ackLinkProblem(secret, params(url.replace('lang=de', 'lang=en')), now), null);
  t.equal(ackLinkProblem(secret, params(url), now + 2000), 'expired');
});

t.test('links mailed before links named a recipient still work until they expire', async (t) => {
  const expiresAt = now + 1000;
  const sig = createHmac('sha256', secret).update(`ack:7:2:${expiresAt}`).digest('base64url');
  t.equal(ackLinkProblem(secret, { alertId: 7, incident: 2, expiresAt, recipientId: null, sig }, now), null);
  t.equal(ackLinkProblem(secret, { alertId: 7, incident: 3, expiresAt, recipientId: null, sig }, now), 'signature');
});

t.test('the page language: the link\'s, else the browser\'s, else English; what the alert says is escaped', async (t) => {
  t.equal(ackLanguage('de', 'en-GB'), 'de');
  t.equal(ackLanguage(undefined, 'de-AT,de;q=0.9'), 'de');
  t.equal(ackLanguage('fr', 'fr-FR'), 'en');
  const html = renderAckPage(
    { kind: 'confirm', action: '/ack/alerts/1?incident=1&sig=x', alert: { checkName: '<b>Web</b>', host: 'pc', clientName: 'A&B', state: 'FIRING', severity: 'CRIT', message: '"x"', since: now, ackedAt: null, ackedBy: null } },
    'en', 'Europe/Berlin',
  );
  t.match(html, /&lt;b&gt;Web&lt;\/b&gt;/);
  t.match(html, /A&amp;B/);
  t.match(html, /action="\/ack\/alerts\/1\?incident=1&amp;sig=x"/);
  t.notMatch(html, /<script/);
});
