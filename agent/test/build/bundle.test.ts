import t, { type Test } from 'tap';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from '../../../collector/test/helpers/collector.ts';

const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { version: string };

// One build for the whole file: `npm run build -w @nines/agent` runs exactly this script.
const built = run(process.execPath, [join(agentDir, 'build.mjs')], { cwd: agentDir, timeout: 60_000 });

/** The bundle copied alone into an empty directory: no node_modules, no package.json to lean on. */
async function isolatedBundle(t: Test): Promise<{ file: string; dir: string }> {
  await built;
  const dir = mkdtempSync(join(tmpdir(), 'nines-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nines-agent.mjs');
  copyFileSync(join(agentDir, 'dist', 'nines-agent.mjs'), file);
  return { file, dir };
}

t.test('the build writes one executable file that starts with a node shebang and carries the version', async (t) => {
  const { stdout } = await built;
  t.match(stdout, /built .*nines-agent\.mjs/);
  const file = join(agentDir, 'dist', 'nines-agent.mjs');
  const text = readFileSync(file, 'utf8');
  t.ok(text.startsWith('#!/usr/bin/env node\n'), 'shebang first');
  t.ok(statSync(file).mode & 0o100, 'executable bit set');
  // One non-ASCII character (in a comment esbuild carried over) makes V8 keep the whole source as a two-byte string.
  t.equal(text.match(/[^\x00-\x7f]/g)?.length ?? 0, 0, 'pure ASCII: V8 holds the source one byte a character');
  // TypeBox's compiler generates and compiles JavaScript for each schema: +8 MiB resident for the agent's, so the agent
  // validates with schemaValidator (Value.Check) and the compiler must not be in its bundle at all.
  t.notMatch(text, /class TypeCheck\b|TypeCompiler/, "TypeBox's schema compiler is not bundled");
  // ICU's collation and formatting data are pages of the node binary a bare node never touches: +2.6 MiB resident for
  // one localeCompare, +7.6 MiB for one Intl.DateTimeFormat. The agent orders and formats without them.
  t.notMatch(text, /\.localeCompare\(|\bIntl\.|\.toLocale(?:Date|Time)?String\(/, 'no ICU collation or formatting in the agent');
  // Only Node built-ins are imported; ws's optional native add-ons are the two allowed bare requires.
  // (esbuild emits double-quoted specifiers; single-quoted ones are JSDoc type comments of bundled code.)
  const bare = [...text.matchAll(/(?:^import [^\n]*from |require\()"([\w@./:-]+)"/gm)].map((m) => m[1]!).filter((s) => !s.startsWith('node:'));
  const nonBuiltin = bare.filter((s) => !['bufferutil', 'utf-8-validate'].includes(s) && !isBuiltin(s));
  t.same(nonBuiltin, [], 'nothing left to resolve from node_modules');
  const { dir, file: copy } = await isolatedBundle(t);
  const { stdout: printed } = await run(process.execPath, [copy, '--version'], { cwd: dir, timeout: 20_000 });
  t.equal(printed.trim(), version);
});

t.test('the bundled agent runs `check --once --json` on this machine from an empty directory', async (t) => {
  const { file, dir } = await isolatedBundle(t);
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const config = join(dir, 'agent.yml');
  writeFileSync(config, `checks:\n  - { kind: disk, id: tmp-disk, path: ${JSON.stringify(dir)}, warnUsedPercent: 100, critUsedPercent: 100 }\n  - { kind: tcp, id: local-port, host: 127.0.0.1, port: ${port} }\n`);
  const { stdout } = await run(process.execPath, [file, 'check', '--once', '--json', '--no-auto', '--config', config, '--state-dir', join(dir, 'state')], {
    cwd: dir, timeout: 30_000,
  });
  const results = JSON.parse(stdout) as { checkId: string; status: string; seq: number }[];
  t.same(results.map((r) => [r.seq, r.checkId, r.status]), [[1, 'tmp-disk', 'OK'], [2, 'local-port', 'OK']]);

  // A bad config is refused with the field named and exit code 1 (not a crash with a stack trace).
  writeFileSync(config, 'checks:\n  - { kind: tcp, id: x, host: 127.0.0.1 }\n');
  const failed = await run(process.execPath, [file, 'check', '--once', '--json', '--no-auto', '--config', config], { cwd: dir, timeout: 20_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(failed, { code: 1, stderr: /\/checks\/0.*port/ });
});

t.test('the bundled agent enrolls with a real collector and delivers results over its WebSocket', async (t) => {
  const { file, dir } = await isolatedBundle(t);
  const collector = await startCollector();
  t.teardown(collector.close);
  const { createEnrollToken } = await import('../../../collector/src/commands/enroll-token.ts');
  const token = await createEnrollToken(collector.store, 'bundle-test', Date.now());
  const stateDir = join(dir, 'state');
  await run(process.execPath, [file, 'enroll', '--url', collector.url, '--token', token, '--state-dir', stateDir, '--name', 'bundled'], { cwd: dir, timeout: 20_000 });
  const { agentId } = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')) as { agentId: string };
  await collector.store.assignChecks(agentId, [{ kind: 'disk', id: 'tmp-disk', path: dir, interval: '10s', warnUsedPercent: 100, critUsedPercent: 100 }]);

  const config = join(dir, 'none.yml');
  writeFileSync(config, 'checks: []\n');
  const child = spawn(process.execPath, [file, 'run', '--state-dir', stateDir, '--config', config], { cwd: dir, stdio: 'ignore', env: { ...process.env, NINES_LOG_LEVEL: 'silent' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => child.kill('SIGKILL'));
  const deadline = Date.now() + 45_000; // first run within one 10 s interval; generous for a loaded CI machine
  while ((await collector.store.listChecks(agentId)).find((c) => c.id === 'tmp-disk')?.status !== 'OK' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.equal((await collector.store.listChecks(agentId)).find((c) => c.id === 'tmp-disk')?.status, 'OK', 'the assigned check reported OK');
  t.equal((await collector.store.getAgent(agentId))?.agentVersion, version, 'the bundle reports its version in hello');
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM stops it cleanly');
});

function isBuiltin(name: string): boolean {
  return builtins.has(name.split('/')[0]!);
}
const builtins = new Set((await import('node:module')).builtinModules);
