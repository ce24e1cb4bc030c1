import t, { type Test } from 'tap';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CollectorConnection, type ConnectionOptions } from '../../../agent/src/connection.ts';
import { Spool } from '../../../agent/src/spool.ts';
import { makeTestPki, type TestPki } from '../../../agent/test/checks/helpers/certs.ts';
import { startCollector, until } from './helpers.ts';

/**
 * wss:// to a real collector: TLS is terminated in front of it, as a reverse proxy (Caddy, nginx) does
 * in production, by a real node:tls server with certificates made by the openssl CLI. The proxy counts
 * the application bytes a client sent, so a test can prove the agent's secret never left on a refusal.
 */
async function tlsFront(t: Test, backendPort: number, key: string, cert: string): Promise<{ url: string; bytesFromClients: () => number; connections: () => number }> {
  let bytes = 0;
  let handshakes = 0; // TCP connections
  const server: TlsServer = createTlsServer({ key, cert }, (secure) => {
    const backend = netConnect(backendPort, '127.0.0.1');
    secure.on('data', (chunk: Buffer) => (bytes += chunk.length));
    secure.pipe(backend).pipe(secure);
    const end = () => (secure.destroy(), backend.destroy());
    secure.on('error', end);
    backend.on('error', end);
    secure.on('close', end);
    backend.on('close', end);
  });
  server.on('tlsClientError', () => undefined);
  server.on('connection', () => handshakes++); // TCP connections: a refused client may vanish before the server's handshake ends
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `https://localhost:${port}`, bytesFromClients: () => bytes, connections: () => handshakes };
}

function agent(t: Test, options: Partial<ConnectionOptions> & Pick<ConnectionOptions, 'url' | 'agentId' | 'secret'>): { conn: CollectorConnection; spool: Spool } {
  const dir = mkdtempSync(join(tmpdir(), 'nines-tls-agent-'));
  const spool = new Spool({ dir, sync: false });
  const conn = new CollectorConnection({
    spool, clock: Date.now, log: pino({ level: 'silent' }), hello: { agentVersion: 'test', hostname: 'pc', platform: 'linux', bootId: 'b' },
    configVersion: () => 0, onConfig: () => undefined, random: () => 0, ...options,
  });
  t.teardown(async () => {
    await conn.stop();
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { conn, spool };
}

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

let pki: TestPki;
let otherPki: TestPki;
t.before(() => {
  pki = makeTestPki();
  otherPki = makeTestPki();
});
t.teardown(() => (pki.cleanup(), otherPki.cleanup()));

t.test('a CA file the collector certificate chains to is accepted; results flow over wss://', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const front = await tlsFront(t, Number(new URL(c.url).port), pki.key, pki.cert);
  const creds = await c.addAgent();
  const { conn, spool } = agent(t, { url: front.url, ...creds, caFile: pki.caFile });
  spool.append({ checkId: 'web', kind: 'http', status: 'OK', message: 'ok', metrics: {}, startedAt: Date.now() - 10, finishedAt: Date.now() }, Date.now());
  conn.start();
  await until('streaming over TLS', () => conn.state === 'streaming' && spool.backlog === 0);
  t.equal(await c.store.countResults(creds.agentId), 1);
});

t.test('a certificate from another CA is refused before anything is sent', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const front = await tlsFront(t, Number(new URL(c.url).port), pki.key, pki.cert);
  const creds = await c.addAgent();
  const { conn } = agent(t, { url: front.url, ...creds, caFile: otherPki.caFile });
  conn.start();
  await until('refused', () => conn.lastError !== null);
  t.match(conn.lastError, /certificate|unable to verify|self.signed/i);
  t.not(conn.state, 'streaming');
  t.equal(front.bytesFromClients(), 0, 'not a byte of HTTP (and so no secret) reached the server');
  t.equal((await c.store.getAgent(creds.agentId))!.lastSeenAt, null);
});

t.test('without a CA file or pin, a self-signed collector is refused (system roots only)', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const front = await tlsFront(t, Number(new URL(c.url).port), pki.selfSignedKey, pki.selfSignedCert);
  const { conn } = agent(t, { url: front.url, ...(await c.addAgent()) });
  conn.start();
  await until('refused', () => conn.lastError !== null);
  t.match(conn.lastError, /self.signed|certificate/i);
  t.equal(front.bytesFromClients(), 0);
});

t.test('a pinned fingerprint accepts exactly that certificate, self-signed or not', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const front = await tlsFront(t, Number(new URL(c.url).port), pki.selfSignedKey, pki.selfSignedCert);
  const creds = await c.addAgent();
  const pin = fingerprintOf(pki.selfSignedCert);
  t.match(pin, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const { conn } = agent(t, { url: front.url, ...creds, pinnedFingerprint: pin.toLowerCase() });
  conn.start();
  await until('streaming with a pin', () => conn.state === 'streaming');
  t.equal((await c.store.getAgent(creds.agentId))!.connected, true);
});

t.test('a pin mismatch is refused at the TLS handshake: the secret never leaves the machine', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  // the attacker's certificate is even CA-signed and valid for the name: only the pin protects here
  const front = await tlsFront(t, Number(new URL(c.url).port), pki.key, pki.cert);
  const creds = await c.addAgent();
  const { conn } = agent(t, { url: front.url, ...creds, pinnedFingerprint: fingerprintOf(pki.selfSignedCert), caFile: pki.caFile });
  conn.start();
  await until('refused', () => /does not match the pinned fingerprint/.test(conn.lastError ?? ''));
  await until('a retry, refused too', () => front.connections() >= 2, 5_000);
  t.equal(front.bytesFromClients(), 0, 'no HTTP upgrade, no Authorization header was sent');
  t.equal((await c.store.getAgent(creds.agentId))!.lastSeenAt, null);
});

t.test('bad TLS settings fail at start with a clear message; plain ws:// to another machine is refused', async (t) => {
  const base = { agentId: '00000000-0000-0000-0000-000000000000', secret: 'x'.repeat(43) };
  t.throws(() => agent(t, { url: 'https://nines.example.de', ...base, caFile: '/nonexistent/ca.pem' }), /cannot read the CA file \/nonexistent\/ca.pem/);
  t.throws(() => agent(t, { url: 'https://nines.example.de', ...base, pinnedFingerprint: 'AB:CD' }), /not a SHA-256 fingerprint/);
  t.throws(() => agent(t, { url: 'http://192.168.178.20:8080', ...base }), /refusing plain http:\/\/ to 192.168.178.20/);
  t.doesNotThrow(() => agent(t, { url: 'http://192.168.178.20:8080', ...base, allowInsecure: true }));
});
