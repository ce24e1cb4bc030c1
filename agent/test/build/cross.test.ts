import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startWine, wineMissing, type Wine } from './wine.ts';
import { sleep, startCollector, waitUntil } from '../../../e2e/helpers/processes.ts';
import { adminApi, checkResults } from '../../../e2e/helpers/api.ts';
import { fileURLToPath } from 'node:url';
import { machOLayout } from '../../build/macho.mjs';

// The cross-built executables (agent/build.mjs --cross), built once for both subtests. The arm64 one runs
// under qemu-user, the win-x64 one under Wine; the darwin ones cannot run here (no macOS, no codesign): their
// Mach-O structure is checked instead; .ci/run installs qemu-user-static, the arm64 libraries and
// wine64, so a machine without them FAILS here, it does not skip (Wine: skipped only outside CI, NINES_CI unset).
// One cross build (~1 min) shared by qemu and Wine subtests (a fresh Wine prefix, an enroll/run/outage round):
// minutes on a busy 2-core runner, far past tap's default 120 s per file.
t.setTimeout(900_000);

const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version: agentVersion } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { version: string };
const qemu = '/usr/bin/qemu-aarch64-static';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
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

t.test('--cross writes the five executables and their SHA-256 sums; arm64 runs check --once under qemu-user', async (t) => {
  const { stdout: built } = await run(process.execPath, [join(agentDir, 'build.mjs'), '--cross', out], { timeout: 300_000, maxBuffer: 1 << 24 });
  t.match(built, /nines-agent-win-x64\.exe \(nines-agent .*, node 22\./);
  t.match(built, /nines-agent-darwin-arm64 \(nines-agent .*, node 22\.\d+\.\d+, unsigned\)/);
  const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
  t.same(sums.map(([, name]) => name), ['nines-agent-linux-x64', 'nines-agent-linux-arm64', 'nines-agent-win-x64.exe', 'nines-agent-darwin-x64', 'nines-agent-darwin-arm64', 'winsw.exe']);
  t.match(built, /copied .*winsw\.exe \(WinSW from node-windows 1\.0\.0-beta\.8\)/);
  t.equal(readFileSync(join(out, 'winsw.exe')).subarray(0, 2).toString(), 'MZ', 'WinSW, a PE file');
  for (const [sum, name] of sums) t.equal(createHash('sha256').update(readFileSync(join(out, name!))).digest('hex'), sum, `${name} sum`);
  t.equal(readFileSync(join(out, 'nines-agent-win-x64.exe')).subarray(0, 2).toString(), 'MZ', 'a PE file');
  for (const cpu of ['x64', 'arm64']) {
    const exe = readFileSync(join(out, `nines-agent-darwin-${cpu}`));
    const layout = machOLayout(exe, `darwin-${cpu}`);
    t.equal(layout.cpu, cpu, `darwin-${cpu}: a Mach-O for ${cpu}`);
    t.same(layout.segments.find((s) => s.name === 'NODE_SEA')?.sections, ['__NODE_SEA_BLOB'], `darwin-${cpu}: the SEA blob in segment NODE_SEA`);
    t.equal(layout.signature, null, `darwin-${cpu}: the official signature removed (the Mac signs ad hoc: docs/install.md)`);
    t.ok(exe.includes(`${SEA_FUSE}:1`) && !exe.includes(`${SEA_FUSE}:0`), `darwin-${cpu}: the SEA fuse flipped`);
    // The official build it came from was signed, so the removal above did something.
    const [, version] = new RegExp(`nines-agent-darwin-${cpu} \\(nines-agent \\S+, node (\\S+),`).exec(built)!;
    const official = readFileSync(join(agentDir, '..', 'node_modules', '.cache', 'nines-node', version!, `darwin-${cpu}`, 'bin', 'node'));
    t.ok(machOLayout(official, `node-darwin-${cpu}`).signature, `node ${version} for darwin-${cpu} is signed as published`);
  }

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

t.test('--only with a target that does not exist names the ones that do, and builds nothing', async (t) => {
  const empty = join(dir, 'only-nope');
  const failed = await run(process.execPath, [join(agentDir, 'build.mjs'), '--cross', '--only=linux-x64,darwin-ppc', empty], { timeout: 60_000 })
    .then(() => null, (error: { code: number; stderr: string }) => error);
  t.equal(failed?.code, 1);
  t.match(failed?.stderr, /--only: no target darwin-ppc \(targets: linux-x64, linux-arm64, win-x64, darwin-x64, darwin-arm64\)/);
  t.same(existsSync(empty) ? readdirSync(empty) : [], [], 'no file written');
});

/** One fresh prefix for the Wine subtests (creating one takes a while); its wineserver is killed at the end. */
let wine: Promise<Wine> | undefined;
function sharedWine(): Promise<Wine> {
  if (!wine) {
    wine = startWine(mkdtempSync(join(dir, 'wine-')));
    t.teardown(async () => (await wine!).stop());
  }
  return wine;
}

// Under Wine 8 (Debian 12's wine64) in a fresh prefix set to Windows 10: the agent's win32 code paths, run by
// the Windows build of Node. Wine's tasklist is a stub that lists nothing, so the process check can only
// show that it runs tasklist as a Windows child process and refuses the empty list (UNKNOWN, not CRIT).
t.test('win-x64 runs --version and check --once under Wine', { skip: (!process.env.NINES_CI && wineMissing()) || false }, async (t) => {
  const missing = wineMissing();
  if (missing) throw new Error(`NINES_CI is set and ${missing}`);
  const exe = join(out, 'nines-agent-win-x64.exe');
  t.ok(existsSync(exe), 'built by the test before');
  const wine = await sharedWine();
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

// enroll and run against a collector on loopback (its own process, e2e's helper), which is then killed: the
// agent spools what it checks meanwhile and replays it once the collector is back on the same port and data.
t.test('win-x64 enrolls and runs under Wine; results checked while the collector is down are replayed', { skip: (!process.env.NINES_CI && wineMissing()) || false }, async (t) => {
  const missing = wineMissing();
  if (missing) throw new Error(`NINES_CI is set and ${missing}`);
  const exe = join(out, 'nines-agent-win-x64.exe');
  const wine = await sharedWine();
  const { tcpPort } = await targets(t);
  const collector = await startCollector({ dataDir: mkdtempSync(join(dir, 'collector-')) });
  t.teardown(() => collector.child.stop('SIGKILL'));
  const token = (await collector.cli(['enroll-token', 'create', '--client', 'wine'])).trim().split('\n').at(-1)!;
  const stateDir = wine.winPath(join(dir, 'win-run-state'));
  const enrolled = await wine.run(exe, ['enroll', '--url', collector.url, '--token', token, '--state-dir', stateDir, '--name', 'wine-pc'], 120_000);
  t.equal(enrolled.code, 0, enrolled.stderr);
  const agentId = /enrolled as agent (\S+);/.exec(enrolled.stdout)?.[1];
  t.ok(agentId, enrolled.stdout);
  t.match(enrolled.stdout, `identity in ${stateDir}\\identity.json`, 'a Windows path, not Z:\\…/identity.json');

  const config = join(dir, 'agent-run.yml');
  writeFileSync(config, `checks:\n  - { kind: tcp, id: port, host: 127.0.0.1, port: ${tcpPort}, interval: 10s }\n`);
  const agent = wine.start(exe, ['run', '--state-dir', stateDir, '--config', wine.winPath(config)], 600_000);
  t.teardown(() => { agent.child.kill('SIGKILL'); });
  const api = await adminApi(collector);
  const since = Date.now() - 60_000;
  const stored = () => checkResults(api, agentId!, 'port', since, Date.now() + 1);
  // the check exists in the collector from its first result on; the history of an unknown check is a 404
  await waitUntil('a first result of the agent under Wine', async () => ((await stored().catch(() => [])).length > 0 ? true : undefined), 120_000, 1_000);

  const downAt = Date.now();
  await collector.child.stop('SIGKILL');
  await sleep(25_000); // two or three results of a 10 s check while nobody listens
  const upAt = Date.now();
  await collector.restart();
  // The agent reconnects with backoff (at most 60 s), then replays its spool.
  const replayed = await waitUntil('the results checked during the outage', async () => {
    const during = (await stored()).filter((r) => r.at > downAt && r.at < upAt);
    return during.length >= 2 ? during : undefined;
  }, 120_000, 1_000);
  t.ok(replayed.every((r) => r.status === 'OK'), `${replayed.length} results from the outage, all OK`);
  const status = JSON.parse(await collector.cli(['status', '--json'])) as { agents: Array<{ id: string; connected: boolean; platform: string; agentVersion: string }> };
  t.match(status.agents.find((a) => a.id === agentId), { connected: true, platform: 'win32', agentVersion }, 'connected again, as the Windows build');
  t.match(agent.output().stdout, /agent running/);
});
