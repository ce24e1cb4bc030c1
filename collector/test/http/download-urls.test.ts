/**
 * One download route serves every URL that docs/install.md and existing installs use (issue 19 merged the two
 * routes that were there): the bundle at /download/nines-agent.mjs (macOS one-liner, Node installs) with or
 * without a downloads directory, the executables, winsw.exe and SHA256SUMS from the downloads directory, and the
 * upgrade's SHA256SUMS.sig and signing-key.pem beside them. Each URL is read out of docs/install.md itself.
 */
import t from 'tap';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../helpers/collector.ts';

const root = mkdtempSync(join(tmpdir(), 'nines-download-urls-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const dir = join(root, 'exe');
mkdirSync(dir);
// Stand-ins (reconstructed for this test): the route must not care what the bytes are.
const files: Record<string, Buffer> = {
  'nines-agent-linux-x64': Buffer.from('\x7fELF linux x64 agent'),
  'nines-agent-linux-arm64': Buffer.from('\x7fELF linux arm64 agent'),
  'nines-agent-win-x64.exe': Buffer.from('MZ windows agent'),
  'winsw.exe': Buffer.from('MZ winsw'),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
const sums = Object.entries(files).map(([name, bytes]) => `${sha(bytes)}  ${name}\n`).join('');
writeFileSync(join(dir, 'SHA256SUMS'), sums);
const bundle = join(root, 'nines-agent.mjs');
const bundleText = '#!/usr/bin/env node\nconsole.log("agent bundle")\n';

function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every /download/<name> the install guide shows, `$f`/`"$f"` expanded to the Linux names the sh line picks from. */
function documentedNames(): string[] {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'install.md'), 'utf8');
  const names = new Set<string>();
  for (const match of doc.matchAll(/\/download\/("?\$f"?|[A-Za-z0-9._-]+)/g)) {
    if (match[1]!.includes('$f')) ['nines-agent-linux-x64', 'nines-agent-linux-arm64'].forEach((n) => names.add(n));
    else names.add(match[1]!);
  }
  return [...names].filter((n) => !/^(nines-agent-darwin-|<)/.test(n)); // darwin builds are best effort, not published here
}

t.test('every download URL in docs/install.md answers 200 with its bytes from one collector', async (t) => {
  writeFileSync(bundle, bundleText);
  const collector = await startCollector({ app: { downloadsDir: dir, agentBundle: bundle } });
  t.teardown(() => collector.close());
  const names = documentedNames();
  for (const name of ['nines-agent.mjs', 'SHA256SUMS', 'nines-agent-win-x64.exe', 'winsw.exe', 'signing-key.pem']) t.ok(names.includes(name), `install.md uses /download/${name}`);
  const key = createPublicKey((await get(`${collector.url}/download/signing-key.pem`)).body.toString());
  for (const name of names) {
    const res = await get(`${collector.url}/download/${name}`);
    t.equal(res.status, 200, `/download/${name}`);
    if (name === 'nines-agent.mjs') {
      t.equal(res.body.toString(), bundleText, 'the bundle, byte for byte');
      t.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
      t.equal(res.headers['content-disposition'], 'attachment; filename="nines-agent.mjs"');
    } else if (name === 'SHA256SUMS') t.equal(res.body.toString(), sums);
    else if (name === 'SHA256SUMS.sig') t.ok(verify(null, Buffer.from(sums), key, res.body), 'the signature verifies over the served sums');
    else if (name !== 'signing-key.pem') t.equal(sha(res.body), sha(files[name]!), `${name}: the published bytes`);
  }
});

t.test('without a downloads directory the bundle is still served; the rest say what is published', async (t) => {
  writeFileSync(bundle, bundleText);
  const collector = await startCollector({ app: { agentBundle: bundle } });
  t.teardown(() => collector.close());
  const ok = await get(`${collector.url}/download/nines-agent.mjs`);
  t.equal(ok.status, 200);
  t.equal(ok.body.toString(), bundleText);
  const none = await get(`${collector.url}/download/nines-agent-linux-x64`);
  t.equal(none.status, 404);
  t.match(JSON.parse(none.body.toString()), { code: 'NINES_ERR_NOT_FOUND', message: 'no download named "nines-agent-linux-x64" (published: nines-agent.mjs)' });
});

t.test('a bundle not built yet is a 404 that says how to build it', async (t) => {
  const collector = await startCollector({ app: { downloadsDir: dir, agentBundle: join(root, 'absent.mjs') } });
  t.teardown(() => collector.close());
  const res = await get(`${collector.url}/download/nines-agent.mjs`);
  t.equal(res.status, 404);
  t.match(JSON.parse(res.body.toString()), { code: 'NINES_ERR_NOT_FOUND', message: /not built on this collector \(run `npm run build`\)/ });
});
