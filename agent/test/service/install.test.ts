import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector, type TestCollector } from '../../../collector/test/helpers/collector.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';
import { installService, uninstallService, type InstallOptions } from '../../src/service/installer.ts';
import { systemd, renderSystemdUnit } from '../../src/service/systemd.linux.ts';
import { renderUpgradePathUnit, renderUpgradeServiceUnit } from '../../src/service/upgrader.linux.ts';
import { createPublicKey } from 'node:crypto';
import { launchd } from '../../src/service/launchd.darwin.ts';
import { windows } from '../../src/service/windows.win32.ts';
import { serviceManagerFor } from '../../src/service/index.ts';
import { serviceStatus } from '../../src/commands/status.ts';
import { stableNodePath } from '../../src/commands/install.ts';
import type { ExecFn, ExecResult } from '../../src/exec.ts';
import type { ServiceContext } from '../../src/service/spec.ts';
import { fixture } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A bundle of our own in a temp dir, so this file never races the build test over dist/. */
const bundleDir = mkdtempSync(join(tmpdir(), 'nines-install-bundle-'));
const bundle = join(bundleDir, 'nines-agent.mjs');
await run(process.execPath, [join(agentDir, 'build.mjs'), bundle], { timeout: 60_000 });
t.teardown(() => rmSync(bundleDir, { recursive: true, force: true }));

interface Recorded {
  ctx: ServiceContext;
  commands: string[];
  lines: string[];
}

/**
 * A temp root and an exec that records commands instead of changing this machine (no systemd as PID 1,
 * no launchd or SCM here). `answers` scripts replies by command prefix; `id` says "no such user" by default.
 */
function recordingContext(t: Test, platform: NodeJS.Platform, answers: [string, Partial<ExecResult>][] = []): Recorded {
  const root = mkdtempSync(join(tmpdir(), 'nines-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const commands: string[] = [];
  const lines: string[] = [];
  const exec: ExecFn = async (file, args) => {
    const command = [file, ...args].join(' ');
    commands.push(command);
    const answer = answers.find(([prefix]) => command.startsWith(prefix))?.[1];
    return { code: file === 'id' ? 1 : 0, stdout: '', stderr: '', ...answer };
  };
  return { ctx: { root, exec, platform, say: (line) => lines.push(line) }, commands, lines };
}

async function collectorWithToken(t: Test): Promise<{ collector: TestCollector; token: () => Promise<string> }> {
  const collector = await startCollector();
  t.teardown(collector.close);
  return { collector, token: () => createEnrollToken(collector.store, 'acme', Date.now()) };
}

function options(collector: TestCollector, token: string, overrides: Partial<InstallOptions> = {}): InstallOptions {
  return {
    url: collector.url, token, name: 'pc-01', force: false, agentSource: bundle, configSource: null, winswSource: null,
    nodePath: process.execPath, logLevel: 'info', tls: {}, start: true, ...overrides,
  };
}

const mode = (path: string) => statSync(path).mode & 0o777;

t.test('systemd: install enrolls, places bundle, config and unit, creates the user and starts the service', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx, commands } = recordingContext(t, 'linux');
  const config = join(ctx.root, '..', `agent-${process.pid}.yml`);
  writeFileSync(config, 'checks:\n  - { kind: disk, id: root, path: / }\n');
  t.teardown(() => rmSync(config, { force: true }));

  const outcome = await installService(ctx, systemd, options(collector, (await token()), { configSource: config }));
  t.equal(outcome.enrolled, true);
  t.equal((await collector.store.getAgent(outcome.identity.agentId))?.name, 'pc-01', 'the collector knows the new agent');

  const at = (p: string) => join(ctx.root, p);
  t.equal(mode(at('var/lib/nines-agent/identity.json')), 0o600, 'identity readable by its owner only');
  t.equal(mode(at('opt/nines-agent/nines-agent.mjs')), 0o755);
  t.equal(readFileSync(at('opt/nines-agent/nines-agent.mjs'), 'utf8'), readFileSync(bundle, 'utf8'), 'the bundle itself is installed');
  t.equal(mode(at('etc/nines-agent/agent.yml')), 0o640);
  const unit = readFileSync(at('etc/systemd/system/nines-agent.service'), 'utf8');
  t.equal(unit, renderSystemdUnit({ layout: systemd.defaultLayout(), nodePath: process.execPath, logLevel: 'info', withConfig: true, connectionArgs: [] }));
  t.same(commands, [
    'id -u nines-agent',
    'useradd --system --user-group --home-dir /var/lib/nines-agent --no-create-home --shell /usr/sbin/nologin --comment Nines monitoring agent nines-agent',
    'chown -R nines-agent:nines-agent /var/lib/nines-agent',
    'chown root:nines-agent /etc/nines-agent/agent.yml',
    // The privileged upgrader: key and the request directory's parent root's alone, the request directory the agent's.
    'chown root:root /var/lib/nines-agent-upgrade /etc/nines-agent/upgrade-key.pem /etc/nines-agent',
    'chmod 755 /var/lib/nines-agent-upgrade /etc/nines-agent',
    'chmod 644 /etc/nines-agent/upgrade-key.pem',
    'chown nines-agent:nines-agent /var/lib/nines-agent-upgrade/requests',
    'chmod 700 /var/lib/nines-agent-upgrade/requests',
    'systemctl daemon-reload',
    'systemctl enable --now nines-agent.service',
    'systemctl restart nines-agent.service',
    'systemctl daemon-reload',
    'systemctl enable --now nines-agent-upgrade.path',
  ]);
  const spec = { layout: systemd.defaultLayout(), nodePath: process.execPath, logLevel: 'info', withConfig: true, connectionArgs: [] };
  t.equal(readFileSync(at('etc/systemd/system/nines-agent-upgrade.path'), 'utf8'), renderUpgradePathUnit(spec));
  t.equal(readFileSync(at('etc/systemd/system/nines-agent-upgrade.service'), 'utf8'), renderUpgradeServiceUnit(spec));
  const pinned = createPublicKey(readFileSync(at('etc/nines-agent/upgrade-key.pem'), 'utf8')).export({ type: 'spki', format: 'der' }).toString('base64');
  t.equal(pinned, outcome.identity.signingKey, 'the key pinned for the upgrader is the one the enrollment pinned');
  t.equal(mode(at('etc/nines-agent/upgrade-key.pem')), 0o644);
  t.equal(mode(at('var/lib/nines-agent-upgrade/requests')), 0o700);

  // The installed file is a working agent: it reads the identity the install wrote.
  const { stdout } = await run(process.execPath, [at('opt/nines-agent/nines-agent.mjs'), 'status', '--json', '--state-dir', at('var/lib/nines-agent')], { timeout: 20_000 });
  t.match(JSON.parse(stdout), { enrolled: true, agentId: outcome.identity.agentId, collectorUrl: collector.url, service: { manager: 'systemd' } });
});

t.test('collector trust (CA file, plain http) applies to the enrollment and is handed to the service', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx } = recordingContext(t, 'linux');
  const ca = join(ctx.root, 'private-ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nnot checked for http\n-----END CERTIFICATE-----\n');
  const outcome = await installService(ctx, systemd, options(collector, (await token()), { tls: { caFile: ca, allowInsecure: true } }));
  t.equal(readFileSync(join(ctx.root, 'etc/nines-agent/collector-ca.pem'), 'utf8'), readFileSync(ca, 'utf8'), 'the CA is installed where the service user can read it');
  t.equal(mode(join(ctx.root, 'etc/nines-agent/collector-ca.pem')), 0o644);
  t.match(readFileSync(join(ctx.root, 'etc/systemd/system/nines-agent.service'), 'utf8'), /^ExecStart=.* run --state-dir \/var\/lib\/nines-agent --ca-file \/etc\/nines-agent\/collector-ca\.pem --allow-insecure --upgrade-request-dir \/var\/lib\/nines-agent-upgrade\/requests$/m);
  t.match(outcome.identity.tls, { caFile: ca, allowInsecure: true }, 'remembered with the identity as enroll does');

  // Plain http to another machine is refused before the token leaves this one.
  await t.rejects(installService(ctx, systemd, options({ url: 'http://192.0.2.10:8080' } as TestCollector, (await token()), { force: true })), { message: /refusing plain http:\/\/ to 192.0.2.10/ });
});

t.test('installing again upgrades in place: same identity, no token spent, user kept', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx, commands } = recordingContext(t, 'linux', [['id -u', { code: 0, stdout: '998\n' }]]);
  const first = await installService(ctx, systemd, options(collector, (await token())));
  const second = await installService(ctx, systemd, options(collector, 'already-spent-or-bogus'));
  t.equal(second.enrolled, false);
  t.equal(second.identity.agentId, first.identity.agentId);
  t.notOk(commands.some((c) => c.startsWith('useradd')), 'an existing user is left alone');
  t.equal((await collector.store.listAgents()).length, 1);

  const forced = await installService(ctx, systemd, options(collector, (await token()), { force: true }));
  t.not(forced.identity.agentId, first.identity.agentId, '--force enrolls a new agent');
});

t.test('nothing is installed and no token spent when the config, the bundle or the token is bad', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx } = recordingContext(t, 'linux');
  const badConfig = join(ctx.root, 'bad.yml');
  writeFileSync(badConfig, 'checks:\n  - { kind: tcp, id: db, host: 127.0.0.1 }\n');
  const unused = (await token());
  await t.rejects(installService(ctx, systemd, options(collector, unused, { configSource: badConfig })), { code: 'NINES_ERR_CONFIG', message: /\/checks\/0/ });
  await t.rejects(installService(ctx, systemd, options(collector, unused, { agentSource: join(ctx.root, 'missing.mjs') })), { code: 'NINES_ERR_INSTALL', message: /npm run build/ });
  t.notOk(existsSync(join(ctx.root, 'var')) || existsSync(join(ctx.root, 'etc')) || existsSync(join(ctx.root, 'opt')), 'no files written');
  t.equal((await collector.store.listAgents()).length, 0, 'the token was not spent');

  await t.rejects(installService(ctx, systemd, options(collector, 'not-a-token')), { message: /enrollment refused/ });
  t.notOk(existsSync(join(ctx.root, 'etc/systemd/system/nines-agent.service')), 'no unit without an identity');
  await t.rejects(installService(ctx, systemd, options({ url: 'http://127.0.0.1:1' } as TestCollector, unused)), { message: /cannot reach the collector/ });
});

t.test('a failing system command stops the install with the command and its message', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx } = recordingContext(t, 'linux', [['useradd', { code: 9, stderr: "useradd: group nines-agent exists - if you want to add this user to that group, use -g.\n" }]]);
  await t.rejects(installService(ctx, systemd, options(collector, (await token()))), {
    code: 'NINES_ERR_SERVICE_COMMAND', message: /`useradd --system .*` failed \(exit 9\): useradd: group nines-agent exists/,
  });
  const { ctx: missing } = recordingContext(t, 'linux', [['systemctl', { code: null, failure: 'not-found', failureMessage: 'systemctl is not installed (not found in PATH)' }]]);
  await t.rejects(installService(missing, systemd, options(collector, (await token()))), { message: /systemctl daemon-reload.*not installed/ });
});

t.test('uninstall removes service, unit and bundle but keeps the identity; --purge removes everything and the user', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx, commands } = recordingContext(t, 'linux');
  await installService(ctx, systemd, options(collector, (await token())));
  commands.length = 0;
  await uninstallService(ctx, systemd, { purge: false });
  t.same(commands, ['systemctl disable --now nines-agent-upgrade.path', 'systemctl disable --now nines-agent.service']);
  t.notOk(existsSync(join(ctx.root, 'etc/systemd/system/nines-agent.service')));
  t.notOk(existsSync(join(ctx.root, 'etc/systemd/system/nines-agent-upgrade.path')));
  t.notOk(existsSync(join(ctx.root, 'etc/systemd/system/nines-agent-upgrade.service')));
  t.notOk(existsSync(join(ctx.root, 'var/lib/nines-agent-upgrade/requests')));
  t.notOk(existsSync(join(ctx.root, 'opt/nines-agent')));
  t.ok(existsSync(join(ctx.root, 'var/lib/nines-agent/identity.json')), 'identity kept for a reinstall');

  commands.length = 0;
  await uninstallService(ctx, systemd, { purge: true });
  t.same(commands, ['systemctl disable --now nines-agent-upgrade.path', 'systemctl disable --now nines-agent.service', 'userdel nines-agent']);
  t.notOk(existsSync(join(ctx.root, 'etc/nines-agent/upgrade-key.pem')), 'the pinned key goes with --purge');
  t.notOk(existsSync(join(ctx.root, 'var/lib/nines-agent')));

  const { ctx: gone } = recordingContext(t, 'linux', [['systemctl disable', { code: 1, stderr: 'Failed to disable unit: Unit file nines-agent.service does not exist.\n' }]]);
  await t.resolves(uninstallService(gone, systemd, { purge: false }), 'uninstalling twice is harmless');
});

t.test('launchd: a hidden service user with a free uid, the plist bootstrapped into the system domain', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  // uids 399 and 398 are taken; 397 is free
  const { ctx, commands } = recordingContext(t, 'darwin', [['id -u 399', { code: 0 }], ['id -u 398', { code: 0 }]]);
  await installService(ctx, launchd, options(collector, (await token())));
  t.ok(existsSync(join(ctx.root, 'Library/LaunchDaemons/org.nines.agent.plist')));
  t.ok(existsSync(join(ctx.root, 'Library/Application Support/Nines/agent/identity.json')));
  t.ok(existsSync(join(ctx.root, 'Library/Logs/Nines')), 'log directory created');
  t.match(commands, [
    'id -u _ninesagent', 'id -u 399', 'id -u 398', 'id -u 397',
    'dscl . -create /Users/_ninesagent', 'dscl . -create /Users/_ninesagent UniqueID 397',
  ]);
  t.ok(commands.includes('chown -R _ninesagent:daemon /Library/Application Support/Nines/agent /Library/Logs/Nines'));
  t.same(commands.slice(-6), [
    'launchctl bootout system/org.nines.agent', 'launchctl enable system/org.nines.agent', 'launchctl bootstrap system /Library/LaunchDaemons/org.nines.agent.plist',
    'launchctl bootout system/org.nines.agent-upgrade', 'launchctl enable system/org.nines.agent-upgrade', 'launchctl bootstrap system /Library/LaunchDaemons/org.nines.agent-upgrade.plist',
  ]);
  t.ok(commands.includes('chown _ninesagent:daemon /Library/Application Support/Nines/upgrade-requests'), 'the request directory is the agent user\'s');
  t.ok(commands.includes('chown root:wheel /Library/Application Support/Nines /Library/Application Support/Nines/upgrade-key.pem'), 'its parent and the key are root\'s');
  t.ok(existsSync(join(ctx.root, 'Library/LaunchDaemons/org.nines.agent-upgrade.plist')));
});

t.test('Windows: WinSW is required, installed beside the agent, and the state dir is locked to SYSTEM, Administrators and LocalService', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const { ctx, commands } = recordingContext(t, 'win32', [['sc.exe query', { code: 1060 }]]);
  await t.rejects(installService(ctx, windows, options(collector, (await token()))), { code: 'NINES_ERR_INSTALL', message: /WinSW/ });

  // Stands in for WinSW-x64.exe, which the install only copies and then runs (here: records).
  const winsw = join(ctx.root, 'WinSW-x64.exe');
  writeFileSync(winsw, 'MZ');
  await installService(ctx, windows, options(collector, (await token()), { winswSource: winsw, nodePath: 'C:\\Program Files\\nodejs\\node.exe' }));
  const dir = join(ctx.root, 'C/Program Files/Nines Agent');
  t.ok(existsSync(join(dir, 'nines-agent-service.exe')) && existsSync(join(dir, 'nines-agent.mjs')) && existsSync(join(dir, 'nines-agent-service.xml')));
  t.match(readFileSync(join(dir, 'nines-agent-service.exe.config'), 'utf8'), /<supportedRuntime version="v4\.0" \/>/, 'WinSW 1.17 runs on .NET 4');
  t.ok(existsSync(join(ctx.root, 'C/ProgramData/Nines/agent/identity.json')));
  t.ok(commands.includes('icacls C:\\ProgramData\\Nines\\agent /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F /grant:r *S-1-5-32-544:(OI)(CI)F /grant:r *S-1-5-19:(OI)(CI)M /T'));
  const exe = 'C:\\Program Files\\Nines Agent\\nines-agent-service.exe';
  const xml = 'C:\\Program Files\\Nines Agent\\nines-agent-service.xml';
  const task = 'schtasks.exe /Create /TN Nines agent upgrade /XML C:\\Program Files\\Nines Agent\\nines-agent-upgrade-task.xml /F';
  t.same(commands.slice(-3), [`${exe} install ${xml}`, `${exe} start ${xml}`, task]);
  t.ok(commands.includes('icacls C:\\ProgramData\\Nines\\upgrade-key.pem /inheritance:r /grant:r *S-1-5-18:F /grant:r *S-1-5-32-544:F /grant:r *S-1-5-19:R'), 'LocalService may read the pinned key, not change it');
  t.same(readFileSync(join(dir, 'nines-agent-upgrade-task.xml')).subarray(0, 2), Buffer.from([0xff, 0xfe]), 'the task XML is UTF-16 with its byte order mark');

  // Installing again is the in-place upgrade: the running service lets go of its files before they are replaced.
  commands.length = 0;
  await installService(ctx, windows, options(collector, (await token()), { winswSource: winsw, nodePath: 'C:\\Program Files\\nodejs\\node.exe' }));
  t.equal(commands[0], `${exe} stop ${xml}`, 'stopped before anything is copied');
  t.same(commands.slice(-3), [`${exe} install ${xml}`, `${exe} start ${xml}`, task]);

  commands.length = 0;
  await uninstallService(ctx, windows, { purge: true });
  t.same(commands, ['schtasks.exe /Delete /TN Nines agent upgrade /F', 'sc.exe query nines-agent'], 'an unknown service (sc error 1060) is not stopped or uninstalled again');
  t.notOk(existsSync(dir));
  t.notOk(existsSync(join(ctx.root, 'C/ProgramData/Nines/agent')));
});

t.test('status asks the service manager the way the service check does', async (t) => {
  const answer = (stdout: string, code = 0): ExecFn => async () => ({ code, stdout, stderr: '' });
  t.match(await serviceStatus({ platform: 'linux', exec: answer(fixture('systemctl', 'active.txt')) }), { manager: 'systemd', status: 'OK', message: /active \(running\)/ });
  t.match(await serviceStatus({ platform: 'linux', exec: answer(fixture('systemctl', 'failed.txt')) }), { manager: 'systemd', status: 'CRIT' });
  t.match(await serviceStatus({ platform: 'win32', exec: answer(fixture('sc', 'not-found.txt'), 1060) }), { manager: 'windows', status: 'CRIT', message: /nines-agent: no such service/ });
  t.match(await serviceStatus({ platform: 'darwin', exec: answer(fixture('launchctl', 'running.txt')) }), { manager: 'launchd', status: 'OK' });
  t.match(await serviceStatus({ platform: 'darwin', exec: async () => ({ code: null, stdout: '', stderr: '', failure: 'not-found', failureMessage: 'launchctl is not installed (not found in PATH)' }) }), { status: 'UNKNOWN', message: /not installed/ });
  t.equal(await serviceStatus({ platform: 'aix', exec: answer('') }), null, 'no service manager, no service line');
  t.throws(() => serviceManagerFor('aix'), { code: 'NINES_ERR_SERVICE_UNSUPPORTED' });
});

t.test('CLI: install --root writes the files and prints the commands; uninstall --root --purge clears them', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const root = mkdtempSync(join(tmpdir(), 'nines-cli-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const { stdout } = await run(process.execPath, [bundle, 'install', '--root', root, '--url', collector.url, '--token', (await token()), '--name', 'cli-host'], { timeout: 30_000 });
  t.match(stdout, /would run: useradd --system .* nines-agent\n/);
  t.match(stdout, /would run: systemctl enable --now nines-agent\.service/);
  t.match(stdout, /nines-agent installed: agent [\w-]+, systemd service/);
  t.ok(existsSync(join(root, 'etc/systemd/system/nines-agent.service')));
  t.equal((await collector.store.listAgents())[0]?.name, 'cli-host');

  const { stdout: removed } = await run(process.execPath, [bundle, 'uninstall', '--root', root, '--purge'], { timeout: 30_000 });
  t.match(removed, /would run: userdel nines-agent/);
  t.notOk(existsSync(join(root, 'var/lib/nines-agent')) || existsSync(join(root, 'opt/nines-agent')));

  const usage = await run(process.execPath, [bundle, 'install', '--root', root], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(usage, { code: 2, stderr: /install needs --url and --token/ });
  const wrong = await run(process.execPath, [bundle, 'install', '--url', collector.url, '--token', 'x', '--platform', 'darwin'], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(wrong, { code: 2, stderr: /--platform only works together with --root/ });
});

t.test('CLI on Windows: winsw.exe or WinSW-x64.exe beside the bundle is found without --winsw; without it the install says where to get it', async (t) => {
  const { collector, token } = await collectorWithToken(t);
  const work = mkdtempSync(join(tmpdir(), 'nines-cli-win-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const copy = join(work, 'nines-agent.mjs');
  writeFileSync(copy, readFileSync(bundle));
  const root = join(work, 'root');
  const args = [copy, 'install', '--root', root, '--platform', 'win32', '--url', collector.url, '--token'];
  const refused = await run(process.execPath, [...args, (await token())], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(refused, { code: 1, stderr: /WinSW-x64\.exe from https:\/\/github\.com\/winsw\/winsw\/releases/ });
  t.equal((await collector.store.listAgents()).length, 0, 'checked before the token is spent');

  writeFileSync(join(work, 'WinSW-x64.exe'), 'MZ');
  const { stdout } = await run(process.execPath, [...args, (await token())], { timeout: 30_000 });
  t.match(stdout, /would run: C:\\Program Files\\Nines Agent\\nines-agent-service\.exe install/);
  t.ok(existsSync(join(root, 'C/Program Files/Nines Agent/nines-agent-service.exe')));

  // The collector's winsw.exe (from node-windows) is preferred when both are there.
  writeFileSync(join(work, 'winsw.exe'), 'MZ winsw 1.17');
  await run(process.execPath, [...args, (await token()), '--force'], { timeout: 30_000 });
  t.equal(readFileSync(join(root, 'C/Program Files/Nines Agent/nines-agent-service.exe'), 'utf8'), 'MZ winsw 1.17');
});

t.test('the service runs node through a stable link when one points at this binary', async (t) => {
  const links: Record<string, string> = { '/opt/homebrew/bin/node': '/opt/homebrew/Cellar/node/22.3.0/bin/node' };
  const resolveLink = (p: string) => {
    if (p in links) return links[p]!;
    if (p.startsWith('/opt/homebrew/Cellar/')) return p;
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };
  t.equal(stableNodePath('/opt/homebrew/Cellar/node/22.3.0/bin/node', undefined, resolveLink), '/opt/homebrew/bin/node');
  t.equal(stableNodePath('/opt/homebrew/Cellar/node/21.0.0/bin/node', undefined, resolveLink), '/opt/homebrew/Cellar/node/21.0.0/bin/node', 'no link to this one: the path itself');
  t.equal(stableNodePath('/nowhere/node', undefined, resolveLink), '/nowhere/node');
  t.equal(realpathSync(stableNodePath(process.execPath)), realpathSync(process.execPath), 'on this machine: whatever path is chosen runs this same node');
});
