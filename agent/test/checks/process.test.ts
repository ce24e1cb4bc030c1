import t from 'tap';
import { spawn } from 'node:child_process';
import { checkProcessesOn, evaluateProcesses, matchProcesses, parseProcEntry, parsePs, parseTasklistCsv } from '../../src/checks/process.ts';
import { fixture } from '../helpers/fixtures.ts';
import { checkContext } from './helpers/context.ts';
import { execProgram } from '../../src/exec.ts';

const byName = { kind: 'process' as const, id: 'p', match: 'sleep' };

t.test('ps output (comm and args) is joined by PID', async (t) => {
  const processes = parsePs(fixture('ps', 'linux-comm.txt'), fixture('ps', 'linux-args.txt'));
  t.equal(processes.length, 4);
  t.match(processes.find((p) => p.name === 'sleep'), { commandLine: 'sleep 31337' });
  t.match(processes[0], { pid: 2, name: 'kthreadd', commandLine: '[kthreadd]' });
  t.same(parsePs(' 812 /Applications/Secure Login Client.app/Contents/MacOS/Secure Login Client\n', '')[0]!.name, 'Secure Login Client', 'macOS comm is a path');
});

t.test('tasklist CSV gives Windows names, case-insensitively matched', async (t) => {
  const processes = parseTasklistCsv(fixture('ps', 'windows-tasklist.txt'));
  t.equal(processes.length, 5);
  const matched = matchProcesses({ kind: 'process', id: 'sql', match: 'SQLServr.exe' }, processes);
  t.same(matched.map((p) => p.pid), [3120]);
});

t.test('/proc entries: comm and NUL-separated cmdline', async (t) => {
  t.same(parseProcEntry(42, 'postgres\n', 'postgres: checkpointer\0\0'), { pid: 42, name: 'postgres', commandLine: 'postgres: checkpointer' });
});

t.test('min and max counts', async (t) => {
  const one = [{ pid: 7, name: 'sleep', commandLine: 'sleep 1' }];
  t.equal(evaluateProcesses(byName, one).status, 'OK');
  const none = evaluateProcesses(byName, []);
  t.equal(none.status, 'CRIT');
  t.equal(none.message, '0 processes matching "sleep", expected at least 1');
  t.equal(evaluateProcesses({ ...byName, maxCount: 0, minCount: 0 }, one).status, 'CRIT', 'must not run');
  t.same(evaluateProcesses(byName, one).metrics, { processes_count: 1 });
});

t.test('the real process list finds a child by name and by command line', async (t) => {
  const marker = `nines-marker-${process.pid}`;
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', marker], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  await new Promise((resolve) => child.once('spawn', resolve));
  const ctx = checkContext();
  t.teardown(ctx.dispose);
  const byLine = await checkProcessesOn(process.platform, { kind: 'process', id: 'p', match: `${marker}$`, matchOn: 'commandLine' }, ctx);
  t.equal(byLine.status, 'OK', byLine.message);
  t.match(byLine.message, new RegExp(`1 process matching command line .* \\(PID ${child.pid}\\)`));
  const ps = await checkProcessesOn('darwin', { kind: 'process', id: 'p', match: `${marker}$`, matchOn: 'commandLine' }, ctx);
  t.equal(ps.status, 'OK', `the ps path (macOS/BSD) works with procps too: ${ps.message}`);
  const absent = await checkProcessesOn(process.platform, { kind: 'process', id: 'p', match: 'nines-no-such-process' }, ctx);
  t.equal(absent.status, 'CRIT');
});

t.test('bad config and failures are UNKNOWN with the reason', async (t) => {
  const ctx = checkContext();
  t.teardown(ctx.dispose);
  const badPattern = await checkProcessesOn('linux', { kind: 'process', id: 'p', match: '(unclosed', matchOn: 'commandLine' }, ctx);
  t.equal(badPattern.status, 'UNKNOWN');
  t.match(badPattern.message, /invalid pattern/);
  t.match(await checkProcessesOn('linux', { ...byName, minCount: 3, maxCount: 1 }, ctx), { status: 'UNKNOWN', message: /maxCount 1 is below minCount 3/ });
  t.match(await checkProcessesOn('win32', { ...byName, matchOn: 'commandLine' }, ctx), { status: 'UNKNOWN' });
  t.match(await checkProcessesOn('win32', byName, ctx), { status: 'UNKNOWN', message: /cannot list processes: tasklist is not installed/ });
});

t.test('a tasklist that lists nothing (Wine 8 ships a stub) is UNKNOWN, not "0 processes matching"', async (t) => {
  // a real child process standing in for tasklist: `true` prints nothing and exits 0, like Wine's stub
  const ctx = checkContext({ exec: (_command, _args, options) => execProgram('true', [], options) });
  t.teardown(ctx.dispose);
  t.match(await checkProcessesOn('win32', byName, ctx), { status: 'UNKNOWN', code: 'process.list_failed', message: /tasklist listed no processes at all/ });
});
