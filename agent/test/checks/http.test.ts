import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { http } from '../../src/checks/http.ts';
import { runCheck } from '../../src/runner.ts';
import { checkContext, runnerDeps } from './helpers/context.ts';
import { makeTestPki } from './helpers/certs.ts';

const DAY = 86_400_000;
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(t: Test, handler: Handler): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function run(config: Parameters<typeof http.run>[0], overrides: Parameters<typeof checkContext>[0] = {}) {
  const ctx = checkContext(overrides);
  try {
    return await http.run(config, ctx);
  } finally {
    ctx.dispose();
  }
}

const pages: Handler = (req, res) => {
  if (req.url === '/') return res.end('<h1>Willkommen bei Bäckerei Huber</h1>');
  if (req.url === '/error') return (res.statusCode = 500), res.end('Internal Server Error');
  if (req.url === '/hop1') return res.writeHead(301, { location: '/hop2' }).end();
  if (req.url === '/hop2') return res.writeHead(302, { location: '/' }).end();
  if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
  if (req.url === '/auth') {
    res.statusCode = req.headers.authorization === 'Basic ' + Buffer.from('huber:geheim').toString('base64') || req.headers.authorization === 'Bearer t0ken' ? 200 : 401;
    return res.end(String(req.headers.authorization));
  }
  if (req.url === '/hang') return; // never answers
  res.statusCode = 404;
  res.end();
};

t.test('a page with the expected keyword is OK with its latency', async (t) => {
  const base = await serve(t, pages);
  const outcome = await run({ kind: 'http', id: 'web', url: `${base}/`, keyword: 'Bäckerei' });
  t.equal(outcome.status, 'OK');
  t.match(outcome.message, /^HTTP 200 in \d+ ms$/);
  t.equal(outcome.metrics!.status_code, 200);
  t.type(outcome.metrics!.latency_ms, 'number');
  t.notOk('cert_days_left' in outcome.metrics!, 'plain http has no certificate');
});

t.test('status, keyword and absent keyword failures are CRIT with the reason', async (t) => {
  const base = await serve(t, pages);
  const error = await run({ kind: 'http', id: 'web', url: `${base}/error` });
  t.equal(error.status, 'CRIT');
  t.match(error.message, /HTTP 500 .*status not accepted/);
  t.equal((await run({ kind: 'http', id: 'web', url: `${base}/error`, expectStatus: [500] })).status, 'OK');
  t.equal((await run({ kind: 'http', id: 'web', url: `${base}/error`, expectStatus: ['5xx'] })).status, 'OK');
  const missing = await run({ kind: 'http', id: 'web', url: `${base}/`, keyword: 'Metzgerei' });
  t.equal(missing.status, 'CRIT');
  t.match(missing.message, /"Metzgerei" not found/);
  const present = await run({ kind: 'http', id: 'web', url: `${base}/`, keywordAbsent: 'Willkommen' });
  t.equal(present.status, 'CRIT');
  t.match(present.message, /"Willkommen" found/);
});

t.test('redirects are followed up to maxRedirects and reported', async (t) => {
  const base = await serve(t, pages);
  const followed = await run({ kind: 'http', id: 'web', url: `${base}/hop1`, keyword: 'Huber' });
  t.equal(followed.status, 'OK');
  t.equal(followed.metrics!.redirects, 2);
  t.match(followed.message, /after 2 redirects to http:\/\/127\.0\.0\.1:\d+\/$/);

  const notFollowed = await run({ kind: 'http', id: 'web', url: `${base}/hop1`, maxRedirects: 0 });
  t.equal(notFollowed.status, 'OK', 'a 301 is an accepted 3xx when redirects are not followed');
  t.equal(notFollowed.metrics!.status_code, 301);

  const loop = await run({ kind: 'http', id: 'web', url: `${base}/loop`, maxRedirects: 3, expectStatus: ['2xx'] });
  t.equal(loop.status, 'CRIT');
  t.match(loop.message, /HTTP 302 .*redirect limit reached/);
  t.equal(loop.metrics!.redirects, 3);
});

t.test('basic and bearer auth are sent, and not to another origin after a redirect', async (t) => {
  const base = await serve(t, pages);
  t.equal((await run({ kind: 'http', id: 'a', url: `${base}/auth` })).status, 'CRIT', '401 without credentials');
  t.equal((await run({ kind: 'http', id: 'a', url: `${base}/auth`, auth: { type: 'basic', username: 'huber', password: 'geheim' } })).status, 'OK');
  t.equal((await run({ kind: 'http', id: 'a', url: `${base}/auth`, auth: { type: 'bearer', token: 't0ken' } })).status, 'OK');
  t.equal((await run({ kind: 'http', id: 'a', url: `${base}/auth`, auth: { type: 'bearer', token: 'wrong' } })).status, 'CRIT');

  const seen: Array<string | undefined> = [];
  const other = await serve(t, (req, res) => (seen.push(req.headers.authorization), res.end('ok')));
  const bouncer = await serve(t, (req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(302, { location: `${other}/` }).end();
  });
  const outcome = await run({ kind: 'http', id: 'a', url: `${bouncer}/`, auth: { type: 'bearer', token: 't0ken' } });
  t.equal(outcome.status, 'OK');
  t.same(seen, ['Bearer t0ken', undefined], 'the token went to the configured origin only');
});

t.test('latency thresholds grade a slow answer', async (t) => {
  const base = await serve(t, (_req, res) => setTimeout(() => res.end('slow'), 120));
  const warn = await run({ kind: 'http', id: 'w', url: `${base}/`, latencyWarn: 50, latencyCrit: '10s' });
  t.equal(warn.status, 'WARN');
  t.match(warn.message, /slower than 50 ms/);
  t.equal((await run({ kind: 'http', id: 'w', url: `${base}/`, latencyCrit: '100ms' })).status, 'CRIT');
});

t.test('no answer within the timeout is CRIT, and the runner returns in time', async (t) => {
  const base = await serve(t, pages);
  const result = await runCheck({ kind: 'http', id: 'hang', url: `${base}/hang`, timeout: 300 }, runnerDeps);
  t.equal(result.status, 'CRIT');
  t.match(result.message, /no answer within 300 ms/);
  // The message is the check's own timeout's, not the runner's hard deadline ("check did not finish within").
});

t.test('connection refused is CRIT with the net.refused code, the address once and no raw errno', async (t) => {
  const outcome = await run({ kind: 'http', id: 'r', url: 'http://127.0.0.1:1/' }); // port 1: nothing listens
  t.equal(outcome.status, 'CRIT');
  t.equal(outcome.message, 'Connection to http://127.0.0.1:1/ refused');
  t.match(outcome, { code: 'net.refused', params: { target: 'http://127.0.0.1:1/' } });
});

t.test('https: certificate expiry is read from the same connection', async (t) => {
  const pki = makeTestPki(30);
  t.teardown(pki.cleanup);
  const serveTls = async (key: string, cert: string) => {
    const server = createHttpsServer({ key, cert }, (_req, res) => res.end('secure'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    return `https://localhost:${(server.address() as AddressInfo).port}/`;
  };
  const trusted = await serveTls(pki.key, pki.cert);

  const ok = await run({ kind: 'http', id: 's', url: trusted, caFile: pki.caFile });
  t.equal(ok.status, 'OK', ok.message);
  t.ok(ok.metrics!.cert_days_left! >= 29 && ok.metrics!.cert_days_left! <= 30, `about 30 days left, got ${ok.metrics!.cert_days_left}`);

  const in25Days = () => Date.now() + 25 * DAY; // 5 days left: inside the default 7-day CRIT window
  const crit = await run({ kind: 'http', id: 's', url: trusted, caFile: pki.caFile }, { clock: in25Days });
  t.equal(crit.status, 'CRIT');
  t.match(crit.message, /certificate for localhost expires in [45] d .*limit 7 d/);
  const in15Days = () => Date.now() + 15 * DAY;
  t.equal((await run({ kind: 'http', id: 's', url: trusted, caFile: pki.caFile }, { clock: in15Days })).status, 'WARN', 'default 21-day WARN');
  t.equal((await run({ kind: 'http', id: 's', url: trusted, caFile: pki.caFile, certWarnDays: 10, certCritDays: 2 }, { clock: in15Days })).status, 'OK');

  const selfSigned = await serveTls(pki.selfSignedKey, pki.selfSignedCert);
  const untrusted = await run({ kind: 'http', id: 's', url: selfSigned });
  t.equal(untrusted.status, 'CRIT');
  t.match(untrusted.message, /self-signed|DEPTH_ZERO_SELF_SIGNED_CERT/);
  const ignored = await run({ kind: 'http', id: 's', url: selfSigned, ignoreTls: true });
  t.equal(ignored.status, 'OK');
  t.match(ignored.message, /not verified \(ignoreTls\)/);
  t.type(ignored.metrics!.cert_days_left, 'number');

  const wrongName = await run({ kind: 'http', id: 's', url: trusted.replace('localhost', '127.0.0.2'), caFile: pki.caFile });
  t.equal(wrongName.status, 'CRIT', 'the certificate does not name 127.0.0.2');
});

t.test('an unreadable caFile is UNKNOWN, not a verdict on the site', async (t) => {
  const outcome = await run({ kind: 'http', id: 's', url: 'https://127.0.0.1:1/', caFile: '/no/such/ca.pem' });
  t.equal(outcome.status, 'UNKNOWN');
  t.match(outcome.message, /cannot read caFile \/no\/such\/ca\.pem/);
});
