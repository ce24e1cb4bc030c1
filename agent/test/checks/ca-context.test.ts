import t from 'tap';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustedCaContext, trustedCas } from '../../src/checks/cert.ts';
import { tls } from '../../src/checks/tls.ts';
import { http } from '../../src/checks/http.ts';
import { checkContext } from './helpers/context.ts';
import { makeTestPki } from './helpers/certs.ts';

// Two unrelated CAs; the servers below present a leaf of the first one.
const pki = makeTestPki(30);
const otherPki = makeTestPki(30);
const dir = mkdtempSync(join(tmpdir(), 'nines-ca-context-'));
t.teardown(() => (pki.cleanup(), otherPki.cleanup(), rmSync(dir, { recursive: true, force: true })));

t.test('the same CA text gives the same TLS context; another text its own', async (t) => {
  const first = trustedCaContext(await trustedCas(pki.caFile));
  t.ok(first, 'a context when a caFile is configured');
  t.equal(trustedCaContext(await trustedCas(pki.caFile)), first, 'the ~140 system CAs are not parsed again for the same caFile');
  t.not(trustedCaContext(await trustedCas(otherPki.caFile)), first);
  t.equal(trustedCaContext(undefined), undefined, 'no caFile: the system default context of tls.connect');
});

t.test('a caFile replaced between runs counts at the next run (tls and http kinds)', async (t) => {
  const server = createTlsServer({ key: pki.key, cert: pki.cert }, (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  const port = (server.address() as AddressInfo).port;
  const caFile = join(dir, 'ca.pem');
  const runBoth = async () => {
    const ctx = checkContext({ timeoutMs: 3_000 });
    try {
      return [
        await tls.run({ kind: 'tls', id: 'tls', host: '127.0.0.1', port, caFile }, ctx),
        await http.run({ kind: 'http', id: 'web', url: `https://127.0.0.1:${port}/`, caFile }, ctx),
      ];
    } finally {
      ctx.dispose();
    }
  };

  copyFileSync(pki.caFile, caFile);
  for (const outcome of await runBoth()) t.equal(outcome.status, 'OK', outcome.message);
  copyFileSync(otherPki.caFile, caFile);
  for (const outcome of await runBoth()) {
    t.equal(outcome.status, 'CRIT', outcome.message);
    t.match(outcome.message, /not trusted|UNABLE_TO_VERIFY_LEAF_SIGNATURE/, 'the new CA is the one asked');
  }
  copyFileSync(pki.caFile, caFile);
  for (const outcome of await runBoth()) t.equal(outcome.status, 'OK', outcome.message);
  writeFileSync(caFile, 'not a certificate\n');
  for (const outcome of await runBoth()) t.match(outcome, { status: 'UNKNOWN', message: /holds no PEM certificate/ });
});
