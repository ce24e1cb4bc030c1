import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseAuthLog, parseJournalJson, parseSshdMessage, parseWindowsLogons } from '../../../src/probes/logins/parse.ts';
import { evaluateLogins } from '../../../src/probes/logins/evaluate.ts';
import { runLoginsCheck } from '../../../src/checks/logins.ts';
import { windowsLogonScript } from '../../../src/probes/logins/collect.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const ELEVEN = Date.UTC(2026, 10, 25, 11, 0); // the auth-log and journal fixtures lie 2-10 min before this
const NOON = Date.UTC(2026, 10, 25, 12, 0); // the Windows fixtures lie 3-10 min before this
const config = { kind: 'logins' as const, id: 'ssh' };

t.test('parse: sshd wording; a failed login keeps only its source, never the user name', async (t) => {
  t.same(parseSshdMessage('Failed password for invalid user Sommer2026! from 203.0.113.9 port 51240 ssh2', 1), { at: 1, outcome: 'failed', source: '203.0.113.9' });
  t.same(parseSshdMessage('Accepted publickey for deploy from 192.0.2.10 port 53110 ssh2: ED25519 SHA256:x', 2), { at: 2, outcome: 'accepted', user: 'deploy', source: '192.0.2.10' });
  t.equal(parseSshdMessage('pam_unix(sshd:auth): check pass; user unknown', 3), undefined);
  const journal = parseJournalJson(fixture('journalctl', 'sshd-burst.json'));
  t.same(journal.map((e) => e.outcome), ['failed', 'failed', 'failed', 'accepted']);
  t.equal(journal[0]!.at, Date.UTC(2026, 10, 25, 10, 50, 1), 'microseconds to ms');
  t.throws(() => parseJournalJson('-- No entries --'), /not JSON/);
});

t.test('parse: auth logs in both time formats, Windows events by type', async (t) => {
  const debian = parseAuthLog(fixture('authlog', 'debian12-rfc3339.txt'), ELEVEN, 60);
  t.same(debian.map((e) => e.outcome), ['failed', 'failed', 'failed', 'failed', 'accepted', 'accepted']);
  t.equal(debian[0]!.at, Date.UTC(2026, 10, 25, 10, 50, 3, 771), 'the +01:00 offset is honoured');
  const rhel = parseAuthLog(fixture('authlog', 'rhel-classic.txt'), ELEVEN, 60);
  t.equal(rhel[0]!.at, Date.UTC(2026, 10, 25, 10, 58, 1), 'local time without zone, offset +60 min');
  t.match(rhel[2], { outcome: 'accepted', user: 'backup' }, 'sshd-session lines (OpenSSH 9.8+) count');
  t.equal(parseAuthLog('Dec 31 23:59:00 h sshd[1]: Failed password for x from 203.0.113.1 port 1 ssh2', Date.UTC(2027, 0, 1, 0, 5), 0)[0]!.at, Date.UTC(2026, 11, 31, 23, 59), 'a December line read on New Year is last year');
  const windows = parseWindowsLogons(JSON.parse(fixture('windows-logons', 'burst-and-rdp.json')));
  t.same(windows.map((e) => `${e.outcome} ${e.source}`), ['failed 203.0.113.9', 'failed 203.0.113.9', 'failed local', 'accepted 198.51.100.7'], 'service and console logons are not remote logins');
  t.equal(parseWindowsLogons(JSON.parse(fixture('windows-logons', 'single.json'))[0]).length, 1, 'a bare object (PowerShell 5.1) is one event');
  // Real events: a failed logon at the console carries IpAddress 127.0.0.1 (winlogon), not "-": it is local, not an
  // address to rank among the sources of a burst; a network logon of the machine account from ::1 is no remote login.
  const consoleFailure = JSON.parse(fixture('windows-logons', 'console-failure-4625.json')) as { Time: string }[];
  t.same(parseWindowsLogons(consoleFailure), [{ at: Date.parse(consoleFailure[0]!.Time), outcome: 'failed', source: 'local' }]);
  t.same(parseWindowsLogons(JSON.parse(fixture('windows-logons', 'loopback-network-4624.json'))), [], 'type 3 from ::1 is the machine talking to itself');
});

t.test('parse + evaluate: real auth logs, classic (Loghub LabSZ) and RFC 3339 (a Hydra run on Ubuntu)', async (t) => {
  const text = fixture('authlog', 'loghub-labsz-classic.txt');
  const lines = text.split('\n');
  // what the capture holds, counted from its lines: each "Failed password" line is one failure, and rsyslog's
  // "message repeated N times: [ Failed password ... ]" stands for N more of the same
  const direct = lines.filter((l) => / sshd\[\d+\]: Failed password /.test(l)).length;
  const repeated = lines.map((l) => / sshd\[\d+\]: message repeated (\d+) times: \[ Failed password /.exec(l)).reduce((n, m) => n + (m ? Number(m[1]) : 0), 0);
  t.ok(direct > 0 && repeated > 0, 'the capture has both kinds');
  const now = Date.UTC(2026, 11, 10, 9, 40); // LabSZ's zone is not known: read as UTC (offset 0), in a December
  const events = parseAuthLog(text, now, 0);
  const failed = events.filter((e) => e.outcome === 'failed');
  t.equal(failed.length, direct + repeated, 'a repeated-message line counts as its N failures, not as none');
  t.equal(failed.filter((e) => e.source === '5.36.59.76').length, 1 + 5, 'root from 5.36.59.76: one line, then "repeated 5 times"');
  t.same(events.filter((e) => e.outcome === 'accepted'), [{ at: Date.UTC(2026, 11, 10, 9, 32, 20), outcome: 'accepted', user: 'fztu', source: '119.137.62.142' }]);
  // over the hour before the 07:28 burst ends, every failure counts; 112.95.230.3 sent the most
  const burst = evaluateLogins(events, undefined, { ...config, window: '1h' }, Date.UTC(2026, 11, 10, 7, 30));
  const from112 = lines.filter((l) => /Failed password .* from 112\.95\.230\.3 /.test(l)).length;
  t.match(burst.outcome, { metrics: { failed_logins: direct + repeated }, details: { topSources: [{ source: '112.95.230.3', count: from112 }] } });

  t.equal(parseAuthLog('Dec 10 07:13:56 h sshd[1]: message repeated 3 times: [ Connection closed by 203.0.113.1 [preauth]]', now, 0).length, 0, 'a repeated non-login line is still no login');
  t.equal(parseAuthLog('Dec 10 07:13:56 h sshd[1]: message repeated 99999999 times: [ Failed password for root from 203.0.113.1 port 1 ssh2]', now, 0).length, 10_000, 'a damaged count is capped, memory stays bounded');
  const hydra = fixture('authlog', 'ubuntu-rfc3339-hydra.txt');
  const attempts = parseAuthLog(hydra, Date.UTC(2026, 3, 9, 20, 0), 120);
  t.equal(attempts.length, hydra.split('\n').filter((l) => l.includes('Failed password for root')).length, 'each line one failure');
  t.same(attempts[0], { at: Date.UTC(2026, 3, 9, 19, 53, 39, 529), outcome: 'failed', source: '192.168.0.161' }, '+00:00 is honoured whatever the machine zone');
});

t.test('evaluate: below the limit OK, a burst WARN/CRIT with top sources, never a user name of a failure', async (t) => {
  const events = parseAuthLog(fixture('authlog', 'debian12-rfc3339.txt'), ELEVEN, 60);
  const calm = evaluateLogins(events, {}, config, ELEVEN);
  t.match(calm.outcome, { status: 'WARN', metrics: { failed_logins: 4, failed_sources: 2, new_sources: 2 } }, 'known map empty: both accepted sources are new');
  const baseline = evaluateLogins(events, undefined, config, ELEVEN);
  t.equal(baseline.outcome.status, 'OK', 'first run learns, reports none');
  t.match(baseline.outcome.message, /^4 failed logins in 15 min, most from 203\.0\.113\.9 \(3\), 198\.51\.100\.2 \(1\); first run/);
  t.same(baseline.known, { deploy: { '192.0.2.10': 0 }, root: { '198.51.100.7': 0 } });
  const burst = evaluateLogins(events, baseline.known, { ...config, warnFailures: 3, critFailures: 4 }, ELEVEN);
  t.match(burst.outcome, { status: 'CRIT', params: { failures: 4, failureLimit: 4 } });
  t.notMatch(JSON.stringify(burst.outcome), /Sommer2026|admin/, 'the mistyped password and failed user names appear nowhere');
  t.equal(renderResultMessage(burst.outcome.code, burst.outcome.params, 'de', ''), '4 fehlgeschlagene Anmeldungen in 15 min (Grenze 4), die meisten von 203.0.113.9 (3), 198.51.100.2 (1)');
  const ignored = evaluateLogins(events, baseline.known, { ...config, warnFailures: 2, ignoreSources: ['203.0.113.9'] }, ELEVEN);
  t.equal(ignored.outcome.status, 'OK', 'an ignored source does not count');
});

t.test('evaluate: a login from a new source is WARN for the hold time, then known', async (t) => {
  const known = { root: { '198.51.100.7': 0 } };
  const login = { at: ELEVEN - 60_000, outcome: 'accepted' as const, user: 'root', source: '192.0.2.99' };
  const first = evaluateLogins([login], known, config, ELEVEN);
  t.match(first.outcome, { status: 'WARN', params: { newSources: 'root@192.0.2.99', newCount: 1 } });
  t.match(first.outcome.message, /login from a new address: root@192\.0\.2\.99/);
  const later = evaluateLogins([], first.known, config, ELEVEN + 3_600_000);
  t.equal(later.outcome.status, 'WARN', 'still reported an hour later, though the event left the window');
  const nextDay = evaluateLogins([], first.known, config, ELEVEN + 86_400_000);
  t.equal(nextDay.outcome.status, 'OK', 'after the 24 h hold it is a known source');
  t.equal(evaluateLogins([login], known, { ...config, newSourceStatus: 'CRIT' }, ELEVEN).outcome.status, 'CRIT');
});

const machine = (files: Record<string, string>) => ({
  platform: 'linux' as const,
  exists: async (p: string) => p in files,
  readText: async (p: string) => {
    if (!(p in files)) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
    return files[p]!;
  },
  utcOffsetMinutes: () => 60,
});

t.test('check: auth log read, state kept under the state dir; unreadable log is UNKNOWN', async (t) => {
  const stateDir = tempDir(t, 'nines-logins-');
  const files = { '/var/log/auth.log': fixture('authlog', 'debian12-rfc3339.txt') };
  const first = await runLoginsCheck(config, testContext({ clock: () => ELEVEN, stateDir }), machine(files));
  t.match(first, { status: 'OK', params: { learning: 1, failures: 4 } });
  const second = await runLoginsCheck(config, testContext({ clock: () => ELEVEN, stateDir }), machine(files));
  t.match(second, { status: 'OK', params: { failures: 4 } });
  t.notOk(second.params?.learning, 'the second run compares with what the first learnt');

  const denied = await runLoginsCheck({ ...config, authLog: '/var/log/secure' }, testContext({ clock: () => ELEVEN, stateDir }), machine({}));
  t.match(denied, { status: 'UNKNOWN', code: 'logins.probe_failed', message: /cannot read \/var\/log\/secure: permission denied \(the agent needs root or the adm group\)/ });
  const none = await runLoginsCheck({ ...config, id: 'none' }, testContext({ clock: () => ELEVEN, stateDir }), machine({}));
  t.match(none, { status: 'UNKNOWN', message: /no auth log found/ });
});

t.test('the real file reader reads an auth log from disk', async (t) => {
  const dir = tempDir(t, 'nines-authlog-');
  const path = join(dir, 'auth.log');
  writeFileSync(path, fixture('authlog', 'debian12-rfc3339.txt'));
  const stateDir = tempDir(t, 'nines-logins-');
  const outcome = await runLoginsCheck({ ...config, authLog: path, warnFailures: 4 }, testContext({ clock: () => ELEVEN, stateDir }));
  t.match(outcome, { status: 'WARN', params: { failures: 4, learning: 1 } });
});

t.test('check: Windows Security log through PowerShell; access denied is UNKNOWN with the reason', async (t) => {
  const stateDir = tempDir(t, 'nines-logins-');
  const scripts: string[] = [];
  const exec: ExecFn = async (_file, args) => {
    scripts.push(args.at(-1)!);
    return { code: 0, stdout: fixture('windows-logons', 'burst-and-rdp.json'), stderr: '' };
  };
  const win = { ...machine({}), platform: 'win32' as const };
  const outcome = await runLoginsCheck({ ...config, warnFailures: 3 }, testContext({ clock: () => NOON, exec, stateDir }), win);
  t.match(outcome, { status: 'WARN', params: { failures: 3, topSources: '203.0.113.9 (2), local (1)' } });
  t.match(scripts[0], /Get-WinEvent -MaxEvents \d+ -FilterHashtable @\{ LogName = 'Security'; Id = 4624, 4625; StartTime = \$since \}/);
  const ticks = BigInt(NOON - 900_000) * 10_000n + 621_355_968_000_000_000n; // .NET ticks: 100 ns since 0001-01-01
  t.ok(windowsLogonScript(NOON - 900_000).includes(`[DateTime]::new(${ticks})`), 'the start time as ticks, no date text');
  const denied: ExecFn = async () => ({ code: 1, stdout: '', stderr: 'Get-WinEvent : Attempted to perform an unauthorized operation.' });
  t.match(await runLoginsCheck(config, testContext({ clock: () => NOON, exec: denied, stateDir }), win), {
    status: 'UNKNOWN', message: /unauthorized operation.*\(reading the Security log needs an administrator or the Event Log Readers group\)/,
  });
});

const journalRemote = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));
const journalctlHere = spawnSync('journalctl', ['--version']).status === 0;

t.test('real journalctl over a journal file the test writes', { skip: !(journalRemote && journalctlHere) && 'journalctl or systemd-journal-remote (package systemd-journal-remote) missing' }, async (t) => {
  const dir = tempDir(t, 'nines-journal-');
  const journalDir = join(dir, 'journal');
  mkdirSync(journalDir);
  const now = ELEVEN; // --since @seconds is absolute: the entries and the clock can lie anywhere in time
  const entry = (atMs: number, identifier: string, message: string) =>
    `__REALTIME_TIMESTAMP=${atMs * 1000}\nMESSAGE=${message}\nSYSLOG_IDENTIFIER=${identifier}\n_BOOT_ID=0123456789abcdef0123456789abcdef\n\n`;
  // in time order, as journald writes: journalctl --since seeks by time and assumes it
  const exported = [
    entry(now - 3_600_000, 'sshd', 'Failed password for root from 198.51.100.2 port 40022 ssh2'), // outside the window
    ...Array.from({ length: 5 }, (_, i) => entry(now - 120_000 + i * 1000, 'sshd', `Failed password for invalid user Passw0rd${i} from 203.0.113.9 port ${50000 + i} ssh2`)),
    entry(now - 60_000, 'sshd-session', 'Accepted publickey for deploy from 192.0.2.10 port 53110 ssh2: ED25519 SHA256:abc'),
    entry(now - 30_000, 'cron', 'Failed password for x from 203.0.113.77 port 1 ssh2'), // not sshd
  ].join('');
  execFileSync(journalRemote!, ['-o', join(journalDir, 'remote.journal'), '-'], { input: exported, stdio: ['pipe', 'ignore', 'ignore'] });
  const stateDir = tempDir(t, 'nines-logins-');
  const ctx = testContext({ clock: () => now, exec: execProgram, stateDir });
  const first = await runLoginsCheck({ ...config, journalDirectory: journalDir, warnFailures: 5 }, ctx);
  t.match(first, { status: 'WARN', params: { failures: 5, topSources: '203.0.113.9 (5)', learning: 1 }, metrics: { accepted_logins: 1 } });
  t.notMatch(first.message, /Passw0rd/);

  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const unreadable = await runLoginsCheck({ ...config, id: 'empty', journalDirectory: empty }, ctx);
  t.match(unreadable, { status: 'UNKNOWN', code: 'logins.probe_failed', message: /the journal is empty or cannot be read/ }, 'no journal is never "no failed logins"');
});
