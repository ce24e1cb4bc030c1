import t, { type Test } from 'tap';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tcp } from '../../src/checks/tcp.ts';
import { renderResultMessage } from '@nines/shared';
import { runCheck } from '../../src/runner.ts';
import { checkContext, runnerDeps } from './helpers/context.ts';

async function listen(t: Test, onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  return (server.address() as AddressInfo).port;
}

async function run(config: Parameters<typeof tcp.run>[0], timeoutMs = 3_000) {
  const ctx = checkContext({ timeoutMs });
  try {
    return await tcp.run(config, ctx);
  } finally {
    ctx.dispose();
  }
}

t.test('a listening port is OK with the connect time', async (t) => {
  const port = await listen(t, () => {});
  const outcome = await run({ kind: 'tcp', id: 'p', host: '127.0.0.1', port });
  t.equal(outcome.status, 'OK');
  t.match(outcome.message, new RegExp(`127\\.0\\.0\\.1:${port} accepted a connection in \\d+ ms`));
  t.type(outcome.metrics!.latency_ms, 'number');
});

/** A loopback port that was just listening and is closed now: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('a refused port is CRIT with net.refused: the address once, no raw errno, German at the edge', async (t) => {
  const port = await closedPort();
  const outcome = await run({ kind: 'tcp', id: 'p', host: '127.0.0.1', port });
  t.equal(outcome.status, 'CRIT');
  t.equal(outcome.message, `Connection to 127.0.0.1:${port} refused`);
  t.same({ code: outcome.code, params: outcome.params }, { code: 'net.refused', params: { target: `127.0.0.1:${port}` } });
  t.equal(renderResultMessage(outcome.code, outcome.params, 'de', outcome.message), `Verbindung zu 127.0.0.1:${port} abgelehnt`);
  const result = await runCheck({ kind: 'tcp', id: 'p', host: '127.0.0.1', port }, runnerDeps);
  t.match(result, { code: 'net.refused', params: { target: `127.0.0.1:${port}` } }, 'the runner copies code and params into the result');
});

t.test('an accepted connection is coded tcp.connected', async (t) => {
  const port = await listen(t, () => {});
  const outcome = await run({ kind: 'tcp', id: 'p', host: '127.0.0.1', port });
  t.equal(outcome.code, 'tcp.connected');
  t.match(renderResultMessage(outcome.code, outcome.params, 'de', outcome.message), new RegExp(`^127\\.0\\.0\\.1:${port} hat die Verbindung in \\d+ ms angenommen$`));
});

t.test('the expected banner is found and shown', async (t) => {
  const port = await listen(t, (socket) => socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
  const outcome = await run({ kind: 'tcp', id: 'ssh', host: '127.0.0.1', port, expectBanner: 'SSH-2.0' });
  t.equal(outcome.status, 'OK');
  t.match(outcome.message, /: SSH-2\.0-OpenSSH_9\.2p1 Debian-2\+deb12u3$/);
});

t.test('send then expect: the answer to what we sent', async (t) => {
  const port = await listen(t, (socket) => socket.on('data', (data) => socket.write(`+PONG ${data.toString().trim()}\r\n`)));
  const outcome = await run({ kind: 'tcp', id: 'redis', host: '127.0.0.1', port, send: 'PING\r\n', expectBanner: '+PONG' });
  t.equal(outcome.status, 'OK', outcome.message);
  t.match(outcome.message, /\+PONG PING/);
});

t.test('a wrong banner is CRIT with what the server said', async (t) => {
  const port = await listen(t, (socket) => socket.end('220 mail.example.de ESMTP Postfix\r\n'));
  const outcome = await run({ kind: 'tcp', id: 'p', host: '127.0.0.1', port, expectBanner: 'SSH-2.0' });
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /"SSH-2\.0" not received \(the server closed the connection; got "220 mail\.example\.de ESMTP Postfix"\)/);
});

t.test('a silent server with an expected banner is CRIT at the timeout, via the runner', async (t) => {
  const port = await listen(t, () => {});
  const result = await runCheck({ kind: 'tcp', id: 'silent', host: '127.0.0.1', port, expectBanner: '220', timeout: 250 }, runnerDeps);
  t.equal(result.status, 'CRIT');
  t.match(result.message, /"220" not received \(timed out; got nothing\)/);
});
