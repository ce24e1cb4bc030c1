import t, { type Test } from 'tap';
import { hashPassword } from '../../src/auth/secrets.ts';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../../src/http/routes/session.ts';
import { ENROLL_ATTEMPTS_PER_MINUTE } from '../../src/http/routes/enroll.ts';
import { LOGIN_FAILURES_PER_USERNAME } from '../../src/auth/login-throttle.ts';
import { startCollector } from '../helpers/collector.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { PASSWORD } from '../api/helpers.ts';

// Loopback is all of 127.0.0.0/8: the "proxy" connects from 127.0.0.2, a stranger from 127.0.0.3.
const PROXY = '127.0.0.2';
const STRANGER = '127.0.0.3';

async function collector(t: Test, trustedProxies: string[]) {
  const c = await startCollector({ app: { http: { trustedProxies } } });
  t.teardown(c.close);
  const hash = await hashPassword(PASSWORD);
  for (const username of ['admin', 'second-admin']) await c.store.createUser({ username, passwordHash: hash, role: 'admin' }, Date.now());
  return c;
}

const loginFrom = (url: string, localAddress: string, body: { username: string; password: string }, forwardedFor?: string) =>
  rawRequest(url, { method: 'POST', path: '/api/v1/session', body, localAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

t.test('behind a trusted proxy each client has its own login budget', async (t) => {
  const c = await collector(t, [PROXY]);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) {
    // Different usernames, so the per-username throttle stays out of this test.
    t.equal((await loginFrom(c.url, PROXY, { username: `guess${i}`, password: 'wrong' }, '198.51.100.7')).status, 401);
  }
  t.equal((await loginFrom(c.url, PROXY, { username: 'admin', password: PASSWORD }, '198.51.100.7')).status, 429, 'the guessing client is limited');
  t.equal((await loginFrom(c.url, PROXY, { username: 'admin', password: PASSWORD }, '198.51.100.8')).status, 200, 'another client behind the same proxy is not');
});

t.test('X-Forwarded-For from an untrusted peer changes nothing', async (t) => {
  const c = await collector(t, [PROXY]);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) {
    // A fresh made-up address each time: were it believed, the limit would never bite.
    t.equal((await loginFrom(c.url, STRANGER, { username: `guess${i}`, password: 'wrong' }, `203.0.113.${i}`)).status, 401);
  }
  t.equal((await loginFrom(c.url, STRANGER, { username: 'admin', password: PASSWORD }, '203.0.113.200')).status, 429);
  t.equal((await loginFrom(c.url, '127.0.0.1', { username: 'admin', password: PASSWORD })).status, 200, 'other peers are not limited by it');
});

t.test('without trusted proxies (the default) the header is ignored too', async (t) => {
  const c = await collector(t, []);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) t.equal((await loginFrom(c.url, PROXY, { username: `g${i}`, password: 'x' }, `203.0.113.${i}`)).status, 401);
  t.equal((await loginFrom(c.url, PROXY, { username: 'admin', password: PASSWORD }, '203.0.113.99')).status, 429);
});

t.test('failed logins lock the username they were for, not the others', async (t) => {
  const c = await collector(t, [PROXY]);
  for (let i = 0; i < LOGIN_FAILURES_PER_USERNAME; i++) {
    // From many clients: the address limit alone would never stop this.
    t.equal((await loginFrom(c.url, PROXY, { username: 'admin', password: `guess${i}` }, `198.51.100.${i + 1}`)).status, 401);
  }
  const locked = await loginFrom(c.url, PROXY, { username: 'admin', password: PASSWORD }, '198.51.100.200');
  t.equal(locked.status, 429, 'admin is locked, even with the right password');
  t.match(JSON.parse(locked.body), { code: 'NINES_ERR_LOGIN_RATE_LIMITED' });
  t.equal((await loginFrom(c.url, PROXY, { username: 'second-admin', password: PASSWORD }, '198.51.100.200')).status, 200, 'another admin still logs in');
});

t.test('enrollment is limited per real client behind a trusted proxy', async (t) => {
  const c = await collector(t, [PROXY]);
  const enroll = (forwardedFor: string) =>
    rawRequest(c.url, {
      method: 'POST', path: '/api/v1/enroll', localAddress: PROXY, headers: { 'x-forwarded-for': forwardedFor },
      body: { token: 'nines-enroll_not-a-real-token-000000000000', hostname: 'pc', platform: 'linux', agentVersion: 'test' },
    });
  for (let i = 0; i < ENROLL_ATTEMPTS_PER_MINUTE; i++) t.equal((await enroll('198.51.100.7')).status, 401);
  t.equal((await enroll('198.51.100.7')).status, 429);
  t.equal((await enroll('198.51.100.8')).status, 401, 'another office behind the proxy may still enroll');
});
