import t from 'tap';
import WebSocket from 'ws';
import { CloseCode } from '@nines/shared';
import { closed } from '../helpers/collector.ts';
import { login, startWorld, type World } from './helpers.ts';

// A bounded wait so a socket that never closes fails the test instead of hanging it (not a timing assertion).
const BOUND_MS = 10_000;

function openLive(w: World, headers: Record<string, string>): Promise<WebSocket> {
  const socket = new WebSocket(`${w.c.url.replace('http', 'ws')}/ws/live`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function closedWithin(socket: WebSocket): Promise<{ code: number; reason: string } | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), BOUND_MS)));
  const outcome = await Promise.race([closed(socket), bound]);
  clearTimeout(timer);
  if (outcome === 'still open') socket.terminate();
  return outcome;
}

t.test('logout closes the live socket that session opened, and only that one', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const other = await login(w.c.url, 'anna'); // a second session of the same user
  const live = await openLive(w, { cookie: w.acmeUser.cookie });
  const otherLive = await openLive(w, { cookie: other.cookie });
  t.equal((await w.acmeUser.request('DELETE', '/api/v1/session')).status, 204);
  t.match(await closedWithin(live), { code: CloseCode.UNAUTHORIZED, reason: 'logged out' });
  t.equal(otherLive.readyState, WebSocket.OPEN, 'the other session of the same user goes on');
  otherLive.close();
});

t.test('deleting the user closes its live sockets', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const live = await openLive(w, { cookie: w.acmeUser.cookie });
  const adminLive = await openLive(w, { cookie: w.admin.cookie });
  const anna = (await w.c.store.findUserByName('anna'))!;
  t.equal((await w.admin.request('DELETE', `/api/v1/users/${anna.id}`)).status, 204);
  t.match(await closedWithin(live), { code: CloseCode.UNAUTHORIZED, reason: 'the user was deleted' });
  t.equal(adminLive.readyState, WebSocket.OPEN, "another user's socket goes on");
  adminLive.close();
});

t.test('a live socket closes when its session expires', async (t) => {
  const w = await startWorld({ app: { sessionTtlMs: 1_500 } });
  t.teardown(w.c.close);
  const fresh = await login(w.c.url, 'anna');
  const live = await openLive(w, { cookie: fresh.cookie });
  t.match(await closedWithin(live), { code: CloseCode.UNAUTHORIZED, reason: 'the session has expired' });
  t.equal((await fresh.request('GET', '/api/v1/session')).status, 401, 'the session itself is over too');
});

t.test('deleting an API token closes the live socket it opened', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const created = await w.admin.json<{ id: number; token: string }>('POST', '/api/v1/tokens', { name: 'wall-display', scope: 'read' });
  const live = await openLive(w, { authorization: `Bearer ${created.body.token}` });
  t.equal((await w.admin.request('DELETE', `/api/v1/tokens/${created.body.id}`)).status, 204);
  t.match(await closedWithin(live), { code: CloseCode.UNAUTHORIZED, reason: 'the API token was deleted' });
});
