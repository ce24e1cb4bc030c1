import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from '../../../collector/test/helpers/collector.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';

const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8')) as { version: string };

// Node's single-executable applications need node:sea (20.12+) and postject (a dev dependency) to build.
const unsupported = (() => {
  try {
    createRequire(import.meta.url)('node:sea');
    createRequire(import.meta.url).resolve('postject');
    return false;
  } catch (error) {
    return `standalone build not possible here: ${(error as Error).message}`;
  }
})();

t.test('the standalone agent runs without Node.js installed and installs itself as the service program', { skip: unsupported }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-standalone-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, process.platform === 'win32' ? 'nines-agent.exe' : 'nines-agent');
  const { stdout: built } = await run(process.execPath, [join(agentDir, 'build.mjs'), '--standalone', exe], { timeout: 120_000 });
  t.match(built, /standalone for/);
  t.ok(statSync(exe).mode & 0o100, 'executable');

  // An empty PATH and no NODE_* variables: nothing but the file itself.
  const bare = { PATH: '', HOME: dir };
  t.equal((await run(exe, ['--version'], { env: bare, cwd: dir, timeout: 20_000 })).stdout.trim(), version);
  const config = join(dir, 'agent.yml');
  writeFileSync(config, `checks:\n  - { kind: disk, id: tmp-disk, path: ${JSON.stringify(dir)}, warnUsedPercent: 100, critUsedPercent: 100 }\n`);
  const { stdout, stderr } = await run(exe, ['check', '--once', '--json', '--no-auto', '--config', config, '--state-dir', join(dir, 'state')], { env: bare, cwd: dir, timeout: 20_000 });
  t.match(JSON.parse(stdout), [{ seq: 1, checkId: 'tmp-disk', status: 'OK' }]);
  t.equal(stderr, '', 'no warnings (ws add-ons are left out of the executable, not looked up on disk)');

  const collector = await startCollector();
  t.teardown(collector.close);
  const root = join(dir, 'root');
  const token = await createEnrollToken(collector.store, 'acme', Date.now());
  const installed = await run(exe, ['install', '--root', root, '--url', collector.url, '--token', token, '--platform', 'linux'], { env: bare, cwd: dir, timeout: 30_000 });
  t.match(installed.stdout, /installed \/opt\/nines-agent\/nines-agent\n/);
  const unit = readFileSync(join(root, 'etc/systemd/system/nines-agent.service'), 'utf8');
  t.match(unit, /^ExecStart=\/opt\/nines-agent\/nines-agent run --state-dir \/var\/lib\/nines-agent --upgrade-request-dir \/var\/lib\/nines-agent-upgrade\/requests$/m, 'the executable is the program, no node in front (and it may ask the privileged upgrader)');
  t.notOk(existsSync(join(root, 'opt/nines-agent/nines-agent.mjs')));
  const status = await run(join(root, 'opt/nines-agent/nines-agent'), ['status', '--json', '--state-dir', join(root, 'var/lib/nines-agent')], { env: bare, timeout: 20_000 });
  t.match(JSON.parse(status.stdout), { version, enrolled: true, collectorUrl: collector.url });
});
