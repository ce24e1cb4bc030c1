import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSystemdUnit, systemd, systemdWord } from '../../src/service/systemd.linux.ts';
import { launchd, renderLaunchdPlist, LAUNCHD_LABEL } from '../../src/service/launchd.darwin.ts';
import { renderWinswXml, windows, windowsArg, WINSW_EXE_CONFIG } from '../../src/service/windows.win32.ts';
import type { ServiceManager, ServiceSpec } from '../../src/service/spec.ts';
import { parseWindowsCommandLine, plistToJson, winswFields } from './parsers.ts';

const run = promisify(execFile);

function specFor(manager: ServiceManager, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return { layout: manager.defaultLayout(), nodePath: process.execPath, logLevel: 'info', withConfig: true, connectionArgs: [], ...overrides };
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nines-service-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Asks a real program; null when it is not installed here. */
async function tryRun(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string } | null> {
  try {
    const { stdout, stderr } = await run(file, args, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return null;
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

t.test('systemd unit: dedicated user, restart on failure, state under /var/lib, hardened', async (t) => {
  const unit = renderSystemdUnit(specFor(systemd));
  t.match(unit, /^User=nines-agent$/m);
  t.match(unit, /^Group=nines-agent$/m);
  t.match(unit, new RegExp(`^ExecStart=${process.execPath} /opt/nines-agent/nines-agent\\.mjs run --state-dir /var/lib/nines-agent --config /etc/nines-agent/agent\\.yml --upgrade-request-dir /var/lib/nines-agent-upgrade/requests$`, 'm'));
  t.match(unit, /^Restart=on-failure$/m);
  t.match(unit, /^StateDirectory=nines-agent$/m);
  for (const hardening of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=read-only', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
    t.match(unit, new RegExp(`^${hardening}$`, 'm'), hardening);
  }
  t.notMatch(unit, /MemoryDenyWriteExecute=yes/, 'V8 needs W+X pages');
  t.match(unit, /^Environment=MALLOC_ARENA_MAX=2$/m, 'two glibc malloc arenas: the resident memory the footprint bench measures');
  t.match(unit, /^WantedBy=multi-user\.target$/m);
  t.notMatch(renderSystemdUnit(specFor(systemd, { withConfig: false })), /--config/, 'no --config without an installed config');
});

t.test('a standalone agent is the program itself in every definition', async (t) => {
  const linux = specFor(systemd, { standalone: true, layout: { ...systemd.defaultLayout(), agentFile: '/opt/nines-agent/nines-agent' } });
  t.match(renderSystemdUnit(linux), /^ExecStart=\/opt\/nines-agent\/nines-agent run --state-dir \/var\/lib\/nines-agent --config /m);
  const mac = specFor(launchd, { standalone: true, layout: { ...launchd.defaultLayout(), agentFile: '/usr/local/lib/nines-agent/nines-agent' } });
  t.match(renderLaunchdPlist(mac), /<array>\n    <string>\/usr\/local\/lib\/nines-agent\/nines-agent<\/string>\n    <string>run<\/string>/);
  const win = specFor(windows, { standalone: true, layout: { ...windows.defaultLayout(), agentFile: 'C:\\Program Files\\Nines Agent\\nines-agent.exe' } });
  t.match(renderWinswXml(win), /<executable>C:\\Program Files\\Nines Agent\\nines-agent\.exe<\/executable>\n  <arguments>run --state-dir /);
});

t.test('systemd ExecStart words: spaces quoted, % and $ doubled so systemd does not expand them', async (t) => {
  t.equal(systemdWord('/usr/bin/node'), '/usr/bin/node');
  t.equal(systemdWord('/srv/my agent/state'), '"/srv/my agent/state"');
  t.equal(systemdWord('/srv/100%/x'), '/srv/100%%/x');
  t.equal(systemdWord('a$HOME'), 'a$$HOME');
  t.equal(systemdWord('say "hi"'), '"say \\"hi\\""');
  t.equal(systemdWord(''), '""');
});

// Skipped with the reason where a tool is absent; CI's Debian image has both.
const noSystemdAnalyze = (await tryRun('systemd-analyze', ['--version'])) === null && 'systemd-analyze is not installed here';
const noPython = (await tryRun('python3', ['--version'])) === null && 'python3 (plistlib, xml.etree) is not installed here';

t.test('systemd-analyze verify accepts the generated unit and rejects a broken one', { skip: noSystemdAnalyze }, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'nines-agent.service');
  const spec = specFor(systemd, { connectionArgs: ['--ca-file', '/etc/nines agent/ca.pem', '--allow-insecure'] });
  writeFileSync(file, renderSystemdUnit(spec));
  const verified = await tryRun('systemd-analyze', ['verify', file]);
  // verify exits 0 even for unknown keys and bad values; it reports them on stderr, so stderr must be empty.
  t.same({ code: verified?.code, stderr: verified?.stderr }, { code: 0, stderr: '' }, 'no complaints');

  writeFileSync(file, renderSystemdUnit(spec).replace('Restart=on-failure', 'Restart=sometimes').replace('Type=simple', 'Typ=simple'));
  const broken = await tryRun('systemd-analyze', ['verify', file]);
  t.match(broken?.stderr, /Failed to parse service restart specifier|Restart/, 'a bad value is reported');
  t.match(broken?.stderr, /Unknown key 'Typ'/, 'an unknown key is reported');

  // Offline security review: the exposure score systemd computes from the hardening options (0 best, 10 worst).
  writeFileSync(file, renderSystemdUnit(spec));
  const security = await tryRun('systemd-analyze', ['security', '--offline=yes', file]);
  const score = Number(/Overall exposure level for nines-agent\.service: ([\d.]+)/.exec(security?.stdout ?? '')?.[1]);
  t.ok(score <= 4, `exposure ${score} is at most 4 ("OK" in systemd's words)`);
});

t.test('launchd plist: a real plist parser reads the daemon definition', { skip: noPython }, async (t) => {
  const spec = specFor(launchd, { connectionArgs: ['--pin-sha256', 'AB:CD'] });
  const plist = renderLaunchdPlist(spec);
  const parsed = await plistToJson(plist);
  t.same(parsed, {
    Label: LAUNCHD_LABEL,
    ProgramArguments: [
      process.execPath, '/usr/local/lib/nines-agent/nines-agent.mjs', 'run', '--state-dir', '/Library/Application Support/Nines/agent',
      '--config', '/Library/Application Support/Nines/agent.yml', '--pin-sha256', 'AB:CD',
      '--upgrade-request-dir', '/Library/Application Support/Nines/upgrade-requests',
    ],
    UserName: '_ninesagent',
    GroupName: 'daemon',
    WorkingDirectory: '/Library/Application Support/Nines/agent',
    EnvironmentVariables: { NINES_LOG_LEVEL: 'info' },
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    Umask: 0o077,
    ProcessType: 'Background',
    StandardOutPath: '/Library/Logs/Nines/agent.log',
    StandardErrorPath: '/Library/Logs/Nines/agent.log',
  });
  const odd = await plistToJson(renderLaunchdPlist(specFor(launchd, { nodePath: '/opt/R&D <node>/bin/node' })));
  t.equal((odd as { ProgramArguments: string[] }).ProgramArguments[0], '/opt/R&D <node>/bin/node', 'XML special characters survive');
});

t.test('WinSW XML: a real XML parser reads it; LocalService account, restart on failure, automatic start', { skip: noPython }, async (t) => {
  const spec = specFor(windows, { nodePath: 'C:\\Program Files\\nodejs\\node.exe' });
  const fields = await winswFields(renderWinswXml(spec));
  t.match(fields, {
    id: 'nines-agent',
    executable: 'C:\\Program Files\\nodejs\\node.exe',
    arguments: '"C:\\Program Files\\Nines Agent\\nines-agent.mjs" run --state-dir C:\\ProgramData\\Nines\\agent --config C:\\ProgramData\\Nines\\agent.yml --upgrade-request-dir C:\\ProgramData\\Nines\\upgrade-requests',
    startmode: 'Automatic',
    'serviceaccount/domain': 'NT AUTHORITY',
    'serviceaccount/user': 'LocalService',
    onfailure: 'restart',
    logpath: 'C:\\ProgramData\\Nines\\logs',
    'log@mode': 'roll-by-size',
    'log/sizeThreshold': '10240',
    'log/keepFiles': '5',
    onfailures: 'restart 10 sec,restart 60 sec',
    resetfailure: '1 hour',
  });
  t.same(parseWindowsCommandLine(fields!.arguments!), [
    'C:\\Program Files\\Nines Agent\\nines-agent.mjs', 'run', '--state-dir', 'C:\\ProgramData\\Nines\\agent', '--config', 'C:\\ProgramData\\Nines\\agent.yml',
    '--upgrade-request-dir', 'C:\\ProgramData\\Nines\\upgrade-requests',
  ]);
});

t.test('WinSW XML: an account without a domain is a local one; the .exe.config lets WinSW 1.17 run on .NET 4', { skip: noPython }, async (t) => {
  const local = specFor(windows, { layout: { ...windows.defaultLayout(), user: 'ninesagent' } });
  t.match(await winswFields(renderWinswXml(local)), { 'serviceaccount/domain': '.', 'serviceaccount/user': 'ninesagent' });
  t.match(WINSW_EXE_CONFIG, /<supportedRuntime version="v4\.0" \/>/);
  t.match(WINSW_EXE_CONFIG, /<supportedRuntime version="v2\.0\.50727" \/>/);
});

t.test('Windows arguments survive the C runtime parsing rules, trailing backslashes and quotes included', async (t) => {
  // The parser itself, checked against the examples of Microsoft's "Parsing C command-line arguments".
  t.same(parseWindowsCommandLine('"a b c" d e'), ['a b c', 'd', 'e']);
  t.same(parseWindowsCommandLine('"ab\\"c" "\\\\" d'), ['ab"c', '\\', 'd']);
  t.same(parseWindowsCommandLine('a\\\\\\b d"e f"g h'), ['a\\\\\\b', 'de fg', 'h']);
  t.same(parseWindowsCommandLine('a\\\\\\"b c d'), ['a\\"b', 'c', 'd']);
  t.same(parseWindowsCommandLine('a\\\\\\\\"b c" d e'), ['a\\\\b c', 'd', 'e']);
  const tricky = ['C:\\Program Files\\Nines Agent\\', 'plain', 'say "hi"', 'C:\\dir with space\\"q"\\', '', 'a\\\\b'];
  t.same(parseWindowsCommandLine(tricky.map(windowsArg).join(' ')), tricky);
  t.equal(windowsArg('C:\\ProgramData\\Nines\\agent'), 'C:\\ProgramData\\Nines\\agent', 'nothing quoted that needs none');
});
