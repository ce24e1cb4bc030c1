import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigErrors, renderResultMessage, type BackupChurnCheckConfig } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseDiffChanges, parseStatsCounts } from '../../../src/probes/backup-churn/restic/parse.ts';
import { churnPoints } from '../../../src/probes/backup-churn/borg/parse.ts';
import { evaluateChurn, median } from '../../../src/probes/backup-churn/evaluate.ts';
import { parseArchives } from '../../../src/probes/backup/borg/parse.ts';
import { backupChurn } from '../../../src/checks/backup-churn.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const restic: BackupChurnCheckConfig = { kind: 'backup-churn', id: 'churn', tool: 'restic', repository: '/srv/restic', passwordFile: '/etc/pw' };
const borg: BackupChurnCheckConfig = { kind: 'backup-churn', id: 'churn', tool: 'borg', repository: '/srv/borg', passphraseFile: '/etc/pw' };

t.test('parse: restic diff statistics and stats, borg info, and garbage', async (t) => {
  t.equal(parseDiffChanges(fixture('restic', 'diff-renamed-encrypted.jsonl')), 10, 'five removed + five added *.locked');
  t.equal(parseDiffChanges(fixture('restic', 'diff-encrypted-in-place.jsonl')), 2, 'two modified in place');
  t.same(parseStatsCounts(fixture('restic', 'stats-latest.json')), { files: 3, sizeBytes: 100006 });
  t.throws(() => parseDiffChanges('{"message_type":"change","path":"/a","modifier":"M"}\n'), { message: /restic diff printed no statistics/ });
  t.throws(() => parseStatsCounts('{"total_size":5}'), { message: /no total_size and total_file_count/ });
  const points = churnPoints(parseArchives(fixture('borg', 'info-churn.json')));
  t.same(points.map((p) => p.name), ['srv-3', 'srv-2', 'srv-1'], 'newest first');
  t.same(points[0], { name: 'srv-3', files: 8, sizeBytes: 240192, newBytes: 181581 });
});

t.test('evaluate: usual is the median; each finding WARNs with its numbers', async (t) => {
  t.equal(median([5, 1, 300]), 5);
  t.equal(median([1, 2, 3, 10]), 2.5);
  t.equal(median([]), undefined);
  const usual = [290, 310, 300, 280, 320].map((changed) => ({ name: 'x', files: 48_000, sizeBytes: 2e9, changed }));
  const ok = evaluateChurn([{ name: '2ff9051b', host: 'srv1', files: 48_010, sizeBytes: 2.01e9, changed: 350 }, ...usual], restic);
  t.equal(ok.status, 'OK');
  t.equal(ok.message, 'restic snapshot 2ff9051b of srv1: 350 files changed (usually ~300), 48,010 files, 1.9 GiB (compared with the 5 before)');
  t.same(ok.metrics, { files: 48_010, size_bytes: 2.01e9, changed_files: 350 });

  const encrypted = evaluateChurn([{ name: '2ff9051b', host: 'srv1', files: 48_000, sizeBytes: 2e9, changed: 48_000 }, ...usual], restic);
  t.equal(encrypted.status, 'WARN');
  t.equal(encrypted.message, 'restic snapshot 2ff9051b of srv1: 48,000 files changed, usually ~300 (compared with the 5 before)');
  t.equal(renderResultMessage(encrypted.code, encrypted.params, 'de', ''), 'restic-Snapshot 2ff9051b von srv1: 48.000 Dateien geändert, sonst ~300 (verglichen mit den 5 davor)');

  const deleted = evaluateChurn([{ name: 'a', files: 20_000, sizeBytes: 0.5e9, changed: 28_000 }, ...usual], { ...restic, minChangedFiles: 50_000 });
  t.equal(deleted.status, 'WARN');
  t.equal(deleted.message, 'restic snapshot a: 20,000 files, 58 % fewer than usual (~48,000); 476.8 MiB, 75 % smaller than usual (~1.9 GiB) (compared with the 5 before)');
  t.notOk(deleted.params!.manyChanges, 'below the floor, many changes alone would not warn');

  const small = evaluateChurn([{ name: 'a', files: 50, sizeBytes: 1000, changed: 40 }, ...usual.map((u) => ({ ...u, files: 50, sizeBytes: 1000, changed: 3 }))], restic);
  t.equal(small.status, 'OK', 'a small job changing 40 files instead of 3 stays under the 1000-file floor');
  t.equal(evaluateChurn([{ name: 'a', files: 50, sizeBytes: 1000, changed: 40 }, ...usual.map((u) => ({ ...u, files: 50, sizeBytes: 1000, changed: 3 }))], { ...restic, minChangedFiles: 20 }).status, 'WARN');

  const first = evaluateChurn([{ name: 'a', host: 'srv1', files: 12, sizeBytes: 2048 }], restic);
  t.same([first.status, first.message], ['OK', 'restic snapshot a of srv1: 12 files, 2.0 KiB — too few snapshots yet to compare']);
  t.match(evaluateChurn([], restic), { status: 'UNKNOWN', message: 'restic repository /srv/restic: snapshots cannot be compared: no snapshot to compare' });

  const borgPoints = churnPoints(parseArchives(fixture('borg', 'info-churn.json')));
  const borgWarn = evaluateChurn(borgPoints, { ...borg, minNewBytes: 100_000 });
  t.equal(borgWarn.status, 'WARN');
  t.equal(borgWarn.message, 'borg archive srv-3: 177.3 KiB new data, usually ~15.8 KiB (compared with the 2 before)');
  t.equal(evaluateChurn(borgPoints, borg).status, 'OK', 'under the 1 GiB default floor');
});

t.test('config: per-tool fields and clear errors', async (t) => {
  t.same(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'restic', repository: '/r', passwordFile: '/p', host: 'srv1', compare: 7, minChangedFiles: 500 }), []);
  t.same(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'borg', repository: '/b', glob: 'srv-*', minNewBytes: 1_000_000 }), []);
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', repository: '/r' }), [/^\/tool: expected one of restic, borg, got undefined/]);
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'restic', repository: '/r', compare: 1 }), [/^\/compare/]);
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'restic', repository: '/r', changeFactor: 1 }), [/^\/changeFactor/]);
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'restic', repository: '/r', maxDropPercent: 120 }), [/^\/maxDropPercent/]);
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'restic', repository: '/r', minNewBytes: 5 }), [/^\/minNewBytes: unknown key/], 'borg field on restic');
  t.match(checkConfigErrors({ kind: 'backup-churn', id: 'c', tool: 'borg', repository: '/b', passphraseFile: '/p', passphraseEnv: 'P' }), [/not both/]);
});

/** What ransomware does to a file: its bytes replaced by ciphertext, under the same name. */
function encryptInPlace(path: string): void {
  const cipher = createCipheriv('aes-256-cbc', randomBytes(32), randomBytes(16));
  writeFileSync(path, Buffer.concat([cipher.update(readFileSync(path)), cipher.final()]));
}

function writeFiles(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `doc${i}.bin`);
    writeFileSync(path, randomBytes(8_000));
    return path;
  });
}

function countingExec(): { exec: ExecFn; runs: string[][] } {
  const runs: string[][] = [];
  return { runs, exec: (file, args, options) => (runs.push([file, ...args]), execProgram(file, args, options)) };
}

t.test('with the real restic: a few changed files a night, then most files encrypted in place, then half deleted', async (t) => {
  const dir = tempDir(t, 'nines-churn-');
  const repo = join(dir, 'repo');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'correct horse\n');
  const data = join(dir, 'data');
  const files = writeFiles(data, 60);
  const env: NodeJS.ProcessEnv = { ...process.env, RESTIC_PASSWORD_FILE: passwordFile, RESTIC_REPOSITORY: repo, RESTIC_CACHE_DIR: join(dir, 'cache') };
  delete env.RESTIC_PASSWORD;
  const cli = (...args: string[]) => execFileSync('restic', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const backup = () => cli('backup', '-q', '--host', 'srv1', data);
  cli('init');
  backup();
  // Another machine backs up into the same repository in between: no part of srv1's series, though no host is configured.
  const laptop = join(dir, 'laptop');
  writeFiles(laptop, 2);
  cli('backup', '-q', '--host', 'laptop', laptop);
  for (const night of [1, 2, 3]) {
    writeFileSync(files[night]!, randomBytes(8_000));
    backup();
  }
  const config: BackupChurnCheckConfig = { kind: 'backup-churn', id: 'restic-churn', tool: 'restic', repository: repo, passwordFile, compare: 3, minChangedFiles: 20 };
  const { exec, runs } = countingExec();
  const ctx = testContext({ exec, stateDir: join(dir, 'state'), timeoutMs: 60_000 });

  const quiet = await backupChurn.run(config, ctx);
  t.equal(quiet.status, 'OK', quiet.message);
  t.same((quiet.details as { compared: { host: string }[] }).compared.map((p) => p.host), ['srv1', 'srv1', 'srv1', 'srv1'], 'the laptop is left out');
  t.match(quiet.message, /^restic snapshot [0-9a-f]{8} of srv1: 1 file changed \(usually ~1\), 63 files, 468\.8 KiB \(compared with the 3 before\)$/);

  for (const path of files.slice(0, 50)) encryptInPlace(path);
  backup();
  const before = runs.length;
  const encrypted = await backupChurn.run(config, ctx);
  t.equal(encrypted.status, 'WARN', encrypted.message);
  t.match(encrypted.message, /^restic snapshot [0-9a-f]{8} of srv1: 50 files changed, usually ~1 \(compared with the 3 before\)$/);
  t.equal(encrypted.metrics!.changed_files, 50);
  t.same(runs.slice(before).map((r) => r[1]), ['snapshots', 'stats', 'diff'], 'only the new snapshot is asked about; the rest comes from the cache');

  for (const path of files.slice(0, 40)) rmSync(path);
  backup();
  const deleted = await backupChurn.run({ ...config, minChangedFiles: 100 }, ctx);
  t.equal(deleted.status, 'WARN', deleted.message);
  // restic counts the folders on the way to the data too: 60 files + 3 folders, then 20 + 3; ten of the 20 are ciphertext, 16 bytes longer
  t.match(deleted.message, /: 23 files, 63 % fewer than usual \(~63\); 156\.4 KiB, 67 % smaller than usual \(~468\.8 KiB\)/);

  const wrong = join(dir, 'wrong');
  writeFileSync(wrong, 'nope\n');
  const unknown = await backupChurn.run({ ...config, id: 'wrong', passwordFile: wrong }, ctx);
  t.same([unknown.status, unknown.message], ['UNKNOWN', `restic repository ${repo}: snapshots cannot be compared: restic cannot open ${repo}: wrong password`]);
});

t.test('with the real borg: little new data a night, then most files encrypted in place', async (t) => {
  const dir = tempDir(t, 'nines-churn-');
  const repo = join(dir, 'repo');
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'correct horse\n');
  const files = writeFiles(join(dir, 'data'), 30);
  const env: NodeJS.ProcessEnv = { ...process.env, BORG_PASSPHRASE: 'correct horse', BORG_BASE_DIR: join(dir, 'base') };
  const cli = (...args: string[]) => execFileSync('borg', args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  cli('init', '-e', 'repokey', repo);
  cli('create', `${repo}::srv-0`, 'data');
  for (const night of [1, 2, 3]) {
    writeFileSync(files[night]!, randomBytes(8_000));
    cli('create', `${repo}::srv-${night}`, 'data');
  }
  const saved = process.env.BORG_BASE_DIR;
  process.env.BORG_BASE_DIR = join(dir, 'base');
  t.teardown(() => void (saved === undefined ? delete process.env.BORG_BASE_DIR : (process.env.BORG_BASE_DIR = saved)));
  const config: BackupChurnCheckConfig = { kind: 'backup-churn', id: 'borg-churn', tool: 'borg', repository: repo, passphraseFile, compare: 3, minNewBytes: 50_000 };
  const ctx = testContext({ stateDir: join(dir, 'state'), timeoutMs: 60_000 });

  const quiet = await backupChurn.run(config, ctx);
  t.equal(quiet.status, 'OK', quiet.message);
  t.match(quiet.message, /^borg archive srv-3: [\d.]+ (B|KiB) new data \(usually ~[\d.]+ (B|KiB)\), 30 files, 234\.4 KiB \(compared with the 3 before\)$/);

  for (const path of files.slice(0, 25)) encryptInPlace(path);
  cli('create', `${repo}::srv-4`, 'data');
  const encrypted = await backupChurn.run(config, ctx);
  t.equal(encrypted.status, 'WARN', encrypted.message);
  t.match(encrypted.message, /^borg archive srv-4: 19\d\.\d KiB new data, usually ~[\d.]+ KiB \(compared with the 3 before\)$/);
  t.ok(encrypted.metrics!.new_bytes! > 190_000);
});
