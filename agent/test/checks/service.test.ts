import t from 'tap';
import { readFileSync } from 'node:fs';
import { evaluateSystemdUnit, parseSystemctlShow, systemctlShowArgs } from '../../src/checks/service.linux.ts';
import { evaluateScQuery, parseScQuery, checkWindowsService } from '../../src/checks/service.win32.ts';
import { evaluateLaunchdJob, parseLaunchctlList } from '../../src/checks/service.darwin.ts';
import { checkServiceOn } from '../../src/checks/service.ts';
import { fixture } from '../helpers/fixtures.ts';
import { checkContext } from './helpers/context.ts';

t.test('systemd: systemctl show is parsed and graded', async (t) => {
  const active = parseSystemctlShow(fixture('systemctl', 'active.txt'));
  t.match(active, { Id: 'ssh.service', LoadState: 'loaded', ActiveState: 'active', SubState: 'running' });
  t.match(evaluateSystemdUnit('ssh', active), { status: 'OK', message: 'ssh.service is active (running)', metrics: { restarts_count: 0 } });
  const failed = evaluateSystemdUnit('nginx', parseSystemctlShow(fixture('systemctl', 'failed.txt')));
  t.equal(failed.status, 'CRIT');
  t.equal(failed.message, 'nginx.service is failed (failed), result exit-code, last exit status 1');
  t.same(failed.metrics, { restarts_count: 5 });
  const missing = evaluateSystemdUnit('nosuch', parseSystemctlShow(fixture('systemctl', 'not-found.txt')));
  t.equal(missing.status, 'CRIT');
  t.match(missing.message, /no such unit/);
  t.equal(evaluateSystemdUnit('x', { LoadState: 'loaded', ActiveState: 'activating', SubState: 'start' }).status, 'WARN');
  t.equal(evaluateSystemdUnit('x', parseSystemctlShow('garbage without equals\n')).status, 'UNKNOWN');
  t.same(systemctlShowArgs('-evil').slice(-2), ['--', '-evil'], 'a unit name can never become an option');
});

const systemdRuns = (() => {
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
  } catch {
    return false;
  }
})();

t.test('the real systemctl', async (t) => {
  const ctx = checkContext();
  t.teardown(ctx.dispose);
  const outcome = await checkServiceOn('linux', { kind: 'service', id: 's', service: 'nines-no-such-unit.service' }, ctx);
  if (systemdRuns) {
    t.equal(outcome.status, 'CRIT');
    t.match(outcome.message, /no such unit/);
  } else {
    // containers without systemd as PID 1: systemctl says it cannot operate; that is UNKNOWN, not "service down"
    t.equal(outcome.status, 'UNKNOWN', outcome.message);
    t.match(outcome.message, /systemctl|not installed/);
  }
});

t.test('Windows: sc query blocks are parsed and graded', async (t) => {
  t.same(parseScQuery(fixture('sc', 'running.txt')), { name: 'mosquitto', state: 4, stateName: 'RUNNING', win32ExitCode: 0 });
  t.equal(evaluateScQuery(parseScQuery(fixture('sc', 'running.txt'))!).status, 'OK');
  const stopped = evaluateScQuery(parseScQuery(fixture('sc', 'stopped.txt'))!);
  t.equal(stopped.status, 'CRIT');
  t.equal(stopped.message, 'AJRouter is STOPPED, exit code 1077');
  t.equal(evaluateScQuery(parseScQuery(fixture('sc', 'stop-pending.txt'))!).status, 'CRIT', 'stopping is going down');
  t.equal(parseScQuery(fixture('sc', 'not-found.txt')), null);
});

t.test('Windows: exit 1060 is "no such service"; a missing sc.exe is UNKNOWN', async (t) => {
  // sc.exe does not exist here: its recorded answer stands in, with the exit code sc gives (ERROR_SERVICE_DOES_NOT_EXIST)
  const ctx = checkContext({ exec: async () => ({ code: 1060, stdout: fixture('sc', 'not-found.txt'), stderr: '' }) });
  t.teardown(ctx.dispose);
  const outcome = await checkWindowsService({ kind: 'service', id: 's', service: 'Nope' }, ctx);
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /no such service \(sc error 1060\)/);
  const missing = await checkServiceOn('win32', { kind: 'service', id: 's', service: 'Spooler' }, checkContext());
  t.equal(missing.status, 'UNKNOWN');
  t.match(missing.message, /sc\.exe is not installed/);
});

t.test('macOS: launchctl list is parsed and graded', async (t) => {
  t.same(parseLaunchctlList(fixture('launchctl', 'running.txt')), { label: 'org.bareos.bareos-fd', pid: 2164, lastExitStatus: 0 });
  t.equal(evaluateLaunchdJob(parseLaunchctlList(fixture('launchctl', 'running.txt'))!).status, 'OK');
  const idle = evaluateLaunchdJob(parseLaunchctlList(fixture('launchctl', 'not-running.txt'))!);
  t.equal(idle.status, 'CRIT');
  t.equal(idle.message, 'sysctl is loaded but not running, last exit status 0');
  t.match(evaluateLaunchdJob({ label: 'x', pid: null, lastExitStatus: -9 }).message, /killed by signal 9/);
  t.equal(parseLaunchctlList('Could not find service "x" in domain for port'), null);
});

t.test('other platforms are UNKNOWN with the reason', async (t) => {
  const outcome = await checkServiceOn('aix', { kind: 'service', id: 's', service: 'x' }, checkContext());
  t.equal(outcome.status, 'UNKNOWN');
  t.match(outcome.message, /not supported on aix/);
});
