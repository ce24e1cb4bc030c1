/**
 * Agent upgrades, the collector's side (issue 19): the ed25519 key made once in the data dir (0600, reused), the
 * enrollment answer carrying its public half, SHA256SUMS.sig verifying over the served sums with it, the `update`
 * message after the welcome only to an agent older than the published build, and the automatic switch (YAML, API
 * over YAML, back on DELETE, bad input refused and nothing changed). A real collector on loopback, real SQLite.
 */
import t from 'tap';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from '../../src/upgrade/signing-key.ts';
import { compareVersions, offerIn } from '../../src/upgrade/offer.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hashSecret, newSecret } from '../../src/auth/secrets.ts';
import { hello, nextMessage, startCollector, type TestCollector } from '../helpers/collector.ts';

const root = mkdtempSync(join(tmpdir(), 'nines-upgrade-c-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A downloads dir publishing `version` with a Linux and a Windows build. */
function publish(version: string | null): { dir: string; sums: string; files: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'exe-'));
  const files: Record<string, string> = { 'nines-agent-linux-x64': 'linux build', 'nines-agent-win-x64.exe': 'MZ windows build', 'winsw.exe': 'MZ winsw' };
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const sums = Object.entries(files).map(([name, body]) => `${sha(body)}  ${name}\n`).join('');
  writeFileSync(join(dir, 'SHA256SUMS'), sums);
  if (version !== null) writeFileSync(join(dir, 'VERSION'), version + '\n');
  return { dir, sums, files };
}

async function adminToken(c: TestCollector): Promise<Record<string, string>> {
  const secret = newSecret();
  const user = await c.store.createUser({ username: 'admin', passwordHash: 'x', role: 'admin', clientId: null }, 0);
  await c.store.createApiToken(hashSecret(secret), user, 'test', 0);
  return { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
}

t.test('the signing key is made once with mode 0600 and reused; a damaged key file is an error, not replaced', async (t) => {
  const dataDir = mkdtempSync(join(root, 'data-'));
  const first = loadOrCreateSigningKey(dataDir);
  const path = join(dataDir, SIGNING_KEY_FILE);
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.equal(createPublicKey({ key: Buffer.from(first.publicKey, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType, 'ed25519');
  t.equal(loadOrCreateSigningKey(dataDir).publicKey, first.publicKey, 'the second start reads the same key');
  writeFileSync(path, 'not a key');
  t.throws(() => loadOrCreateSigningKey(dataDir), /is not a private key/);
  t.equal(readFileSync(path, 'utf8'), 'not a key', 'the damaged file is left for the operator');
});

t.test('versions order as semver; the offer maps published names to platform and arch', async (t) => {
  t.equal(compareVersions('0.2.0', '0.1.9'), 1);
  t.equal(compareVersions('0.10.0', '0.9.0'), 1, 'numerically, not as text');
  t.equal(compareVersions('1.0.0-rc.1', '1.0.0'), -1, 'a pre-release is below its release');
  t.equal(compareVersions('1.0.0-rc.10', '1.0.0-rc.9'), 1);
  t.equal(compareVersions('1.0.0', '1.0.0'), 0);
  t.equal(compareVersions('test', '1.0.0'), null, 'not a version: never newer');
  const { dir, files } = publish('0.2.0');
  t.same(offerIn(dir, '0.1.0'), {
    version: '0.2.0',
    files: [
      { platform: 'linux', arch: 'x64', name: 'nines-agent-linux-x64', sha256: sha(files['nines-agent-linux-x64']!) },
      { platform: 'win32', arch: 'x64', name: 'nines-agent-win-x64.exe', sha256: sha(files['nines-agent-win-x64.exe']!) },
    ],
  }, 'winsw.exe is not an agent build');
  t.equal(offerIn(publish(null).dir, '0.1.0')?.version, '0.1.0', 'without VERSION: the collector\'s own version');
  t.equal(offerIn(publish('nightly').dir, '0.1.0'), null, 'an unorderable VERSION offers nothing');
  t.equal(offerIn(join(root, 'missing'), '0.1.0'), null);
});

t.test('enrollment carries the public key; SHA256SUMS.sig verifies over the served sums with it', async (t) => {
  const { dir, sums } = publish('0.2.0');
  const dataDir = mkdtempSync(join(root, 'data-'));
  const c = await startCollector({ app: { downloadsDir: dir, upgrade: { signingKey: loadOrCreateSigningKey(dataDir) } } });
  t.teardown(() => c.close());
  const token = await createEnrollToken(c.store, 'acme', Date.now());
  const enrolled = await (await fetch(`${c.url}/api/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: token, hostname: 'pc-01', platform: 'linux', agentVersion: '0.1.0' }),
  })).json() as { signingKey: string };
  t.equal(enrolled.signingKey, loadOrCreateSigningKey(dataDir).publicKey, 'the key of the data dir');
  const key = createPublicKey({ key: Buffer.from(enrolled.signingKey, 'base64'), format: 'der', type: 'spki' });

  const served = Buffer.from(await (await fetch(`${c.url}/download/SHA256SUMS`)).arrayBuffer());
  t.equal(served.toString(), sums);
  const response = await fetch(`${c.url}/download/SHA256SUMS.sig`);
  t.equal(response.status, 200);
  const signature = Buffer.from(await response.arrayBuffer());
  t.equal(signature.length, 64, 'an ed25519 signature');
  t.ok(verify(null, served, key, signature), 'verifies over the served bytes');
  t.notOk(verify(null, Buffer.from(sums.replace(/^./, sums[0] === '0' ? '1' : '0')), key, signature), 'and not over changed ones');
  const pem = await (await fetch(`${c.url}/download/signing-key.pem`)).text();
  t.equal(createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64'), enrolled.signingKey);
});

t.test('an older agent hears of the newer build after the welcome; automatic follows YAML, then the API', async (t) => {
  const { dir, files } = publish('0.2.0');
  const c = await startCollector({ app: { downloadsDir: dir, upgrade: { automatic: true } } });
  t.teardown(() => c.close());
  const headers = await adminToken(c);

  const greet = async (agentVersion: string) => {
    const creds = await c.addAgent();
    const socket = await c.agentSocket(creds);
    t.teardown(() => socket.close());
    const messages: Array<Record<string, unknown>> = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.send(JSON.stringify(hello({ agentVersion })));
    const first = await nextMessage(socket);
    // config (none assigned: version 0 equals the hello's) and update follow the welcome in the same turn.
    await new Promise((r) => setTimeout(r, 100));
    return { first, messages, socket };
  };

  const old = await greet('0.1.0');
  t.equal(old.first.type, 'welcome');
  const update = old.messages.find((m) => m.type === 'update');
  t.same(update, {
    type: 'update', version: '0.2.0', automatic: true,
    files: [
      { platform: 'linux', arch: 'x64', name: 'nines-agent-linux-x64', sha256: sha(files['nines-agent-linux-x64']!) },
      { platform: 'win32', arch: 'x64', name: 'nines-agent-win-x64.exe', sha256: sha(files['nines-agent-win-x64.exe']!) },
    ],
  });
  const current = await greet('0.2.0');
  t.equal(current.first.type, 'welcome');
  t.notOk(current.messages.some((m) => m.type === 'update'), 'an agent on the published version hears nothing');

  const view = await (await fetch(`${c.url}/api/v1/upgrade`, { headers })).json() as { automatic: boolean; source: string; offer: { version: string } };
  t.match(view, { automatic: true, source: 'yaml', offer: { version: '0.2.0' } });

  // Switched off through the API: the connected old agent is told at once.
  const told = nextMessage(old.socket);
  const put = await fetch(`${c.url}/api/v1/upgrade`, { method: 'PUT', headers, body: JSON.stringify({ automatic: false }) });
  t.equal(put.status, 200);
  t.match(await put.json(), { automatic: false, source: 'api' });
  t.match(await told, { type: 'update', version: '0.2.0', automatic: false });

  for (const bad of [{ automatic: 'yes' }, { automatic: true, autmatic: true }, {}]) {
    const refused = await fetch(`${c.url}/api/v1/upgrade`, { method: 'PUT', headers, body: JSON.stringify(bad) });
    t.equal(refused.status, 400, JSON.stringify(bad));
    t.match(await refused.json(), { code: 'NINES_ERR_BAD_REQUEST' });
  }
  t.match(await (await fetch(`${c.url}/api/v1/upgrade`, { headers })).json(), { automatic: false, source: 'api' }, 'bad input changed nothing');
  t.equal((await fetch(`${c.url}/api/v1/upgrade`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"automatic":true}' })).status, 401, 'admin only');

  const deleted = await fetch(`${c.url}/api/v1/upgrade`, { method: 'DELETE', headers: { authorization: headers.authorization! } });
  t.match(await deleted.json(), { automatic: true, source: 'yaml' }, 'back to the YAML');

  // The dashboard's host page: "update available" for the old agent, nothing for the current one.
  const hosts = await (await fetch(`${c.url}/api/v1/agents`, { headers })).json() as Array<{ agentVersion: string; updateAvailable: string | null }>;
  t.same(hosts.map((h) => [h.agentVersion, h.updateAvailable]).sort(), [['0.1.0', '0.2.0'], ['0.2.0', null]]);
});

t.test('config check names a VERSION that is not a version and a damaged signing key', async (t) => {
  const { checkConfig } = await import('../../src/ops/config-check.ts');
  const dataDir = mkdtempSync(join(root, 'data-'));
  const good = publish('0.2.0');
  const fine = checkConfig({ dataDir, downloadsDir: good.dir }, {});
  t.same(fine.problems, [], 'a good VERSION, no key yet (made at the first start)');
  t.equal(fine.sources['upgrade.automatic'], 'default');
  const bad = publish('latest');
  writeFileSync(join(dataDir, SIGNING_KEY_FILE), 'garbage');
  const report = checkConfig({ dataDir, downloadsDir: bad.dir }, {});
  t.match(report.problems, [/VERSION says "latest", not a version/, /signing-key\.pem is not a private key/]);
});
