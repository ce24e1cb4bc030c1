import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseWindowsEvents } from '../../../src/probes/eventlog/parse.ts';
import { evaluateEvents } from '../../../src/probes/eventlog/evaluate.ts';
import { journalFilters, windowsEventScript } from '../../../src/probes/eventlog/collect.ts';
import { runEventlogCheck } from '../../../src/checks/eventlog.ts';
import { matchingMessages, PATTERN_BUDGET_MS, PatternError } from '../../../src/probes/eventlog/match.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const FOUR = Date.UTC(2026, 10, 25, 3, 55); // the Windows fixture's events lie 43-57 min before this
const disk = { kind: 'eventlog' as const, id: 'disk-errors', log: 'System', provider: 'disk', ids: [7, 11] };

t.test('Windows: the filter is built from the config, quoted, with the start as ticks', async (t) => {
  const script = windowsEventScript({ ...disk, level: 'error', provider: "O'Brien Backup" }, FOUR - 3_600_000);
  t.match(script, /-FilterHashtable @\{ LogName = 'System'; StartTime = \$since; ProviderName = 'O''Brien Backup'; Id = 7, 11; Level = 1, 2 \}/);
  t.ok(script.includes(`[DateTime]::new(${BigInt(FOUR - 3_600_000) * 10_000n + 621_355_968_000_000_000n})`));
  t.same(journalFilters({ unit: 'backup.service', level: 'warning' }, FOUR), ['--output-fields=MESSAGE,SYSLOG_IDENTIFIER,_SYSTEMD_UNIT', '--since', `@${FOUR / 1000}`, '-u', 'backup.service', '-p', 'warning']);
});

t.test('evaluate: counted in the window against the limits, newest named', async (t) => {
  const events = parseWindowsEvents(JSON.parse(fixture('windows-events', 'disk-bad-block.json')));
  const found = evaluateEvents(events, disk, FOUR);
  t.match(found, { status: 'WARN', metrics: { events: 3 }, params: { count: 3, limit: 1, subject: 'System disk 7, 11' } });
  t.match(found.message, /^3 events \(System disk 7, 11\) in 1 h \(limit 1\), latest 2026-11-25 03:12 UTC: disk 7: The device, \\Device\\Harddisk1\\DR1, has a bad block\.$/);
  t.match(renderResultMessage(found.code, found.params, 'de', ''), /^3 Ereignisse \(System disk 7, 11\) in 1 h \(Grenze 1\), zuletzt/);
  t.equal(evaluateEvents(events, { ...disk, critCount: 3 }, FOUR).status, 'CRIT');
  t.match(evaluateEvents(events, { ...disk, pattern: 'controller' }, FOUR), { status: 'WARN', params: { count: 1 } });
  t.match(evaluateEvents(events, disk, FOUR + 2 * 3_600_000), { status: 'OK', message: 'no events (System disk 7, 11) in 1 h' });
});

t.test('check: an invalid pattern and a failing Get-WinEvent are UNKNOWN with the reason', async (t) => {
  t.match(await runEventlogCheck({ ...disk, pattern: '(' }, testContext(), 'win32'), { status: 'UNKNOWN', message: /pattern: Invalid regular expression/ });
  const denied: ExecFn = async () => ({ code: 1, stdout: '', stderr: "Get-WinEvent : The specified channel could not be found. Check channel configuration." });
  t.match(await runEventlogCheck({ ...disk, log: 'Microsoft-Windows-Nope' }, testContext({ exec: denied }), 'win32'), { status: 'UNKNOWN', code: 'eventlog.probe_failed', message: /channel could not be found/ });
  const ok: ExecFn = async () => ({ code: 0, stdout: '[]', stderr: '' });
  t.match(await runEventlogCheck(disk, testContext({ clock: () => FOUR, exec: ok }), 'win32'), { status: 'OK', params: { count: 0 } });
});

const journalRemote = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));
const journalctlHere = spawnSync('journalctl', ['--version']).status === 0;

t.test('real journalctl over a test-written journal: unit, level and pattern filter', { skip: !(journalRemote && journalctlHere) && 'journalctl or systemd-journal-remote missing' }, async (t) => {
  const dir = tempDir(t, 'nines-eventlog-');
  const journalDir = join(dir, 'journal');
  mkdirSync(journalDir);
  const entry = (atMs: number, unit: string, priority: number, message: string) =>
    `__REALTIME_TIMESTAMP=${atMs * 1000}\nMESSAGE=${message}\n_SYSTEMD_UNIT=${unit}\nSYSLOG_IDENTIFIER=${unit.replace('.service', '')}\nPRIORITY=${priority}\n_BOOT_ID=0123456789abcdef0123456789abcdef\n\n`;
  // in time order, as journald writes: journalctl --since seeks by time and assumes it
  const exported = [
    entry(FOUR - 7_200_000, 'backup.service', 3, 'rsync error: old'),
    entry(FOUR - 600_000, 'backup.service', 3, 'rsync: [sender] write error: No space left on device (28)'),
    entry(FOUR - 300_000, 'backup.service', 6, 'backup finished'),
    entry(FOUR - 200_000, 'cron.service', 3, 'error: No space left on device'),
    entry(FOUR - 150_000, 'cron.service', 6, `${'a'.repeat(1_000)}b`),
    entry(FOUR - 100_000, 'report.service', 6, `${'x'.repeat(6_000)} needle at the end`),
  ].join('');
  execFileSync(journalRemote!, ['-o', join(journalDir, 'remote.journal'), '-'], { input: exported, stdio: ['pipe', 'ignore', 'ignore'] });
  const ctx = testContext({ clock: () => FOUR, exec: execProgram });
  const errors = await runEventlogCheck({ kind: 'eventlog', id: 'backup', unit: 'backup.service', level: 'error', journalDirectory: journalDir }, ctx, 'linux');
  t.match(errors, { status: 'WARN', params: { count: 1, subject: 'unit backup.service' }, message: /latest .*: backup: rsync: \[sender\] write error/ });
  const all = await runEventlogCheck({ kind: 'eventlog', id: 'space', pattern: 'no space left', journalDirectory: journalDir }, ctx, 'linux');
  t.match(all, { params: { count: 2 } }, 'a pattern across units');
  const long = await runEventlogCheck({ kind: 'eventlog', id: 'long', pattern: 'needle at the end$', journalDirectory: journalDir }, ctx, 'linux');
  t.match(long, { status: 'WARN', params: { count: 1 } }, 'a message over 4 KiB is read whole (journalctl --all)');
  const evil = await runEventlogCheck({ kind: 'eventlog', id: 'evil', unit: 'cron.service', pattern: '(a+)+$', journalDirectory: journalDir }, ctx, 'linux');
  t.match(evil, { status: 'UNKNOWN', message: /took longer than 2000 ms .*catastrophic backtracking/ }, 'a catastrophic pattern over a real journal: UNKNOWN, not a hang');
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  t.match(await runEventlogCheck({ kind: 'eventlog', id: 'e', journalDirectory: empty }, ctx, 'linux'), { status: 'UNKNOWN', message: /the journal is empty or cannot be read/ });
});

/** Get-WinEvent's JSON for events with these messages, a minute apart before FOUR. */
function windowsEvents(messages: string[]): ExecFn {
  const json = JSON.stringify(messages.map((Message, i) => ({ Id: 7, Provider: 'disk', Time: new Date(FOUR - (i + 1) * 60_000).toISOString(), Message })));
  return async () => ({ code: 0, stdout: json, stderr: '' });
}

t.test('a catastrophic pattern: (a+)+$ over a long "aaaa…b" is UNKNOWN within the budget, and the agent keeps running', async (t) => {
  const evil = `${'a'.repeat(10_000)}b`;
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 50); // the agent's event loop: spool, connection, other checks
  t.teardown(() => clearInterval(ticker));
  const started = performance.now();
  const outcome = await runEventlogCheck({ ...disk, pattern: '(a+)+$' }, testContext({ clock: () => FOUR, exec: windowsEvents(['disk ok', evil]) }), 'win32');
  const tookMs = performance.now() - started;
  clearInterval(ticker);
  t.match(outcome, { status: 'UNKNOWN', code: 'eventlog.probe_failed', message: /pattern \/\(a\+\)\+\$\/ took longer than 2000 ms over 2 messages \(catastrophic backtracking/ });
  t.ok(tookMs >= PATTERN_BUDGET_MS && tookMs < PATTERN_BUDGET_MS + 3_000, `ended after ${Math.round(tookMs)} ms`);
  t.ok(ticks >= 20, `the main thread ran on meanwhile (${ticks} ticks of 50 ms)`);
  const sane = await runEventlogCheck({ ...disk, pattern: 'a+b$' }, testContext({ clock: () => FOUR, exec: windowsEvents(['disk ok', evil]) }), 'win32');
  t.match(sane, { status: 'WARN', params: { count: 1 } }, 'the same message under a linear pattern matches at once');
});

t.test('matchingMessages: the matches, each distinct message once; bad patterns, budgets and aborts are PatternErrors', async (t) => {
  t.same([...(await matchingMessages('no SPACE', ['No space left', 'fine', 'no space left', 'No space left']))].sort(), ['No space left', 'no space left'], 'case-insensitive');
  t.same([...(await matchingMessages('x', []))], [], 'nothing to match: no worker');
  await t.rejects(matchingMessages('(', ['a']), PatternError);
  await t.rejects(matchingMessages('(', ['a']), /pattern: Invalid regular expression/);
  await t.rejects(matchingMessages('(x+x+)+y', ['x'.repeat(5_000)], { budgetMs: 200 }), /took longer than 200 ms over 1 messages/);
  const stop = new AbortController();
  const started = performance.now();
  const aborted = matchingMessages('(a+)+$', [`${'a'.repeat(100)}b`], { budgetMs: 60_000, signal: stop.signal });
  setTimeout(() => stop.abort(), 100);
  await t.rejects(aborted, /the check was stopped/);
  t.ok(performance.now() - started < 5_000, 'an aborted check stops its matcher');
});
