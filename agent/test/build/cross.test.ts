import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The cross-built executables (agent/build.mjs --cross). The arm64 one runs under qemu-user; .ci/run
// installs qemu-user-static and the arm64 libraries, so a machine without them FAILS here, it does not skip.
const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { version: string };
const qemu = '/usr/bin/qemu-aarch64-static';
const arm64Sysroot = '/usr/aarch64-linux-gnu';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

t.test('--cross writes the three executables and their SHA-256 sums; arm64 runs check --once under qemu-user', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-cross-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'exe');
  const { stdout: built } = await run(process.execPath, [join(agentDir, 'build.mjs'), '--cross', out], { timeout: 300_000, maxBuffer: 1 << 24 });
  t.match(built, /nines-agent-win-x64\.exe \(nines-agent .*, node 22\./);
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
  t.same(sums.map(([, name]) => name), ['nines-agent-linux-x64', 'nines-agent-linux-arm64', 'nines-agent-win-x64.exe']);
  for (const [sum, name] of sums) t.equal(createHash('sha256').update(readFileSync(join(out, name!))).digest('hex'), sum, `${name} sum`);
  t.equal(readFileSync(join(out, 'nines-agent-win-x64.exe')).subarray(0, 2).toString(), 'MZ', 'a PE file');

  const tcp = createTcpServer((s) => s.end());
  const http = createHttpServer((_req, res) => res.end('nines ok'));
  t.teardown(() => { tcp.close(); http.close(); });
  const tcpPort = await listen(tcp);
  const httpPort = await listen(http as unknown as Server);
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
  t.equal((await run(qemu, ['-L', arm64Sysroot, exe, '--version'], { env: bare, timeout: 60_000 })).stdout.trim(), version);
  const { stdout } = await run(qemu, ['-L', arm64Sysroot, exe, 'check', '--once', '--json', '--no-auto', '--config', config, '--state-dir', join(dir, 'state')], { env: bare, timeout: 120_000 });
  const results = JSON.parse(stdout) as Array<{ checkId: string; status: string }>;
  t.same(results.map((r) => [r.checkId, r.status]).sort(), [['itself', 'OK'], ['port', 'OK'], ['tmp-disk', 'OK'], ['web', 'OK']]);
});
