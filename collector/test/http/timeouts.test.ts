import t from 'tap';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startCollector } from '../helpers/collector.ts';
import { hashSecret } from '../../src/auth/secrets.ts';

// Bounded waits so a socket the server never closes fails the test instead of hanging it (not timing assertions).
const BOUND_MS = 10_000;

function rawSocket(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What the server sent before it closed the connection, or 'still open' at the bound. */
function untilServerCloses(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (text += chunk));
  return new Promise((resolve) => {
    const bound = setTimeout(() => {
      socket.destroy();
      resolve('still open');
    }, BOUND_MS);
    socket.once('close', () => {
      clearTimeout(bound);
      resolve(text);
    });
  });
}

t.test('a request whose body never finishes is answered 408 and closed', async (t) => {
  const c = await startCollector({ app: { http: { requestTimeoutMs: 400, idleTimeoutMs: 60_000 } } });
  t.teardown(c.close);
  const socket = await rawSocket(c.url);
  const ended = untilServerCloses(socket);
  // Half a body, then silence; the idle timeout is far away, so only the request timeout can end this.
  socket.write('POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":"ad');
  const answer = await ended;
  t.not(answer, 'still open', 'the server closed the connection');
  t.match(answer, /^HTTP\/1\.1 408/);
});

t.test('headers that never finish are cut off the same way', async (t) => {
  const c = await startCollector({ app: { http: { requestTimeoutMs: 400, idleTimeoutMs: 60_000 } } });
  t.teardown(c.close);
  const socket = await rawSocket(c.url);
  const ended = untilServerCloses(socket);
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  t.match(await ended, /^HTTP\/1\.1 408/);
});

t.test('an idle connection is closed after the idle timeout', async (t) => {
  const c = await startCollector({ app: { http: { requestTimeoutMs: 60_000, idleTimeoutMs: 400 } } });
  t.teardown(c.close);
  const socket = await rawSocket(c.url);
  t.not(await untilServerCloses(socket), 'still open');
});

t.test('a live socket is not an idle connection: it outlasts the idle timeout', async (t) => {
  const c = await startCollector({ app: { http: { requestTimeoutMs: 60_000, idleTimeoutMs: 1_000 } } });
  t.teardown(c.close);
  // A token straight in the store: no earlier HTTP request whose connection the idle timeout could cut.
  const userId = await c.store.createUser({ username: 'wall', passwordHash: 'x', role: 'admin' }, Date.now());
  await c.store.createApiToken(hashSecret('wall-display-token'), userId, 'wall', Date.now(), { scope: 'read' });
  const live = new WebSocket(`${c.url.replace('http', 'ws')}/ws/live`, { headers: { authorization: 'Bearer wall-display-token' } });
  await new Promise((resolve, reject) => (live.once('open', resolve), live.once('error', reject)));
  let closedWith: number | null = null;
  live.once('close', (code) => (closedWith = code));
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  t.equal(closedWith, null, 'still open, silent for longer than the idle timeout');
  const done = new Promise((resolve) => live.once('close', resolve));
  live.close();
  await done;
});
