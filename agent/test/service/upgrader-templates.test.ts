/**
 * The privileged upgrader's definitions, read by the real tools: systemd-analyze verify (offline, no running
 * systemd needed) for the .path and .service units beside the agent's own unit, python's plistlib for the
 * launchd daemon, an XML parser for the Task Scheduler task. What each must say: the trigger watches the
 * request directory, the upgrader runs as root / SYSTEM with `upgrade --apply-request` and the layout's paths,
 * and the agent itself stays unprivileged with the request directory its one extra writable path.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSystemdUnit, systemd } from '../../src/service/systemd.linux.ts';
import { launchd } from '../../src/service/launchd.darwin.ts';
import { windows } from '../../src/service/windows.win32.ts';
import { renderUpgradePathUnit, renderUpgradeServiceUnit, UPGRADE_PATH_UNIT, UPGRADE_SERVICE_UNIT } from '../../src/service/upgrader.linux.ts';
import { renderUpgraderPlist, UPGRADER_LABEL } from '../../src/service/upgrader.darwin.ts';
import { renderUpgraderTask } from '../../src/service/upgrader.win32.ts';
import { upgraderCommandLine, type ServiceManager, type ServiceSpec } from '../../src/service/spec.ts';
import { parseWindowsCommandLine, plistToJson, python } from './parsers.ts';

const specFor = (manager: ServiceManager, overrides: Partial<ServiceSpec> = {}): ServiceSpec =>
  ({ layout: manager.defaultLayout(), nodePath: process.execPath, logLevel: 'info', withConfig: true, connectionArgs: [], ...overrides });

function verify(files: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('systemd-analyze', ['verify', ...files], { timeout: 60_000 }, (error, _stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return reject(new Error('systemd-analyze is not installed (CI installs systemd)'));
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

t.test('systemd: the .path and .service units and the agent unit pass systemd-analyze verify; a broken one does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-upgrader-units-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const spec = specFor(systemd);
  const files = { 'nines-agent.service': renderSystemdUnit(spec), [UPGRADE_PATH_UNIT]: renderUpgradePathUnit(spec), [UPGRADE_SERVICE_UNIT]: renderUpgradeServiceUnit(spec) };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const paths = Object.keys(files).map((n) => join(dir, n));
  // verify exits 0 even for unknown keys and bad values; it reports them on stderr, so stderr must be empty.
  t.same(await verify(paths), { code: 0, stderr: '' }, 'no complaints about any of the three');

  writeFileSync(join(dir, UPGRADE_PATH_UNIT), renderUpgradePathUnit(spec).replace('DirectoryNotEmpty=', 'DirectoryNotEmtpy='));
  writeFileSync(join(dir, UPGRADE_SERVICE_UNIT), renderUpgradeServiceUnit(spec).replace('Type=oneshot', 'Type=once'));
  const broken = await verify(paths);
  t.match(broken.stderr, /Unknown key 'DirectoryNotEmtpy'/, 'a misspelt trigger is reported');
  t.match(broken.stderr, /service type/i, 'a bad service type is reported');
});

t.test('systemd: root runs the upgrader when the request directory is not empty; the agent only writes requests', async (t) => {
  const spec = specFor(systemd);
  const path = renderUpgradePathUnit(spec);
  t.match(path, /^DirectoryNotEmpty=\/var\/lib\/nines-agent-upgrade\/requests$/m);
  t.match(path, new RegExp(`^Unit=${UPGRADE_SERVICE_UNIT.replace('.', '\\.')}$`, 'm'));
  const service = renderUpgradeServiceUnit(spec);
  t.notMatch(service, /^User=/m, 'no User=: root');
  t.match(service, /^Type=oneshot$/m);
  t.match(service, `ExecStart=${process.execPath} /opt/nines-agent/nines-agent.mjs upgrade --apply-request --state-dir /var/lib/nines-agent --request-dir /var/lib/nines-agent-upgrade/requests --key-file /etc/nines-agent/upgrade-key.pem --agent-file /opt/nines-agent/nines-agent.mjs\n`);
  const agent = renderSystemdUnit(spec);
  t.match(agent, /^User=nines-agent$/m, 'the agent stays unprivileged');
  t.match(agent, /^ReadWritePaths=-\/var\/lib\/nines-agent-upgrade\/requests$/m, 'its one writable path beside its state');
  t.match(agent, /^ProtectSystem=strict$/m, 'so it cannot write /opt or /etc');
});

t.test('launchd: a root daemon started while the request directory holds something', async (t) => {
  const spec = specFor(launchd);
  const parsed = await plistToJson(renderUpgraderPlist(spec));
  if (parsed === null) throw new Error('python3 is not installed (CI has it)');
  t.same(parsed, {
    Label: UPGRADER_LABEL,
    ProgramArguments: upgraderCommandLine(spec),
    QueueDirectories: ['/Library/Application Support/Nines/upgrade-requests'],
    EnvironmentVariables: { NINES_LOG_LEVEL: 'info' },
    ThrottleInterval: 30,
    Umask: 0o022,
    StandardOutPath: '/Library/Logs/Nines/upgrade.log',
    StandardErrorPath: '/Library/Logs/Nines/upgrade.log',
  }, 'no UserName: root');
  t.same(upgraderCommandLine(spec).slice(1), [
    '/usr/local/lib/nines-agent/nines-agent.mjs', 'upgrade', '--apply-request', '--state-dir', '/Library/Application Support/Nines/agent',
    '--request-dir', '/Library/Application Support/Nines/upgrade-requests', '--key-file', '/Library/Application Support/Nines/upgrade-key.pem',
    '--agent-file', '/usr/local/lib/nines-agent/nines-agent.mjs',
  ]);
});

t.test('Windows: a SYSTEM task every 5 minutes and at boot, its command line intact', async (t) => {
  const spec = specFor(windows, { standalone: true, layout: { ...windows.defaultLayout(), agentFile: 'C:\\Program Files\\Nines Agent\\nines-agent.exe' } });
  const out = await python(
    `import json, sys, xml.etree.ElementTree as E
ns = {'t': 'http://schemas.microsoft.com/windows/2004/02/mit/task'}
root = E.fromstring(sys.stdin.read().replace('encoding="UTF-16"', ''))
print(json.dumps({
  'user': root.findtext('t:Principals/t:Principal/t:UserId', namespaces=ns),
  'intervals': [e.text for e in root.findall('t:Triggers/*/t:Repetition/t:Interval', ns)],
  'triggers': [e.tag.split('}')[1] for e in root.find('t:Triggers', ns)],
  'command': root.findtext('t:Actions/t:Exec/t:Command', namespaces=ns),
  'arguments': root.findtext('t:Actions/t:Exec/t:Arguments', namespaces=ns),
  'multiple': root.findtext('t:Settings/t:MultipleInstancesPolicy', namespaces=ns),
}))`,
    renderUpgraderTask(spec),
  );
  if (out === null) throw new Error('python3 is not installed (CI has it)');
  const task = JSON.parse(out) as { user: string; intervals: string[]; triggers: string[]; command: string; arguments: string; multiple: string };
  t.equal(task.user, 'S-1-5-18', 'LocalSystem, by SID (names are translated)');
  t.same(task.triggers, ['BootTrigger', 'TimeTrigger']);
  t.same(task.intervals, ['PT5M', 'PT5M']);
  t.equal(task.multiple, 'IgnoreNew', 'never two upgraders at once');
  t.equal(task.command, 'C:\\Program Files\\Nines Agent\\nines-agent.exe');
  t.same(parseWindowsCommandLine(task.arguments), upgraderCommandLine(spec).slice(1));
});
