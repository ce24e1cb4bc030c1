import t from 'tap';
import { createServer } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { enroll } from '../../src/identity.ts';
import { makeTestPki } from '../checks/helpers/certs.ts';

const pki = makeTestPki();
t.teardown(() => pki.cleanup());

/** A collector stand-in that answers enrollment over TLS and counts what reached it. */
async function tlsCollector(key: string, cert: string) {
  const requests: string[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ agentId: '11111111-2222-3333-4444-555555555555', secret: 's'.repeat(43) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

t.test('plain http:// to another machine is refused before anything is sent', async (t) => {
  await t.rejects(enroll('http://192.0.2.10:8080', 'token-xxxxxxxx', 0, 'pc'), /refusing plain http:/);
});

t.test('a collector signed by a private CA: refused without the CA file, enrolled with it, and the trust is remembered', async (t) => {
  const collector = await tlsCollector(pki.key, pki.cert);
  t.teardown(collector.close);
  await t.rejects(enroll(collector.url, 'token-xxxxxxxx', 0, 'pc'), /cannot reach the collector/);
  const identity = await enroll(collector.url, 'token-xxxxxxxx', 0, 'pc', { caFile: pki.caFile });
  t.equal(identity.agentId, '11111111-2222-3333-4444-555555555555');
  t.same(identity.tls, { caFile: pki.caFile });
});

t.test('a pinned self-signed certificate: the right pin enrolls, a wrong pin sends no token', async (t) => {
  const collector = await tlsCollector(pki.selfSignedKey, pki.selfSignedCert);
  t.teardown(collector.close);
  const pin = new X509Certificate(pki.selfSignedCert).fingerprint256;
  const wrong = new X509Certificate(pki.cert).fingerprint256;
  await t.rejects(enroll(collector.url, 'token-xxxxxxxx', 0, 'pc', { pinnedFingerprint: wrong }), /does not match the pinned fingerprint/);
  t.same(collector.requests, [], 'the token never left the machine');
  const identity = await enroll(collector.url, 'token-xxxxxxxx', 0, 'pc', { pinnedFingerprint: pin });
  t.equal(identity.secret, 's'.repeat(43));
  t.same(collector.requests, ['POST /api/v1/enroll']);
});
