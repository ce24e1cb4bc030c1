import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkConfigErrors, renderResultMessage, type BackupIntegrityCheckConfig } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseResticCheck, resticErrors } from '../../../src/probes/backup-integrity/restic/parse.ts';
import { parseBorgCheck } from '../../../src/probes/backup-integrity/borg/parse.ts';
import { integrityDue, lastSlotAt, slotOffsetMs } from '../../../src/probes/backup-integrity/schedule.ts';
import { evaluateIntegrity } from '../../../src/probes/backup-integrity/evaluate.ts';
import { integrityStatePath } from '../../../src/probes/backup-integrity/state.ts';
import { backupIntegrity } from '../../../src/checks/backup-integrity.ts';
import { runCheck } from '../../../src/runner.ts';
import { writeIntegrityState } from '../../../src/probes/backup-integrity/state.ts';
import { pino } from 'pino';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { DAY, HOUR, tempDir, testContext } from '../backup/context.ts';

const WEEK = 7 * DAY;
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

t.test('parse restic check: no errors, a corrupted pack, a missing pack, and runs that checked nothing', async (t) => {
  t.same(parseResticCheck({ code: 0, stdout: fixture('restic', 'check-ok-stdout.txt'), stderr: '' }, '/r'), { state: 'verified', packs: 2 });
  const corrupt = parseResticCheck({ code: 1, stdout: fixture('restic', 'check-corrupt-stdout.txt'), stderr: fixture('restic', 'check-corrupt-stderr.txt') }, '/r');
  t.same(corrupt, { state: 'damaged', errors: ['Pack ID does not match, want 612a6dbfb45cf994a38206a71152844c22f63ce26b9c0af6878fe5d74267d2ee, got cdbb28173d4454aba66fb2db7b0d44abccf1fa3a5b77e73957923d07ac84b042'] });
  const missing = resticErrors(fixture('restic', 'check-missing-pack-stderr.txt'));
  t.equal(missing[0], 'pack e35e0da112dc0f7028f594e5ee271fceb25e685b9e3205b8eb22aa2e547781d3: does not exist');
  t.ok(missing.includes('error for tree ad6081db: ReadFull(<data/e35e0da112>): open /tmp/rx/repo/data/e3/e35e0da112dc0f7028f594e5ee271fceb25e685b9e3205b8eb22aa2e547781d3: no such file or directory'), 'continuation joined');
  t.equal(missing.length, 4, 'the retry lines are left out');
  t.match(parseResticCheck({ code: 0, stdout: 'using temporary cache\n', stderr: '' }, '/r'), { state: 'failed', error: /without "no errors were found"/ });
  t.match(parseResticCheck({ code: 1, stdout: '', stderr: fixture('restic', 'stderr-wrong-password.txt') }, '/r'), { state: 'failed', error: 'restic cannot open /r: wrong password' });
  t.match(parseResticCheck({ code: 1, stdout: '', stderr: fixture('restic', 'stderr-locked.txt') }, '/r'), { state: 'failed', error: /locked/ });
  t.match(parseResticCheck({ code: null, stdout: '', stderr: '', failure: 'not-found', failureMessage: 'restic is not installed' }, '/r'), { state: 'failed', error: 'restic is not installed' });
});

t.test('parse borg check: no problems, a corrupted segment, and runs that checked nothing', async (t) => {
  t.same(parseBorgCheck({ code: 0, stdout: '', stderr: fixture('borg', 'check-ok.jsonl') }, '/b', true), { state: 'verified', chunks: 23 });
  const corrupt = parseBorgCheck({ code: 1, stdout: '', stderr: fixture('borg', 'check-corrupt.jsonl') }, '/b', true);
  t.equal(corrupt.state, 'damaged');
  t.match(corrupt, { errors: ['Data integrity error: Segment entry checksum mismatch [segment 2, offset 180764]', 'Index object count mismatch.'] });
  t.notOk((corrupt as { errors: string[] }).errors.some((e) => /errors found/.test(e)), 'the summary line is not a finding');
  t.match(parseBorgCheck({ code: 2, stdout: '', stderr: fixture('borg', 'stderr-locked.jsonl') }, '/b', true), { state: 'failed', error: /locked/ });
  t.match(parseBorgCheck({ code: 2, stdout: '', stderr: fixture('borg', 'stderr-wrong-passphrase.jsonl') }, '/b', true), { state: 'failed', error: /wrong passphrase/ });
  t.match(parseBorgCheck({ code: 0, stdout: '', stderr: '' }, '/b', true), { state: 'failed', error: /without "no problems found"/ });
  t.match(parseBorgCheck({ code: 1, stdout: '', stderr: '{"type": "log_message", "levelname": "WARNING", "message": "odd"}\n' }, '/b', true), { state: 'failed', error: /warning and no verdict: odd/ });
});

t.test('schedule: a slot per agent and check within the period, the same every time', async (t) => {
  const a = slotOffsetMs('agent-a', 'restic-integrity', WEEK);
  t.equal(slotOffsetMs('agent-a', 'restic-integrity', WEEK), a);
  const offsets = new Set(Array.from({ length: 50 }, (_, i) => slotOffsetMs(`agent-${i}`, 'restic-integrity', WEEK)));
  t.equal(offsets.size, 50, 'fifty machines, fifty slots');
  t.ok([...offsets].every((o) => o >= 0 && o < WEEK));
  const spreadDays = new Set([...offsets].map((o) => Math.floor(o / DAY)));
  t.ok(spreadDays.size >= 5, `spread over ${spreadDays.size} of 7 days`);
  const slot = lastSlotAt(T0, a, WEEK);
  t.ok(slot <= T0 && slot > T0 - WEEK);
  t.equal(lastSlotAt(slot, a, WEEK), slot, 'a slot is its own latest slot');
  t.equal(integrityDue(undefined, T0, a, WEEK), true, 'never checked');
  t.equal(integrityDue(slot, slot + WEEK - 1, a, WEEK), false, 'checked in this period');
  t.equal(integrityDue(slot, slot + WEEK, a, WEEK), true, 'the next slot has come');
  t.equal(integrityDue(slot - 1, slot, a, WEEK), true, 'checked just before the slot');
  t.equal(integrityDue(T0 + HOUR, T0, a, WEEK), true, 'a check "in the future" (the clock went back) runs again');
});

t.test('evaluate: each state, now and from an earlier run, in both languages', async (t) => {
  const run = { tool: 'restic', repository: '/srv/restic', checkedAt: T0, nextAt: T0 + WEEK, earlier: false, subset: '2/4' };
  const ok = evaluateIntegrity({ state: 'verified', packs: 12 }, run, T0 + 60_000);
  t.equal(ok.status, 'OK');
  t.equal(ok.message, 'restic repository /srv/restic: no errors found, data part 2/4 read back (12 packs) (checked 2026-11-25 12:00 UTC, next check 2026-12-02 12:00 UTC)');
  t.same(ok.metrics, { age_s: 60, packs_read: 12 });
  const later = evaluateIntegrity({ state: 'verified', packs: 12 }, { ...run, earlier: true }, T0 + DAY);
  t.match(later.message, /\(last checked 2026-11-25 12:00 UTC, next check 2026-12-02 12:00 UTC\)$/);
  t.equal(later.metrics!.age_s, 86_400);
  t.equal(renderResultMessage(later.code, later.params, 'de', ''), 'restic-Repository /srv/restic: keine Fehler gefunden, Datenteil 2/4 zurückgelesen (12 Packs) (zuletzt geprüft 2026-11-25 12:00 UTC, nächste Prüfung 2026-12-02 12:00 UTC)');
  const damaged = evaluateIntegrity({ state: 'damaged', errors: ['Pack ID does not match', 'pack x: does not exist'] }, { ...run, earlier: true }, T0);
  t.equal(damaged.status, 'CRIT');
  t.equal(damaged.message, 'restic repository /srv/restic is damaged: Pack ID does not match (+1 more) (last checked 2026-11-25 12:00 UTC, next check 2026-12-02 12:00 UTC)');
  t.match(damaged.details, { errors: ['Pack ID does not match', 'pack x: does not exist'] });
  const failed = evaluateIntegrity({ state: 'failed', error: 'restic cannot open /srv/restic: wrong password' }, run, T0);
  t.same([failed.status, failed.message], ['UNKNOWN', 'restic repository /srv/restic: integrity check did not complete: restic cannot open /srv/restic: wrong password']);
});

t.test('config: defaults, per-tool fields, clear errors', async (t) => {
  t.same(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'restic', repository: '/r', passwordFile: '/p' }), []);
  t.same(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'borg', repository: '/b', passphraseEnv: 'BORG_PW', every: '14d' }), []);
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'tape', repository: '/r' }), [/^\/tool: expected one of restic, borg, got "tape"/]);
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'restic' }), [/repository/]);
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'restic', repository: '/r', readDataSubsets: 0 }), [/^\/readDataSubsets/]);
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'borg', repository: '/b', passwordFile: '/p' }), [/^\/passwordFile: unknown key/], 'restic field on borg');
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'borg', repository: '/b', every: 'weekly' }), [/^\/every/]);
  t.match(checkConfigErrors({ kind: 'backup-integrity', id: 'i', tool: 'restic', repository: '/r', passwordFile: '/p', passwordEnv: 'P' }), [/not both/]);
  t.equal(backupIntegrity.defaultIntervalMs, HOUR);
});

/** The real exec, counting the programs it starts, so a test can see that a report from state ran nothing. */
function countingExec(): { exec: ExecFn; runs: string[][] } {
  const runs: string[][] = [];
  return { runs, exec: (file, args, options) => (runs.push([file, ...args]), execProgram(file, args, options)) };
}

/** Overwrites 16 bytes in the middle of every file above 4 KiB under dir: damage a disk or a bad copy could do. */
function corruptLargeFiles(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const size = statSync(path).size;
    if (size < 4096) continue;
    chmodSync(path, 0o600);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(16, 0x58), 0, 16, Math.floor(size / 2));
    closeSync(fd);
    count++;
  }
  return count;
}

/** Files of random bytes: restic ≥ 0.14 compresses, and repeated text would leave too few bytes to damage. */
function writeData(dir: string, files: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `doc${i}.bin`), randomBytes(20_000));
}

t.test('with the real restic', async (t) => {
  const dir = tempDir(t, 'nines-integrity-');
  const repo = join(dir, 'repo');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, 'correct horse\n');
  writeData(join(dir, 'data'), 20);
  const env: NodeJS.ProcessEnv = { ...process.env, RESTIC_PASSWORD_FILE: passwordFile, RESTIC_REPOSITORY: repo, RESTIC_CACHE_DIR: join(dir, 'cache') };
  delete env.RESTIC_PASSWORD;
  const restic = (...args: string[]) => execFileSync('restic', args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  restic('init');
  restic('backup', '-q', join(dir, 'data'));
  const stateDir = join(dir, 'state');
  const config: BackupIntegrityCheckConfig = { kind: 'backup-integrity', id: 'restic-integrity', tool: 'restic', repository: repo, passwordFile, readDataSubsets: 2 };
  const offset = slotOffsetMs('agent-1', config.id, WEEK);
  const slot = lastSlotAt(T0, offset, WEEK);
  let now = slot + HOUR;
  const { exec, runs } = countingExec();
  const ctx = testContext({ clock: () => now, exec, stateDir, agentId: 'agent-1', timeoutMs: 60_000 });

  const first = await backupIntegrity.run(config, ctx);
  t.equal(first.status, 'OK', first.message);
  t.match(first.message, new RegExp(`^restic repository ${repo}: no errors found, data part 1/2 read back \\(\\d+ packs?\\) \\(checked .*, next check ${new Date(slot + WEEK).toISOString().slice(0, 16).replace('T', ' ')} UTC\\)$`));
  t.same(runs.map((r) => r.slice(1)), [['check', '--read-data-subset=1/2']]);
  t.ok(existsSync(integrityStatePath(stateDir, config.id)));

  now = slot + 3 * DAY;
  const between = await backupIntegrity.run(config, ctx);
  t.equal(runs.length, 1, 'between slots nothing runs');
  t.equal(between.status, 'OK');
  t.match(between.message, /data part 1\/2 read back .*\(last checked /);
  t.equal(between.metrics!.age_s, (3 * DAY - HOUR) / 1000);

  now = slot + WEEK + 60_000;
  const nextWeek = await backupIntegrity.run(config, ctx);
  t.equal(nextWeek.status, 'OK', nextWeek.message);
  t.same(runs.at(-1)!.slice(1), ['check', '--read-data-subset=2/2'], 'the next part rotates in');

  await t.test('a wrong password is UNKNOWN, keeps no state and is tried again at the next interval', async (t) => {
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'nope\n');
    const other = { ...config, id: 'wrong-password', passwordFile: wrong };
    const before = runs.length;
    const outcome = await backupIntegrity.run(other, ctx);
    t.same([outcome.status, outcome.message], ['UNKNOWN', `restic repository ${repo}: integrity check did not complete: restic cannot open ${repo}: wrong password`]);
    t.notOk(existsSync(integrityStatePath(stateDir, other.id)));
    await backupIntegrity.run(other, ctx);
    t.equal(runs.length, before + 2, 'ran again');
  });

  await t.test('a corrupted pack file is CRIT with restic\'s words, and stays CRIT until the next slot', async (t) => {
    t.ok(corruptLargeFiles(join(repo, 'data')) >= 1);
    const whole = { ...config, id: 'restic-whole', readDataSubsets: 1 };
    const outcome = await backupIntegrity.run(whole, ctx);
    t.equal(outcome.status, 'CRIT', outcome.message);
    t.match(outcome.message, new RegExp(`^restic repository ${repo} is damaged: Pack ID does not match, want [0-9a-f]{64}, got [0-9a-f]{64}`));
    t.equal(outcome.code, 'integrity.damaged');
    now += DAY;
    const count = runs.length;
    const still = await backupIntegrity.run(whole, ctx);
    t.equal(runs.length, count, 'from state');
    t.match(still, { status: 'CRIT', message: /is damaged: Pack ID does not match.*\(last checked / });
  });
});

t.test('with the real borg', async (t) => {
  const dir = tempDir(t, 'nines-integrity-');
  const repo = join(dir, 'repo');
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'correct horse\n');
  writeData(join(dir, 'data'), 20);
  const env: NodeJS.ProcessEnv = { ...process.env, BORG_PASSPHRASE: 'correct horse', BORG_BASE_DIR: join(dir, 'base') };
  const borg = (...args: string[]) => execFileSync('borg', args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  borg('init', '-e', 'repokey', repo);
  borg('create', `${repo}::first`, 'data');
  // The probe's borg keeps its cache and keys under the test's dir too, not in the agent's home.
  const saved = process.env.BORG_BASE_DIR;
  process.env.BORG_BASE_DIR = join(dir, 'base');
  t.teardown(() => void (saved === undefined ? delete process.env.BORG_BASE_DIR : (process.env.BORG_BASE_DIR = saved)));
  const config: BackupIntegrityCheckConfig = { kind: 'backup-integrity', id: 'borg-integrity', tool: 'borg', repository: repo, passphraseFile };
  const now = T0;
  const { exec, runs } = countingExec();
  const ctx = testContext({ clock: () => now, exec, stateDir: join(dir, 'state'), agentId: 'agent-1', timeoutMs: 60_000 });

  const good = await backupIntegrity.run(config, ctx);
  t.equal(good.status, 'OK', good.message);
  t.match(good.message, new RegExp(`^borg repository ${repo}: no errors found, \\d+ chunks read back \\(checked 2026-11-25 12:00 UTC, next check `));
  t.same(runs.at(-1)!.slice(1), ['--log-json', 'check', '-v', '--verify-data', '--last', '1']);
  t.ok(good.metrics!.chunks_verified! > 0);

  const wrong = join(dir, 'wrong');
  writeFileSync(wrong, 'nope\n');
  const unknown = await backupIntegrity.run({ ...config, id: 'borg-wrong', passphraseFile: wrong }, ctx);
  t.same([unknown.status, unknown.message], ['UNKNOWN', `borg repository ${repo}: integrity check did not complete: borg cannot open ${repo}: wrong passphrase`]);

  t.ok(corruptLargeFiles(join(repo, 'data')) >= 1);
  const damaged = await backupIntegrity.run({ ...config, id: 'borg-after-damage' }, ctx);
  t.equal(damaged.status, 'CRIT', damaged.message);
  t.match(damaged.message, new RegExp(`^borg repository ${repo} is damaged: Data integrity error: Segment entry checksum mismatch \\[segment \\d+, offset \\d+\\]`));
});

t.test('a state directory that cannot be written is UNKNOWN with the reason', async (t) => {
  const dir = tempDir(t, 'nines-integrity-');
  writeFileSync(join(dir, 'state'), 'a file where the state directory should be');
  const outcome = await backupIntegrity.run(
    { kind: 'backup-integrity', id: 'x', tool: 'restic', repository: join(dir, 'none'), passwordFile: join(dir, 'missing') },
    testContext({ stateDir: join(dir, 'state') }),
  );
  t.match(outcome, { status: 'UNKNOWN', code: 'integrity.probe_failed', message: /integrity check did not complete: ENOTDIR/ });
});

t.test('the runner hands the agent id to the check: the slot, and so the next check, is that agent\'s', async (t) => {
  const stateDir = tempDir(t, 'nines-integrity-');
  const config: BackupIntegrityCheckConfig = { kind: 'backup-integrity', id: 'restic-integrity', tool: 'restic', repository: '/srv/restic' };
  await writeIntegrityState(stateDir, config.id, { key: 'restic /srv/restic', checkedAt: T0, verdict: { state: 'verified', packs: 3 }, subset: '1/4', nextSubset: 2 });
  const nextFor = (agentId: string) => lastSlotAt(T0 + 1, slotOffsetMs(agentId, config.id, WEEK), WEEK) + WEEK;
  t.not(nextFor('agent-a'), nextFor('agent-b'), 'two agents, two slots');
  for (const agentId of ['agent-a', 'agent-b']) {
    const result = await runCheck(config, { clock: () => T0 + 1, exec: execProgram, log: pino({ level: 'silent' }), stateDir, agentId });
    // A slot between T0 and now would make the check run (and fail on /srv/restic); these two fall elsewhere.
    t.equal(result.status, 'OK', result.message);
    t.equal(result.params!.nextAt, nextFor(agentId));
    t.equal(result.intervalMs, HOUR);
  }
});

t.test('a torn state file counts as never checked: the check runs; a missing tool is UNKNOWN', async (t) => {
  const dir = tempDir(t, 'nines-integrity-');
  const config: BackupIntegrityCheckConfig = { kind: 'backup-integrity', id: 'torn', tool: 'borg', repository: join(dir, 'repo'), program: join(dir, 'no-borg-here') };
  mkdirSync(join(dir, 'backup-integrity'));
  writeFileSync(integrityStatePath(dir, config.id), '{"key":"borg ');
  const { exec, runs } = countingExec();
  const outcome = await backupIntegrity.run(config, testContext({ stateDir: dir, exec, agentId: 'a' }));
  t.equal(runs.length, 1);
  t.match(outcome, { status: 'UNKNOWN', message: /integrity check did not complete: .*(not installed|not found)/ });
});
