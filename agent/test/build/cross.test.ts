import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startWine, wineMissing } from './wine.ts';
import { fileURLToPath } from 'node:url';

// The cross-built executables (agent/build.mjs --cross), built once for both subtests. The arm64 one runs
// under qemu-user, the win-x64 one under Wine; .ci/run installs qemu-user-static, the arm64 libraries and
// wine64, so a machine without them FAILS here, it does not skip (Wine: skipped only outside CI, NINES_CI unset).
const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version: agentVersion } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { version: string };
const qemu = '/usr/bin/qemu-aarch64-static';
const arm64Sysroot = '/usr/aarch64-linux-gnu';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const dir = mkdtempSync(join(tmpdir(), 'nines-cross-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'exe');

/** A tcp server that accepts and closes, an http server that answers "nines ok"; both stop with the test. */
async function targets(t: Test): Promise<{ tcpPort: number; httpPort: number }> {
  const tcp = createTcpServer((s) => s.end());
  const http = createHttpServer((_req, res) => res.end('nines ok'));
  t.teardown(() => { tcp.close(); http.close(); });
  return { tcpPort: await listen(tcp), httpPort: await listen(http as unknown as Server) };
}

t.test('--cross writes the three executables and their SHA-256 sums; arm64 runs check --once under qemu-user', async (t) => {
  const { stdout: built } = await run(process.execPath, [join(agentDir, 'build.mjs'), '--cross', out], { timeout: 300_000, maxBuffer: 1 << 24 });
  t.match(built, /nines-agent-win-x64\.exe \(nines-agent .*, node 22\./);
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
  t.same(sums.map(([, name]) => name), ['nines-agent-linux-x64', 'nines-agent-linux-arm64', 'nines-agent-win-x64.exe']);
  for (const [sum, name] of sums) t.equal(createHash('sha256').update(readFileSync(join(out, name!))).digest('hex'), sum, `${name} sum`);
  t.equal(readFileSync(join(out, 'nines-agent-win-x64.exe')).subarray(0, 2).toString(), 'MZ', 'a PE file');

  const { tcpPort, httpPort } = await targets(t);
  const config = join(dir, 'agent.yml');
  writeFileSync(
    config,
    [
      'checks:',
      `  - { kind: tcp, id: port, host: 127.0.0.1, port: ${tcpPort} }`,
      `  - { kind: http, id: web, url: "http://127.0.0.1:${httpPort}/", keyword: "nines ok" }`,
      `  - { kind: disk, id: tmp-disk, path: ${JSON.stringify(dir)}, warnUsedPercent: 100, critUsedPercent: 100 }`,
      '  - { kind: process, id: itself, match: "nines-agent-linux-arm64", matchOn: commandLine }',
      '',
    ].join('\n'),
  );
  const exe = join(out, 'nines-agent-linux-arm64');
  const bare = { PATH: '/usr/bin:/bin', HOME: dir };
  t.equal((await run(qemu, ['-L', arm64Sysroot, exe, '--version'], { env: bare, timeout: 60_000 })).stdout.trim(), agentVersion);
  const { stdout } = await run(qemu, ['-L', arm64Sysroot, exe, 'check', '--once', '--json', '--no-auto', '--config', config, '--state-dir', join(dir, 'state')], { env: bare, timeout: 120_000 });
  const results = JSON.parse(stdout) as Array<{ checkId: string; status: string }>;
  t.same(results.map((r) => [r.checkId, r.status]).sort(), [['itself', 'OK'], ['port', 'OK'], ['tmp-disk', 'OK'], ['web', 'OK']]);
});

// Under Wine 8 (Debian 12's wine64) in a fresh prefix set to Windows 10: the agent's win32 code paths, run by
// the Windows build of Node. Wine's tasklist is a stub that lists nothing, so the process check can only
// show that it runs tasklist as a Windows child process and refuses the empty list (UNKNOWN, not CRIT).
t.test('win-x64 runs --version and check --once under Wine', { skip: (!process.env.NINES_CI && wineMissing()) || false }, async (t) => {
  const missing = wineMissing();
  if (missing) throw new Error(`NINES_CI is set and ${missing}`);
  const exe = join(out, 'nines-agent-win-x64.exe');
  t.ok(existsSync(exe), 'built by the test before');
  const wine = await startWine(mkdtempSync(join(dir, 'wine-')));
  t.teardown(() => wine.stop());
  const { tcpPort, httpPort } = await targets(t);
  const version = await wine.run(exe, ['--version'], 120_000);
  t.same([version.code, version.stdout.trim()], [0, agentVersion], version.stderr);

  const config = join(dir, 'agent-win.yml');
  writeFileSync(
    config,
    [
      'checks:',
      `  - { kind: tcp, id: port, host: 127.0.0.1, port: ${tcpPort} }`,
      `  - { kind: http, id: web, url: "http://127.0.0.1:${httpPort}/", keyword: "nines ok" }`,
      "  - { kind: disk, id: c-drive, path: 'C:\\', warnUsedPercent: 100, critUsedPercent: 100 }",
      `  - { kind: disk, id: tmp-through-z, path: '${wine.winPath(dir)}', warnUsedPercent: 100, critUsedPercent: 100 }`,
      '  - { kind: process, id: itself, match: "nines-agent-win-x64.exe" }',
      '',
    ].join('\n'),
  );
  const check = await wine.run(exe, ['check', '--once', '--json', '--no-auto', '--config', wine.winPath(config), '--state-dir', wine.winPath(join(dir, 'win-state'))], 180_000);
  const results = JSON.parse(check.stdout) as Array<{ checkId: string; status: string; code: string; message: string }>;
  const by = Object.fromEntries(results.map((r) => [r.checkId, r]));
  t.same(results.map((r) => [r.checkId, r.status]).sort(), [['c-drive', 'OK'], ['itself', 'UNKNOWN'], ['port', 'OK'], ['tmp-through-z', 'OK'], ['web', 'OK']], 'each check and its status');
  t.match(by['web'], { code: 'http.ok', message: /^HTTP 200 in \d+ ms/ }, 'http with undici, no TCP keepalive');
  t.match(by['c-drive'], { message: /^C:\\: \d/ }, 'a drive letter, the win32 disk path');
  t.match(by['itself'], { code: 'process.list_failed', message: /tasklist listed no processes at all/ }, 'tasklist ran under Wine (its stub prints nothing)');
  t.equal(check.code, 3, 'the exit code of the worst status, UNKNOWN');
});
