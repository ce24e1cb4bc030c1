import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../helpers/collector.ts';
import { publishedNames } from '../../src/http/routes/downloads.ts';
import { resolveSettings } from '../../src/settings.ts';

// A stand-in executable: 3 MiB of bytes, so the body arrives in many chunks (streamed, not buffered whole).
const root = mkdtempSync(join(tmpdir(), 'nines-downloads-'));
const dir = join(root, 'exe');
mkdirSync(dir);
const exe = Buffer.alloc(3 * 1024 * 1024, 7);
exe.write('MZ fake agent', 0);
writeFileSync(join(dir, 'nines-agent-win-x64.exe'), exe);
writeFileSync(join(dir, 'nines-agent-linux-x64'), 'ELF fake agent');
writeFileSync(join(dir, 'unlisted.txt'), 'not published');
writeFileSync(join(root, 'secret.txt'), 'outside the downloads dir');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const sums = `${sha(exe)}  nines-agent-win-x64.exe\n${sha('ELF fake agent')}  nines-agent-linux-x64\n`;
writeFileSync(join(dir, 'SHA256SUMS'), sums);
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise `..`). */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; chunks: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts), chunks: parts.length }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('a listening collector serves the published files without login', async (t) => {
  const collector = await startCollector({ app: { downloadsDir: dir } });
  t.teardown(() => collector.close());

  const win = await get(collector.url, '/download/nines-agent-win-x64.exe');
  t.equal(win.status, 200);
  t.equal(win.headers['content-type'], 'application/octet-stream');
  t.equal(win.headers['content-length'], String(exe.length));
  t.equal(win.headers['content-disposition'], 'attachment; filename="nines-agent-win-x64.exe"');
  t.equal(sha(win.body), sha(exe), 'the bytes are the file');
  t.ok(win.chunks > 1, `streamed in ${win.chunks} chunks`);

  const list = await get(collector.url, '/download/SHA256SUMS');
  t.equal(list.status, 200);
  t.equal(list.headers['content-type'], 'text/plain; charset=utf-8');
  t.equal(list.body.toString(), sums);

  const head = await get(collector.url, '/download/nines-agent-linux-x64', 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.headers['content-length'], '14');
});

t.test('unknown names, unlisted files and traversal get 404 with a code', async (t) => {
  const collector = await startCollector({ app: { downloadsDir: dir } });
  t.teardown(() => collector.close());
  for (const path of ['/download/nines-agent-darwin-arm64', '/download/unlisted.txt', '/download/..%2fsecret.txt', '/download/..%2F..%2Fetc%2Fpasswd', '/download/%2e%2e%2fsecret.txt']) {
    const res = await get(collector.url, path);
    t.equal(res.status, 404, path);
    const body = JSON.parse(res.body.toString()) as { code: string; message: string };
    t.equal(body.code, 'NINES_ERR_NOT_FOUND', path);
    t.notMatch(res.body.toString(), /outside the downloads dir|not published/, `${path}: no file content`);
  }
  // The router resolves dot segments before matching: `/download/.%2e` is `/`, which no download route answers.
  const dots = await get(collector.url, '/download/.%2e');
  t.equal(dots.status, 404);
  t.notMatch(dots.body.toString(), /outside the downloads dir|not published/);
  const res = JSON.parse((await get(collector.url, '/download/nope')).body.toString()) as { message: string };
  t.match(res.message, /no download named "nope" \(published: nines-agent-win-x64\.exe, nines-agent-linux-x64, SHA256SUMS, nines-agent\.mjs\)/);
});

t.test('a directory with nothing built says how to build', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'nines-downloads-empty-'));
  const collector = await startCollector({ app: { downloadsDir: empty } });
  t.teardown(async () => {
    await collector.close();
    rmSync(empty, { recursive: true, force: true });
  });
  const res = await get(collector.url, '/download/SHA256SUMS');
  t.equal(res.status, 404);
  t.match(JSON.parse(res.body.toString()), { code: 'NINES_ERR_NOT_FOUND', message: /no downloads are published.*npm run build/ });
});

t.test('a name listed in SHA256SUMS but deleted is a 404, not a crash', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'nines-downloads-gone-'));
  writeFileSync(join(d, 'SHA256SUMS'), `${'a'.repeat(64)}  nines-agent-linux-arm64\n`);
  const collector = await startCollector({ app: { downloadsDir: d } });
  t.teardown(async () => {
    await collector.close();
    rmSync(d, { recursive: true, force: true });
  });
  const res = await get(collector.url, '/download/nines-agent-linux-arm64');
  t.equal(res.status, 404);
  t.match(JSON.parse(res.body.toString()).message, /listed in SHA256SUMS but missing/);
});

t.test('the catalogue is what SHA256SUMS lists, nothing with a path in it', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'nines-downloads-sums-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, 'SHA256SUMS'), `${'b'.repeat(64)}  ok-file\n${'c'.repeat(64)} *binary-mode\n${'d'.repeat(64)}  ../escape\nnot a sum line\n${'e'.repeat(64)}  .hidden\n`);
  t.same(publishedNames(d), ['ok-file', 'binary-mode']);
  t.same(publishedNames(join(d, 'absent')), []);
});

t.test('settings: flag > NINES_DOWNLOADS_DIR > file > agent/dist/exe', async (t) => {
  const config = join(root, 'c.yml');
  writeFileSync(config, 'downloadsDir: /srv/from-file\n');
  t.match(resolveSettings({}, {}).downloadsDir, /agent[\\/]dist[\\/]exe$/);
  t.equal(resolveSettings({ config }, {}).downloadsDir, '/srv/from-file');
  t.equal(resolveSettings({ config }, { NINES_DOWNLOADS_DIR: '/srv/env' }).downloadsDir, '/srv/env');
  t.equal(resolveSettings({ config, downloadsDir: '/srv/flag' }, { NINES_DOWNLOADS_DIR: '/srv/env' }).downloadsDir, '/srv/flag');
  writeFileSync(config, 'downloadsDir: ""\n');
  t.throws(() => resolveSettings({ config }, {}), /not a valid collector config[\s\S]*downloadsDir/);
});
