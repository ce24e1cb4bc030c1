import t from 'tap';
import { fixture } from '../../helpers/fixtures.ts';
import { backup } from '../../../src/checks/backup.ts';
import { parseLatestBackup } from '../../../src/probes/backup/timemachine/parse.ts';
import { parsePsDate, parseWbSummary } from '../../../src/probes/backup/wsb/parse.ts';
import { parseSessionList } from '../../../src/probes/backup/veeam/parse.ts';
import { localWallClockToEpoch } from '../../../src/probes/backup/localtime.ts';
import { DAY, HOUR, recordedExec, testContext } from './context.ts';

// Time Machine, Windows Server Backup and Veeam Agent are absent here: their outputs come from fixtures,
// through the same exec interface the real probes use.

const local = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

t.test('Time Machine', async (t) => {
  const tm = { kind: 'backup' as const, id: 'tm', tool: 'timemachine' as const, every: '1h' };
  const hfs = fixture('tmutil', 'latestbackup-hfs.txt');
  t.match(parseLatestBackup({ code: 0, stdout: hfs, stderr: '' }), { wallClock: { year: 2011, month: 8, day: 26, hour: 10, minute: 45, second: 14 } });
  const at = local(2023, 3, 7, 3, 56, 3);
  const calls: { file: string; args: readonly string[] }[] = [];
  const apfs = await backup.run(tm, testContext({ clock: () => at + 30 * 60_000, exec: recordedExec({ stdout: fixture('tmutil', 'latestbackup-apfs.txt') }, calls) }));
  t.match(apfs, { status: 'OK', message: 'Time Machine backup, 30 min old', metrics: { age_s: 1800 } });
  t.same(calls, [{ file: 'tmutil', args: ['latestbackup'] }]);
  t.match(await backup.run(tm, testContext({ clock: () => at + 3 * HOUR, exec: recordedExec({ stdout: fixture('tmutil', 'latestbackup-apfs.txt') }) })), { status: 'CRIT' });
  t.match(await backup.run(tm, testContext({ exec: recordedExec({ stdout: fixture('tmutil', 'latestbackup-empty.txt') }) })), { status: 'CRIT', message: 'Time Machine: no backup found' });
  t.match(await backup.run(tm, testContext({ exec: recordedExec({ code: 1, stderr: fixture('tmutil', 'latestbackup-no-machine-dir.txt') }) })), { status: 'CRIT', message: /no backup found/ });
  t.match(await backup.run(tm, testContext({ exec: recordedExec({ code: 1, stderr: fixture('tmutil', 'latestbackup-mount-failed.txt') }) })), {
    status: 'CRIT',
    message: /tmutil latestbackup failed with exit code 1: Failed to mount backup destination/,
  });
  t.match(await backup.run(tm, testContext({ exec: recordedExec({ stdout: 'Segmentation fault\n' }) })), { status: 'UNKNOWN', message: /no backup path/ });
  t.match(await backup.run({ ...tm, program: '/nonexistent/tmutil' }, testContext()), { status: 'UNKNOWN', message: /not installed/ }, 'on this Linux machine, through the real exec');
});

t.test('Windows Server Backup', async (t) => {
  const wsb = { kind: 'backup' as const, id: 'wsb', tool: 'wsb' as const, every: '24h' };
  const run = (name: string, clock: number, extra: object = {}) =>
    backup.run(wsb, testContext({ clock: () => clock, exec: recordedExec({ stdout: fixture('wsb', name), ...extra }) }));
  const last = 1795557600_000;
  t.equal(parsePsDate('/Date(1795557600000)/'), last, 'Windows PowerShell 5.1');
  t.equal(parsePsDate('2026-11-24T23:00:00+01:00'), Date.UTC(2026, 10, 24, 22), 'PowerShell 7, offset kept');
  t.equal(parsePsDate('/Date(-62135596800000)/'), undefined, 'DateTime.MinValue means never');
  t.match(await run('summary-normal.json', last + 2 * HOUR), { status: 'OK', message: 'Windows Server Backup, 2 h old', metrics: { versions: 14 } });
  t.match(await run('summary-ps7.json', last + 2 * HOUR), { status: 'OK', metrics: { age_s: 7200 } });
  t.match(await run('summary-never.json', last), { status: 'CRIT', message: 'Windows Server Backup: no backup found' });
  t.match(await run('summary-old.json', last), { status: 'CRIT', message: /55 d 2 h old \(older than the 2 d 6 h limit\)/ });
  const failed = await run('summary-failed.json', last + HOUR);
  t.match(failed, { status: 'CRIT', message: /the last backup failed \(0x80070070: There is not enough space on the disk\.\)/ });
  t.match(failed.details, { lastResult: '0x80070070' });
  t.match(await backup.run(wsb, testContext({ exec: recordedExec({ code: 1, stdout: '', stderr: fixture('wsb', 'error-not-installed.txt') }) })), {
    status: 'UNKNOWN',
    message: 'Windows Server Backup is not installed (Get-WBSummary is missing)',
  });
  t.throws(() => parseWbSummary({ code: 0, stdout: 'WARNING: something', stderr: '' }), { message: /printed no JSON/ });
  t.match(await backup.run({ ...wsb, program: '/nonexistent/powershell.exe' }, testContext()), { status: 'UNKNOWN', message: /not installed/ });
});

t.test('Veeam Agent for Linux', async (t) => {
  const veeam = { kind: 'backup' as const, id: 'v', tool: 'veeam' as const, job: 'BackupJob srv01', every: '24h' };
  const run = (name: string, clock: number) => backup.run(veeam, testContext({ clock: () => clock, exec: recordedExec({ stdout: fixture('veeam', name) }) }));
  const sessions = parseSessionList({ code: 0, stdout: fixture('veeam', 'sessions-failed.txt'), stderr: '' });
  t.same(sessions.map((s) => [s.job, s.type, s.state]), [
    ['BackupJob srv01', 'Backup', 'Success'],
    ['BackupJob srv01', 'Restore', 'Success'],
    ['BackupJob srv01', 'Backup', 'Failed'],
  ]);
  const finished = local(2026, 11, 24, 22, 37);
  t.match(await run('sessions-normal.txt', finished + HOUR), { status: 'OK', message: 'Veeam job BackupJob srv01: last backup, 1 h old', metrics: { sessions: 2 } });
  t.match(await run('sessions-empty.txt', finished), { status: 'CRIT', message: 'Veeam job BackupJob srv01: no backup found' });
  t.match(await run('sessions-old.txt', finished), { status: 'CRIT' });
  t.match(await run('sessions-failed.txt', local(2026, 11, 24, 23, 0)), { status: 'CRIT', message: /the last session \{0b9d2f71-.*\} ended Failed/ });
  const running = await run('sessions-running.txt', local(2026, 11, 24, 23, 0));
  t.match(running, { status: 'WARN', message: /1 d 0 h old|1 d old/ });
  t.match(running.message, /finished with warnings/);
  t.equal(localWallClockToEpoch({ year: 2026, month: 11, day: 24, hour: 22, minute: 37, second: 0 }), finished);
  t.match(await backup.run({ ...veeam, job: 'Other' }, testContext({ exec: recordedExec({ stdout: fixture('veeam', 'sessions-normal.txt') }) })), { status: 'CRIT' });
  t.match(await backup.run(veeam, testContext({ exec: recordedExec({ stdout: 'Error: Access denied\n' }) })), { status: 'UNKNOWN', message: /no session table/ });
  t.match(await backup.run(veeam, testContext({ exec: recordedExec({ code: 1, stderr: 'Failed to connect to veeamservice daemon.' }) })), {
    status: 'UNKNOWN',
    message: 'veeamconfig session list failed with exit code 1: Failed to connect to veeamservice daemon.',
  });
  t.match(await backup.run({ ...veeam, program: '/nonexistent/veeamconfig' }, testContext()), { status: 'UNKNOWN', message: /not installed/ });
  void DAY;
});
