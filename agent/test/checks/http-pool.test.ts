import t, { type Test } from 'tap';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { http } from '../../src/checks/http.ts';
import { checkContext } from './helpers/context.ts';
import { makeTestPki } from './helpers/certs.ts';

const DAY = 86_400_000;

/** Counts the TCP connections a server accepted: how we tell a reused connection from a new one. */
async function listen(t: Test, server: Server & { closeAllConnections(): void }): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

async function run(config: Parameters<typeof http.run>[0], overrides: Parameters<typeof checkContext>[0] = {}) {
  const ctx = checkContext(overrides);
  try {
    return await http.run(config, ctx);
  } finally {
    ctx.dispose();
  }
}

const hello: RequestListener = (_req, res) => res.end('hello');

t.test('plain http runs share one keep-alive connection (no connect per run)', async (t) => {
  const server = await listen(t, createServer({ keepAliveTimeout: 30_000 }, hello));
  for (let i = 0; i < 5; i++) {
    const outcome = await run({ kind: 'http', id: 'web', url: `http://127.0.0.1:${server.port}/` });
    t.equal(outcome.status, 'OK', outcome.message);
    // runs of a check are seconds apart; one turn is enough for undici to take the connection back
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(server.connections(), 1, 'five runs, one connection');
});

t.test('a kept-alive connection the server closed is not reused: the next run connects anew and is OK', async (t) => {
  const server = await listen(t, createServer({ keepAliveTimeout: 50 }, hello));
  t.equal((await run({ kind: 'http', id: 'web', url: `http://127.0.0.1:${server.port}/` })).status, 'OK');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the server closes the idle connection after 50 ms
  const again = await run({ kind: 'http', id: 'web', url: `http://127.0.0.1:${server.port}/` });
  t.equal(again.status, 'OK', again.message);
  t.equal(server.connections(), 2);
});

t.test('https runs each read the certificate from a connection of their own', async (t) => {
  const pki = makeTestPki(30);
  t.teardown(pki.cleanup);
  const server = await listen(t, createHttpsServer({ key: pki.key, cert: pki.cert, keepAliveTimeout: 30_000 }, hello));
  const url = `https://localhost:${server.port}/`;
  const first = await run({ kind: 'http', id: 's', url, caFile: pki.caFile });
  const second = await run({ kind: 'http', id: 's', url, caFile: pki.caFile }, { clock: () => Date.now() + 25 * DAY });
  t.equal(first.status, 'OK', first.message);
  t.ok(first.metrics!.cert_days_left! >= 29, 'about 30 days left');
  t.equal(second.status, 'CRIT', 'the second run graded its own certificate');
  t.match(second.message, /certificate for localhost expires in/);
  t.equal(server.connections(), 2, 'a fresh TLS connection per run');
});

t.test('http redirected to https: the certificate of the https hop is graded', async (t) => {
  const pki = makeTestPki(30);
  t.teardown(pki.cleanup);
  const secure = await listen(t, createHttpsServer({ key: pki.key, cert: pki.cert }, hello));
  const plain = await listen(t, createServer((_req, res) => res.writeHead(301, { location: `https://localhost:${secure.port}/` }).end()));
  const outcome = await run({ kind: 'http', id: 'web', url: `http://127.0.0.1:${plain.port}/`, caFile: pki.caFile }, { clock: () => Date.now() + 25 * DAY });
  t.equal(outcome.status, 'CRIT', outcome.message);
  t.match(outcome.message, /after 1 redirect to https:\/\/localhost:\d+\/: certificate for localhost expires in/);
  t.type(outcome.metrics!.cert_days_left, 'number');
});

t.test('a body cut off at the keyword limit or a failing body does not poison the shared pool', async (t) => {
  let request = 0;
  const server = await listen(t, createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    request++;
    if (req.url === '/broken') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (req.url === '/huge') return res.end(Buffer.alloc(3 * 1024 * 1024, 'a'));
    res.end('Willkommen');
  }));
  const base = `http://127.0.0.1:${server.port}`;
  const broken = await run({ kind: 'http', id: 'b', url: `${base}/broken`, keyword: 'x' });
  t.equal(broken.status, 'CRIT');
  t.match(broken.message, /reading the body failed/);
  const huge = await run({ kind: 'http', id: 'h', url: `${base}/huge`, keyword: 'Willkommen' });
  t.equal(huge.status, 'CRIT', 'keyword not in the first MiB');
  const fine = await run({ kind: 'http', id: 'f', url: `${base}/`, keyword: 'Willkommen' });
  t.equal(fine.status, 'OK', fine.message);
  t.equal(request, 3);
});
