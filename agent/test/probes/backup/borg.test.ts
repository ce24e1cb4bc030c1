import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { borgFailure, parseArchives, parseBorgTime } from '../../../src/probes/backup/borg/parse.ts';
import { evaluateBorg } from '../../../src/probes/backup/borg/evaluate.ts';
import { backup } from '../../../src/checks/backup.ts';
import { DAY, HOUR, tempDir, testContext } from './context.ts';

const config = { kind: 'backup' as const, id: 'b', tool: 'borg' as const, repository: '/srv/borg', every: '24h' };

t.test('parse: list, info and the time without offset (read as UTC, the zone the probe runs borg in)', async (t) => {
  const [latest] = parseArchives(fixture('borg', 'list-normal.json'));
  t.match(latest, { name: 'srv-2026-11-25', time: '2026-11-25T13:00:53.000000', timeMs: Date.UTC(2026, 10, 25, 13, 0, 53) });
  const local = parseArchives(fixture('borg', 'list-localtime.json'))[0]!;
  t.equal(local.timeMs - latest!.timeMs, HOUR, 'the same archive printed under TZ=Europe/Berlin reads an hour later: why the probe sets TZ=UTC');
  const info = parseArchives(fixture('borg', 'info-last2.json'));
  t.match(info, [{ name: 'srv-2026-11-24', originalSizeBytes: 100006, files: 2 }, { name: 'srv-2026-11-25', deduplicatedSizeBytes: 492 }]);
  t.equal(parseBorgTime('2022-12-31T23:59:59.123456+09:30'), Date.UTC(2022, 11, 31, 14, 29, 59, 123), 'borg 2 adds the offset');
  t.same(parseArchives(fixture('borg', 'list-empty.json')), []);
  t.throws(() => parseArchives('oops'), { message: /borg printed no JSON/ });
  t.throws(() => parseArchives('{"archives":[{"name":"a","time":"last tuesday"}]}'), { message: /unreadable borg time/ });
});

t.test('evaluate: empty CRIT, old CRIT, fresh OK, shrinking WARN', async (t) => {
  t.match(evaluateBorg([], config, Date.now()), { status: 'CRIT', message: 'borg repository /srv/borg: no backup found' });
  const old = parseArchives(fixture('borg', 'list-old.json'));
  t.match(evaluateBorg(old, config, Date.UTC(2026, 10, 25, 12)), { status: 'CRIT', message: /borg archive fileserver-2026-09-30, 55 d 15 h old/ });
  t.match(evaluateBorg(old, config, old[0]!.timeMs + 25 * HOUR), { status: 'OK' });
  t.match(evaluateBorg(old, config, old[0]!.timeMs + 30 * HOUR + 1), { status: 'WARN' });
  const info = parseArchives(fixture('borg', 'info-last2.json'));
  info[0]!.originalSizeBytes = 400_000;
  const shrunk = evaluateBorg(info, { ...config, maxShrinkPercent: 50 }, info[1]!.timeMs + HOUR);
  t.match(shrunk, { status: 'WARN', message: /75 % smaller than the backup before/, metrics: { size_bytes: 100006, files: 2 } });
  t.match(shrunk.details, { archive: 'srv-2026-11-25' });
});

t.test('failures map by the msgid of --log-json', async (t) => {
  const err = (name: string, given = true) => borgFailure({ code: 2, stdout: '', stderr: fixture('borg', name) }, '/srv/borg', given);
  t.match(err('stderr-wrong-passphrase.jsonl'), { status: 'UNKNOWN', kind: 'wrong-passphrase' });
  t.match(err('stderr-wrong-passphrase.jsonl', false), { kind: 'no-passphrase', message: /set passphraseFile or passphraseEnv/ });
  t.match(err('stderr-no-passphrase.jsonl'), { kind: 'no-passphrase' });
  t.match(err('stderr-missing-repo.jsonl'), { status: 'CRIT', kind: 'missing-repository', message: /Repository \/tmp\/rx\/nothere does not exist/ });
  t.match(err('stderr-not-a-repo.jsonl'), { status: 'CRIT', kind: 'not-a-repository' });
  t.match(err('stderr-locked.jsonl'), { status: 'UNKNOWN', kind: 'locked', message: /Failed to create\/acquire the lock/ });
  t.match(borgFailure({ code: 2, stdout: '', stderr: 'Traceback (most recent call last):\n' }, '/r', true), { kind: 'failed', message: /exit code 2: Traceback/ });
  t.match(borgFailure({ code: null, stdout: '', stderr: '', failure: 'not-found', failureMessage: 'borg is not installed (not found in PATH)' }, '/r', true), { kind: 'not-installed' });
});

t.test('with the real borg', async (t) => {
  const dir = tempDir(t);
  const repo = join(dir, 'repo');
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'ledger.db'), 'y'.repeat(20000));
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'correct horse\n');
  const env = { ...process.env, BORG_PASSPHRASE: 'correct horse', BORG_REPO: repo, BORG_BASE_DIR: dir };
  const borg = (...args: string[]) => execFileSync('borg', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  borg('init', '-e', 'repokey');
  const saved = process.env.BORG_BASE_DIR;
  process.env.BORG_BASE_DIR = dir; // the probe's borg keeps its cache and keys in the temp folder too
  t.teardown(() => void (saved === undefined ? delete process.env.BORG_BASE_DIR : (process.env.BORG_BASE_DIR = saved)));
  const job = { ...config, repository: repo, passphraseFile, glob: 'srv-*' };
  const ctx = testContext({ clock: Date.now });

  t.test('an empty repository is CRIT', async (t) => {
    t.match(await backup.run(job, ctx), { status: 'CRIT', message: /no backup found/ });
  });

  t.test('after borg create the probe reads the archive; info gives its size', async (t) => {
    borg('create', '::srv-1', data);
    borg('create', '::other-1', data);
    const outcome = await backup.run({ ...job, info: true }, ctx);
    t.equal(outcome.status, 'OK', outcome.message);
    t.match(outcome.message, /^borg archive srv-1, \d+ (ms|s) old, 19\.5 KiB$/);
    t.equal(outcome.metrics!.size_bytes, 20000);
    t.ok(outcome.metrics!.age_s! < 120, 'the time is read in the right zone');
    t.equal((await backup.run(job, { ...ctx, clock: () => Date.now() + 3 * DAY })).status, 'CRIT');
  });

  t.test('a locked repository (a backup running) is still read', async (t) => {
    const holder = spawn('borg', ['with-lock', repo, 'sleep', '20'], { env, stdio: 'ignore' });
    t.teardown(() => void holder.kill('SIGKILL'));
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync('borg', ['list', '--lock-wait', '0', repo], { env, stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break; // the lock is held now
      }
    }
    t.throws(() => execFileSync('borg', ['list', '--lock-wait', '0', repo], { env, stdio: 'pipe' }), 'the lock is really held');
    t.equal((await backup.run(job, ctx)).status, 'OK');
    holder.kill('SIGKILL');
  });

  t.test('wrong passphrase, missing passphrase, missing repository, borg not installed', async (t) => {
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'nope\n');
    t.same(await backup.run({ ...job, passphraseFile: wrong }, ctx), {
      status: 'UNKNOWN', message: `borg cannot open ${repo}: wrong passphrase`,
      code: 'backup.probe_failed', params: { tool: 'borg', error: `borg cannot open ${repo}: wrong passphrase` },
    });
    const saved = { p: process.env.BORG_PASSPHRASE };
    delete process.env.BORG_PASSPHRASE;
    t.teardown(() => void (saved.p !== undefined && (process.env.BORG_PASSPHRASE = saved.p)));
    const started = Date.now();
    t.match(await backup.run({ ...job, passphraseFile: undefined }, ctx), { status: 'UNKNOWN', message: /is encrypted: set passphraseFile or passphraseEnv/ });
    t.ok(Date.now() - started < 10_000, 'does not wait for a passphrase on stdin');
    t.match(await backup.run({ ...job, repository: join(dir, 'gone') }, ctx), { status: 'CRIT', message: /no borg repository at .*gone/ });
    t.match(await backup.run({ ...job, program: join(dir, 'no-borg') }, ctx), { status: 'UNKNOWN', message: /not installed/ });
  });
});
