import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { parseRfc3339, parseSnapshots, parseStats, resticFailure, newestFirst } from '../../../src/probes/backup/restic/parse.ts';
import { evaluateRestic } from '../../../src/probes/backup/restic/evaluate.ts';
import { backup } from '../../../src/checks/backup.ts';
import { DAY, HOUR, tempDir, testContext } from './context.ts';

const config = { kind: 'backup' as const, id: 'r', tool: 'restic' as const, repository: '/srv/restic', every: '24h' };

t.test('parse: normal list keeps id, host, tags and the nanosecond time cut to ms', async (t) => {
  const snapshots = parseSnapshots(fixture('restic', 'snapshots-normal.json'));
  t.equal(snapshots.length, 3);
  t.match(snapshots[0], { hostname: 'srv1', tags: ['nightly', 'db'], shortId: /^[0-9a-f]{8}$/ });
  t.equal(parseRfc3339('2026-11-25T12:59:55.929931019Z'), Date.UTC(2026, 10, 25, 12, 59, 55, 929));
});

t.test('parse: odd time formats keep their UTC offset', async (t) => {
  const [ny, berlin] = parseSnapshots(fixture('restic', 'snapshots-offsets.json'));
  t.equal(ny!.time, '2026-11-20T23:30:00-05:00');
  t.equal(ny!.timeMs, Date.UTC(2026, 10, 21, 4, 30, 0), 'no fraction, negative offset');
  t.equal(berlin!.timeMs, Date.UTC(2026, 10, 25, 12, 59, 28, 898), '+01:00 with nanoseconds');
  t.same(newestFirst([ny!, berlin!]).map((s) => s.hostname), ['srv3', 'srv4']);
});

t.test('evaluate: empty repository is CRIT, old one CRIT, fresh one OK with snapshot id in details', async (t) => {
  const empty = evaluateRestic({ snapshots: parseSnapshots(fixture('restic', 'snapshots-empty.json')) }, config, Date.now());
  t.equal(empty.status, 'CRIT');
  t.match(empty.message, /restic repository \/srv\/restic: no backup found/);

  const old = newestFirst(parseSnapshots(fixture('restic', 'snapshots-old.json')));
  const weeksLater = Date.UTC(2026, 10, 25, 12);
  const stale = evaluateRestic({ snapshots: old }, config, weeksLater);
  t.equal(stale.status, 'CRIT');
  t.match(stale.message, /restic snapshot [0-9a-f]{8} of fileserver, 55 d \d+ h old/);

  const fresh = evaluateRestic({ snapshots: old, latestSizeBytes: 100006 }, config, old[0]!.timeMs + 2 * HOUR);
  t.equal(fresh.status, 'OK');
  t.match(fresh.details, { snapshotId: old[0]!.id, time: '2026-09-30T22:00:05+02:00' });
  t.same(fresh.metrics, { snapshots: 1, age_s: 7200, size_bytes: 100006 });
});

t.test('parse: stats and garbage', async (t) => {
  t.equal(parseStats(fixture('restic', 'stats-latest.json')), 100006);
  t.throws(() => parseSnapshots('Fatal: something\n'), { message: /restic printed no snapshot JSON/ });
  t.throws(() => parseSnapshots('{"a":1}'), { message: /not an array/ });
  t.throws(() => parseSnapshots('[{"id":"x","time":"yesterday"}]'), { message: /unreadable time "yesterday"/ });
  t.throws(() => parseStats('{}'), { message: /no total_size/ });
});

t.test('failures map to clear messages, for 0.14 (exit 1 + text) and 0.17+ (exit codes 10/11/12)', async (t) => {
  const repo = '/srv/restic';
  t.match(resticFailure({ code: 1, stdout: '', stderr: fixture('restic', 'stderr-wrong-password.txt') }, repo), { status: 'UNKNOWN', kind: 'wrong-password' });
  t.match(resticFailure({ code: 12, stdout: '', stderr: '' }, repo), { kind: 'wrong-password', message: /wrong password/ });
  t.match(resticFailure({ code: 1, stdout: '', stderr: fixture('restic', 'stderr-missing-repo.txt') }, repo), { status: 'CRIT', kind: 'missing-repository' });
  t.match(resticFailure({ code: 10, stdout: '', stderr: fixture('restic', 'stderr-missing-repo-0.17.txt') }, repo), {
    status: 'CRIT',
    message: /no restic repository at \/srv\/restic .*repository does not exist/,
  });
  t.match(resticFailure({ code: 1, stdout: '', stderr: fixture('restic', 'stderr-locked.txt') }, repo), { status: 'UNKNOWN', kind: 'locked', message: /locked exclusively by PID \d+/ });
  t.match(resticFailure({ code: 11, stdout: '', stderr: '' }, repo), { kind: 'locked' });
  t.match(resticFailure({ code: 3, stdout: '', stderr: 'Fatal: odd\n' }, repo), { status: 'UNKNOWN', message: 'restic failed with exit code 3: odd' });
  t.match(resticFailure({ code: null, stdout: '', stderr: '', failure: 'not-found', failureMessage: 'restic is not installed (not found in PATH)' }, repo), { kind: 'not-installed' });
});

t.test('with the real restic', async (t) => {
  const dir = tempDir(t);
  const repo = join(dir, 'repo');
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'invoice.pdf'), 'x'.repeat(5000));
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'correct horse\n');
  const env: NodeJS.ProcessEnv = { ...process.env, RESTIC_PASSWORD_FILE: passwordFile, RESTIC_REPOSITORY: repo, RESTIC_CACHE_DIR: join(dir, 'cache') };
  delete env.RESTIC_PASSWORD;
  const restic = (...args: string[]) => execFileSync('restic', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  restic('init');
  const job = { ...config, repository: repo, passwordFile, host: 'srv1', tags: ['nightly'] };
  const ctx = testContext({ clock: Date.now });

  t.test('an empty repository is CRIT', async (t) => {
    const outcome = await backup.run(job, ctx);
    t.equal(outcome.status, 'CRIT');
    t.match(outcome.message, /no backup found/);
  });

  t.test('after a backup the probe reads it, with size from stats', async (t) => {
    restic('backup', '--host', 'srv1', '--tag', 'nightly', '-q', data);
    restic('backup', '--host', 'other', '-q', data);
    const outcome = await backup.run({ ...job, stats: true }, ctx);
    t.equal(outcome.status, 'OK', outcome.message);
    t.match(outcome.message, /^restic snapshot [0-9a-f]{8} of srv1, \d+ (ms|s) old, 4\.9 KiB$/);
    t.equal(outcome.metrics!.size_bytes, 5000);
    t.equal(outcome.metrics!.snapshots, 1, 'the other host is filtered out');
    t.match(outcome.details, { hostname: 'srv1', tags: ['nightly'] });
    const tomorrowAndMore = await backup.run(job, { ...ctx, clock: () => Date.now() + 3 * DAY });
    t.equal(tomorrowAndMore.status, 'CRIT');
  });

  t.test('a locked repository is still read (--no-lock)', async (t) => {
    // `restic key passwd` takes an exclusive lock and then waits for the new password on stdin.
    const holder = spawn('restic', ['key', 'passwd'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    holder.stderr.on('data', (c) => (stderr += c));
    t.teardown(() => void holder.kill('SIGKILL'));
    for (let i = 0; i < 100 && !stderr.includes('password'); i++) await new Promise((r) => setTimeout(r, 50));
    t.throws(() => restic('stats', '--json', 'latest'), /locked exclusively/, 'the lock is really held');
    const outcome = await backup.run({ ...job, stats: true }, ctx);
    t.equal(outcome.status, 'OK', outcome.message);
    holder.kill('SIGKILL');
  });

  t.test('a wrong password is UNKNOWN', async (t) => {
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'nope\n');
    const outcome = await backup.run({ ...job, passwordFile: wrong }, ctx);
    t.same([outcome.status, outcome.message], ['UNKNOWN', `restic cannot open ${repo}: wrong password`]);
  });

  t.test('a missing repository is CRIT', async (t) => {
    const outcome = await backup.run({ ...job, repository: join(dir, 'unmounted-usb-disk') }, ctx);
    t.equal(outcome.status, 'CRIT');
    t.match(outcome.message, /no restic repository at .*unmounted-usb-disk/);
  });

  t.test('the password from an environment variable works; an unset one is UNKNOWN', async (t) => {
    process.env.NINES_TEST_RESTIC_PW = 'correct horse';
    t.teardown(() => void delete process.env.NINES_TEST_RESTIC_PW);
    t.equal((await backup.run({ ...job, passwordFile: undefined, passwordEnv: 'NINES_TEST_RESTIC_PW' }, ctx)).status, 'OK');
    const unset = await backup.run({ ...job, passwordFile: undefined, passwordEnv: 'NINES_TEST_UNSET' }, ctx);
    t.same([unset.status, unset.message], ['UNKNOWN', 'the environment variable NINES_TEST_UNSET (restic password) is not set']);
  });

  t.test('a missing password file or none configured is UNKNOWN without waiting for stdin', async (t) => {
    const missing = await backup.run({ ...job, passwordFile: join(dir, 'nope') }, ctx);
    t.match(missing, { status: 'UNKNOWN', message: /cannot read the restic password file .*nope \(ENOENT\)/ });
    const saved = process.env.RESTIC_PASSWORD;
    delete process.env.RESTIC_PASSWORD;
    t.teardown(() => void (saved !== undefined && (process.env.RESTIC_PASSWORD = saved)));
      const none = await backup.run({ ...job, passwordFile: undefined }, ctx);
    t.match(none, { status: 'UNKNOWN', message: /no restic password configured/ });
  });

  t.test('restic not installed is UNKNOWN with the reason', async (t) => {
    const outcome = await backup.run({ ...job, program: join(dir, 'no-restic-here') }, ctx);
    t.match(outcome, { status: 'UNKNOWN', message: /not installed/ });
  });

  t.test('garbage output is UNKNOWN', async (t) => {
    const fake = join(dir, 'fake-restic');
    writeFileSync(fake, '#!/bin/sh\necho "this is not json"\n', { mode: 0o755 });
    const outcome = await backup.run({ ...job, program: fake }, ctx);
    t.match(outcome, { status: 'UNKNOWN', message: /restic printed no snapshot JSON: "this is not json"/ });
  });

  t.test('a hanging restic is cut off at the timeout', async (t) => {
    const slow = join(dir, 'slow-restic');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const outcome = await backup.run({ ...job, program: slow }, { ...ctx, timeoutMs: 300, signal: controller.signal });
    t.match(outcome, { status: 'UNKNOWN', message: /did not finish within 300 ms/ });
  });
});
