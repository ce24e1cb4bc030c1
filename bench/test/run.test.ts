import { test } from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, comparison, scenarioEnv } from '../run.ts';
import { collectorEntryKind } from '../lib/collector-process.ts';
import { checkoutBaseline } from '../lib/baseline.ts';
import type { ScenarioResult } from '../lib/scenario.ts';

const known = ['api', 'ingest', 'report'];

test('arguments: scenarios, --against with alternating rounds, and clear refusals', async (t) => {
  t.same(parseArgs([], known), { names: known, against: null, rounds: 1 });
  t.same(parseArgs(['ingest', '--against', 'HEAD~3'], known), { names: ['ingest'], against: 'HEAD~3', rounds: 2 });
  t.same(parseArgs(['--against', 'v1', '--rounds', '3', 'api'], known), { names: ['api'], against: 'v1', rounds: 3 });
  t.throws(() => parseArgs(['nope'], known), /unknown scenario nope; known: api, ingest, report/);
  t.throws(() => parseArgs(['--against'], known), /--against needs a value/);
  t.throws(() => parseArgs(['--against', '--rounds', '2'], known), /--against needs a value/);
  t.throws(() => parseArgs(['--against', 'x', '--rounds', '0'], known), /--rounds must be a whole number from 1 to 9, not 0/);
  t.throws(() => parseArgs(['--rounds', '2'], known), /--rounds only goes with --against/);
  t.throws(() => parseArgs(['--fast'], known), /unknown option --fast/);
});

test('collector entry: steady measures the bundle, on both sides of --against, unless NINES_BENCH_COLLECTOR says otherwise', async (t) => {
  const env = { PATH: '/bin' };
  t.same(scenarioEnv('steady', false, env), { PATH: '/bin', NINES_BENCH_COLLECTOR: 'bundle' }, 'the older revision is told to run the bundle');
  t.equal(scenarioEnv('steady', true, env), env, 'the current tree chooses its own default');
  t.equal(scenarioEnv('api', false, env), env, 'api stays on tsx on both sides');
  const tsx = { PATH: '/bin', NINES_BENCH_COLLECTOR: 'tsx' };
  t.equal(scenarioEnv('steady', false, tsx), tsx, 'an explicit choice goes to both sides');
  const saved = process.env.NINES_BENCH_COLLECTOR;
  t.teardown(() => (saved === undefined ? delete process.env.NINES_BENCH_COLLECTOR : (process.env.NINES_BENCH_COLLECTOR = saved)));
  delete process.env.NINES_BENCH_COLLECTOR;
  t.equal(collectorEntryKind('bundle'), 'bundle');
  t.equal(collectorEntryKind(), 'tsx');
  process.env.NINES_BENCH_COLLECTOR = 'tsx';
  t.equal(collectorEntryKind('bundle'), 'tsx');
  process.env.NINES_BENCH_COLLECTOR = 'dist';
  t.throws(() => collectorEntryKind('bundle'), /NINES_BENCH_COLLECTOR is "dist": bundle or tsx/);
});

const line = (scenario: string, revision: string, ours: number | null, better: 'higher' | 'lower', error?: string): ScenarioResult =>
  ({ scenario, unit: 'u', ours, ceiling: 1, ratio: null, better, revision, ...(error ? { error } : {}) });

test('comparison: medians per revision, change in the good direction, 5 % tolerance', async (t) => {
  const rows = comparison([
    line('ingest', 'base', 100, 'higher'), line('ingest', 'current', 90, 'higher'),
    line('ingest', 'base', 120, 'higher'), line('ingest', 'current', 130, 'higher'),
    line('api', 'base', 10, 'lower'), line('api', 'current', 12, 'lower'),
    line('report', 'base', 5, 'lower'), line('report', 'current', null, 'lower', 'killed'),
  ], 'base').split('\n').slice(2).map((r) => r.trim().split(/\s{2,}/));
  // ingest: medians 110 and 110 → +0.0 %; api: 10 ms before, 12 ms now, lower is better → 10/12 − 1 = −16.7 %.
  t.same(rows[0], ['ingest', 'u', '110', '110', '+0.0 %', 'no slower']);
  t.same(rows[1], ['api', 'u', '10', '12', '-16.7 %', 'slower']);
  t.same(rows[2], ['report', 'u', '5', '–', '–', 'no figure'], 'a failed current run gives no verdict, not a pass');
});

test('baseline checkout: a detached worktree of the revision with its own workspace links, removed after', async (t) => {
  const repo = mkdtempSync(join(tmpdir(), 'nines-bench-repo-'));
  t.teardown(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q');
  for (const dir of ['shared', 'collector', 'bench']) mkdirSync(join(repo, dir));
  writeFileSync(join(repo, 'package-lock.json'), '{"lock":1}\n');
  writeFileSync(join(repo, 'collector', 'version.txt'), 'old\n');
  writeFileSync(join(repo, 'bench', 'x.ts'), '\n');
  git('add', '-A');
  git('commit', '-qm', 'old');
  const oldCommit = git('rev-parse', 'HEAD');
  writeFileSync(join(repo, 'collector', 'version.txt'), 'new\n');
  git('commit', '-qam', 'new');
  mkdirSync(join(repo, 'node_modules', 'some-dep'), { recursive: true });
  mkdirSync(join(repo, 'node_modules', '@nines'));

  const baseline = checkoutBaseline(repo, 'HEAD~1');
  t.equal(baseline.commit, oldCommit);
  t.equal(execFileSync('cat', [join(baseline.root, 'collector', 'version.txt')], { encoding: 'utf8' }), 'old\n', 'the files of the earlier revision');
  t.equal(realpathSync(join(baseline.root, 'node_modules', 'some-dep')), realpathSync(join(repo, 'node_modules', 'some-dep')), 'dependencies shared');
  t.equal(readlinkSync(join(baseline.root, 'node_modules', '@nines', 'collector')), join('..', '..', 'collector'), 'workspaces are its own');
  t.equal(realpathSync(join(baseline.root, 'node_modules', '@nines', 'collector')), realpathSync(join(baseline.root, 'collector')));
  baseline.remove();
  t.notOk(existsSync(baseline.root), 'worktree removed');
  t.notMatch(git('worktree', 'list'), /nines-baseline-/, 'and unregistered');

  t.throws(() => checkoutBaseline(repo, 'no-such-ref'), /--against no-such-ref: not a revision of this repository/);
  writeFileSync(join(repo, 'package-lock.json'), '{"lock":2}\n');
  t.throws(() => checkoutBaseline(repo, 'HEAD~1'), /its package-lock.json differs from this checkout's/);
});
