import t, { type Test } from 'tap';
import { createServer as createTlsServer } from 'node:tls';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { tls } from '../../src/checks/tls.ts';
import { runCheck } from '../../src/runner.ts';
import { checkContext, runnerDeps } from './helpers/context.ts';
import { makeTestPki, type TestPki } from './helpers/certs.ts';

const DAY = 86_400_000;
const pki: TestPki = makeTestPki(30);
t.teardown(pki.cleanup);

async function run(config: Omit<Parameters<typeof tls.run>[0], 'kind' | 'id' | 'host'>, clock?: () => number) {
  const ctx = checkContext({ timeoutMs: 3_000, ...(clock ? { clock } : {}) });
  try {
    return await tls.run({ kind: 'tls', id: 'tls', host: '127.0.0.1', ...config }, ctx);
  } finally {
    ctx.dispose();
  }
}

async function tlsServer(t: Test, key: string, cert: string): Promise<number> {
  const server = createTlsServer({ key, cert }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

t.test('a trusted certificate is OK with days left, issuer and protocol', async (t) => {
  const port = await tlsServer(t, pki.key, pki.cert);
  const outcome = await run({ port, caFile: pki.caFile });
  t.equal(outcome.status, 'OK', outcome.message);
  t.match(outcome.message, /certificate for localhost expires in (29|30) d .*TLSv1\.3, issuer Nines Test CA/);
  t.ok(outcome.metrics!.cert_days_left! >= 29);
  t.match(outcome.details, { trusted: true, subject: 'localhost' });
});

t.test('expiry windows: WARN at 21 days, CRIT at 7 days by default, configurable', async (t) => {
  const port = await tlsServer(t, pki.key, pki.cert);
  t.equal((await run({ port, caFile: pki.caFile }, () => Date.now() + 12 * DAY)).status, 'WARN');
  t.equal((await run({ port, caFile: pki.caFile }, () => Date.now() + 26 * DAY)).status, 'CRIT');
  const expired = await run({ port, caFile: pki.caFile }, () => Date.now() + 40 * DAY);
  t.equal(expired.status, 'CRIT');
  t.match(expired.message, /expired on \d{4}-\d\d-\d\d/);
  t.equal((await run({ port, caFile: pki.caFile, certWarnDays: 5, certCritDays: 1 }, () => Date.now() + 12 * DAY)).status, 'OK');
});

t.test('an untrusted chain is CRIT but still tells the days left', async (t) => {
  const port = await tlsServer(t, pki.selfSignedKey, pki.selfSignedCert);
  const outcome = await run({ port });
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /is not trusted: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  t.type(outcome.metrics!.cert_days_left, 'number');
  const unknownCa = await run({ port: await tlsServer(t, pki.key, pki.cert) });
  t.equal(unknownCa.status, 'CRIT', 'a CA not in the trust store');
  t.match(unknownCa.message, /not trusted: issuer unknown/);
});

t.test('a certificate for another name is CRIT', async (t) => {
  const port = await tlsServer(t, pki.key, pki.cert);
  const outcome = await run({ port, caFile: pki.caFile, servername: 'mail.huber-baeckerei.de' });
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /does not name this host \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
});

t.test('SMTP STARTTLS: greeting, EHLO and upgrade against a real SMTP server', async (t) => {
  const smtp = new SMTPServer({ key: pki.key, cert: pki.cert, authOptional: true, logger: false, banner: 'Huber Mail' });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const port = (smtp.server.address() as AddressInfo).port;
  const outcome = await run({ port, starttls: 'smtp', caFile: pki.caFile, servername: 'localhost' });
  t.equal(outcome.status, 'OK', outcome.message);
  t.match(outcome.message, /127\.0\.0\.1:\d+ \(STARTTLS\): certificate for localhost expires in/);

  const plain = new SMTPServer({ disabledCommands: ['STARTTLS'], authOptional: true, logger: false });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => plain.close(() => resolve())));
  const noTls = await run({ port: (plain.server.address() as AddressInfo).port, starttls: 'smtp' });
  t.equal(noTls.status, 'CRIT');
  t.match(noTls.message, /does not offer STARTTLS/);
});

t.test('a server that never greets is CRIT at the timeout; refused is CRIT at once', async (t) => {
  const sockets: Socket[] = [];
  const mute = createNetServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { sockets.forEach((s) => s.destroy()); mute.close(() => resolve()); }));
  const port = (mute.address() as AddressInfo).port;
  const result = await runCheck({ kind: 'tls', id: 'mute', host: '127.0.0.1', port, starttls: 'smtp', timeout: 300 }, runnerDeps);
  t.equal(result.status, 'CRIT');
  t.match(result.message, /no answer within 300 ms/);
  t.equal(result.code, 'net.timeout');
  const handshakeHang = await runCheck({ kind: 'tls', id: 'mute', host: '127.0.0.1', port, timeout: 300 }, runnerDeps);
  t.equal(handshakeHang.status, 'CRIT', 'a plain server that never completes a handshake');

  const refused = await run({ port: 1 });
  t.equal(refused.status, 'CRIT');
  t.equal(refused.message, 'Connection to 127.0.0.1:1 refused');
  t.match(refused, { code: 'net.refused', params: { target: '127.0.0.1:1' } });
});
