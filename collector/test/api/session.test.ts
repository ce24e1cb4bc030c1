import t, { type Test } from 'tap';
import { hashPassword } from '../../src/auth/secrets.ts';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../../src/http/routes/session.ts';
import { startCollector } from '../helpers/collector.ts';
import { cookiesOf, login, PASSWORD } from './helpers.ts';

async function withAdmin(t: Test) {
  const c = await startCollector();
  t.teardown(c.close);
  await c.store.createUser({ username: 'admin', passwordHash: await hashPassword(PASSWORD), role: 'admin' }, Date.now());
  return c;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

t.test('a login sets an httpOnly SameSite=Strict session cookie and a readable CSRF cookie', async (t) => {
  const c = await withAdmin(t);
  const response = await post(c.url, { username: 'admin', password: PASSWORD });
  t.equal(response.status, 200);
  const me = (await response.json()) as { username: string; role: string; csrfToken: string };
  t.match(me, { username: 'admin', role: 'admin', clientId: null });
  const [session, csrf] = ['nines_session', 'nines_csrf'].map((name) => response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`))!);
  t.match(session, /HttpOnly/);
  t.match(session, /SameSite=Strict/);
  t.notMatch(session, /Secure/, 'plain http on loopback: a Secure cookie would never come back');
  t.notMatch(csrf, /HttpOnly/, 'the page must read it to echo it');
  t.equal(cookiesOf(response).nines_csrf, me.csrfToken);
});

t.test('behind an https proxy the cookies are Secure', async (t) => {
  const c = await withAdmin(t);
  const response = await post(c.url, { username: 'admin', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
  t.ok(response.headers.getSetCookie().every((l) => /; Secure/.test(l)));
});

t.test('a wrong password and an unknown user get the same answer', async (t) => {
  const c = await withAdmin(t);
  for (const body of [{ username: 'admin', password: 'nope' }, { username: 'mallory', password: PASSWORD }]) {
    const response = await post(c.url, body);
    t.equal(response.status, 401);
    t.match(await response.json(), { code: 'NINES_ERR_BAD_LOGIN' });
    t.same(response.headers.getSetCookie(), []);
  }
});

t.test('malformed login bodies are refused before any password work', async (t) => {
  const c = await withAdmin(t);
  for (const body of [{}, { username: 'admin' }, { username: '', password: 'x' }]) {
    const response = await post(c.url, body);
    t.equal(response.status, 400, JSON.stringify(body));
  }
});

t.test(`logins are rate-limited to ${LOGIN_ATTEMPTS_PER_MINUTE} a minute per address, even with the right password`, async (t) => {
  const c = await withAdmin(t);
  for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) t.equal((await post(c.url, { username: 'admin', password: 'guess' + i })).status, 401);
  const blocked = await post(c.url, { username: 'admin', password: PASSWORD });
  t.equal(blocked.status, 429);
  t.match(await blocked.json(), { code: 'NINES_ERR_LOGIN_RATE_LIMITED' });
  t.equal((await fetch(`${c.url}/healthz`)).status, 200, 'other routes are not limited');
});

t.test('the session answers who is logged in, and logout ends it', async (t) => {
  const c = await withAdmin(t);
  const s = await login(c.url, 'admin');
  t.match(await s.json('GET', '/api/v1/session'), { status: 200, body: { username: 'admin', csrfToken: s.csrf } });
  t.equal((await s.request('DELETE', '/api/v1/session')).status, 204);
  t.match(await s.json('GET', '/api/v1/session'), { status: 401, body: { code: 'NINES_ERR_UNAUTHORIZED' } });
});

t.test('changes made with the session cookie need the CSRF header; reads and API tokens do not', async (t) => {
  const c = await withAdmin(t);
  const s = await login(c.url, 'admin');
  const withoutHeader = await s.request('POST', '/api/v1/clients', { name: 'acme' }, { csrf: false });
  t.equal(withoutHeader.status, 403);
  t.match(await withoutHeader.json(), { code: 'NINES_ERR_CSRF' });
  const wrong = await fetch(`${c.url}/api/v1/clients`, {
    method: 'POST', headers: { cookie: s.cookie, 'x-nines-csrf': 'x'.repeat(s.csrf.length), 'content-type': 'application/json' }, body: '{"name":"acme"}',
  });
  t.equal(wrong.status, 403);
  t.equal(await c.store.findClient('acme'), undefined, 'nothing was created');
  t.equal((await s.request('DELETE', '/api/v1/session', undefined, { csrf: false })).status, 403, 'logout too: no forced logouts');
  t.equal((await s.request('GET', '/api/v1/clients', undefined, { csrf: false })).status, 200);
  t.equal((await s.request('POST', '/api/v1/clients', { name: 'acme' })).status, 201);

  const token = (await s.json<{ token: string }>('POST', '/api/v1/tokens', { name: 'script', scope: 'write' })).body.token;
  const scripted = await fetch(`${c.url}/api/v1/clients`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"initech"}',
  });
  t.equal(scripted.status, 201, 'a Bearer token is never sent by a browser on its own, so it needs no CSRF header');
});

t.test('a user can choose the UI language, and the session reports it', async (t) => {
  const c = await withAdmin(t);
  const s = await login(c.url, 'admin');
  t.equal((await s.request('PUT', '/api/v1/session/language', { language: 'de' })).status, 204);
  t.match(await s.json('GET', '/api/v1/session'), { body: { language: 'de' } });
  t.equal((await s.request('PUT', '/api/v1/session/language', { language: 'fr' })).status, 400);
});
