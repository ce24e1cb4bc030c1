import t from 'tap';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp, routesOf } from '../../src/app.ts';
import { ACCESS_LEVELS, accessControl } from '../../src/auth/access.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { startWorld } from '../api/helpers.ts';
import { rawRequest } from '../helpers/raw-http.ts';

t.test('every registered route declares who may call it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-access-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  // With the dashboard's files, so the static routes are among those checked.
  const app = await buildApp({ store, dashboardDir: dir });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const routes = routesOf(app);
  t.ok(routes.length >= 50, `${routes.length} routes collected`);
  for (const path of ['/api/v1/status', '/ws/live', '/ws/agent', '/healthz', '/api/v1/session', '/*']) t.ok(routes.some((r) => r.url === path), `${path} is among them`);
  const undeclared = routes.filter((r) => !ACCESS_LEVELS.includes(r.access!));
  t.same(undeclared, [], 'none without an access level');
  t.same(routes.filter((r) => r.url === '/*').map((r) => r.access), ['public', 'public'], 'the dashboard files are public (GET and HEAD)');
});

t.test('a route that declares nothing is refused (deny by default)', async (t) => {
  const app = Fastify();
  await app.register(accessControl);
  app.get('/forgotten', async () => 'secret');
  app.get('/open', { config: { access: 'public' } }, async () => 'hello');
  t.teardown(() => app.close());
  const forgotten = await app.inject('/forgotten');
  t.equal(forgotten.statusCode, 403);
  t.match(forgotten.json(), { code: 'NINES_ERR_FORBIDDEN', message: /declares no access/ });
  t.equal((await app.inject('/open')).body, 'hello');
});

t.test('percent-encoded paths reach the same guard as the plain ones (real socket, no normalisation)', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const plain = await rawRequest(w.c.url, { path: '/api/v1/status' });
  const encoded = await rawRequest(w.c.url, { path: '/%61pi/v1/status' });
  t.equal(plain.status, 401);
  t.equal(encoded.status, 401, 'encoded: 401, not a handler without identity (was 500)');
  t.match(JSON.parse(encoded.body), { code: 'NINES_ERR_UNAUTHORIZED' });
  const withLogin = await rawRequest(w.c.url, { path: '/%61pi/v1/status', headers: { cookie: w.acmeUser.cookie } });
  t.equal(withLogin.status, 200, 'and with a login the encoded path works like the plain one');
  t.equal((await rawRequest(w.c.url, { path: '/%61pi/v1/users', headers: { cookie: w.acmeUser.cookie } })).status, 403, 'admin routes stay admin-only');
  t.equal((await rawRequest(w.c.url, { path: '/api/v1/no-such-route' })).status, 404, 'an unknown path is still a 404');
});

/** The status line the server answers an upgrade request with, written byte for byte on a raw socket. */
function upgradeStatus(url: string, path: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        resolve(text.slice(0, end));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
  });
}

t.test('an encoded /ws/live path does not upgrade without a login', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  t.match(await upgradeStatus(w.c.url, '/ws/live'), /^HTTP\/1\.1 401/);
  t.match(await upgradeStatus(w.c.url, '/ws/%6Cive'), /^HTTP\/1\.1 401/, 'was 101 Switching Protocols, then a crash');
});
