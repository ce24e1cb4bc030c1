/**
 * The swap's own steps with real files in a temp dir and an injected restart and marker (issue 19): a rename that
 * fails leaves the installed agent as it was; a restart that throws counts as "did not connect" and is rolled
 * back; a rollback whose previous build does not connect either is reported as such. And automatic mode starts
 * the upgrade only when the collector says automatic, for a newer version, and once per announced version.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { UpdateMessage } from '@nines/shared';
import { swapAndVerify, type SwapContext } from '../../src/upgrade/swap.ts';
import { nodeSwapFs } from '../../src/upgrade/context.ts';
import { AutoUpgrader } from '../../src/upgrade/automatic.ts';
import { UpgradeErrors } from '../../src/upgrade/errors.ts';
import { nextPatch } from './bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'nines-swap-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const OLD = Buffer.from('old build');
const NEW = Buffer.from('new build');

/** An installed agent file and a context whose "service" connects as `connects(version, restartNo)` says. */
function world(connects: (running: string, restartNo: number) => boolean, fs = nodeSwapFs) {
  const dir = mkdtempSync(join(root, 'w-'));
  const target = join(dir, 'agent');
  writeFileSync(target, OLD);
  let marker: string | null = null;
  let now = 0;
  const restarts: string[] = [];
  const ctx: SwapContext = {
    fs,
    async restart() {
      const running = readFileSync(target).toString();
      restarts.push(running);
      if (running === 'explodes') throw new Error('systemctl: exit 1');
      if (connects(running, restarts.length)) marker = running === NEW.toString() ? '2.0.0' : '1.0.0';
    },
    connectedVersion: () => marker,
    clearMarker: () => (marker = null),
    clock: () => now,
    sleep: async (ms) => void (now += ms),
    say: () => {},
  };
  const plan = { target, build: NEW, version: '2.0.0', previousVersion: '1.0.0', connectTimeoutMs: 5_000, pollMs: 500 };
  return { dir, target, ctx, plan, restarts, files: () => readdirSync(dir).sort() };
}

t.test('a rename that fails leaves the installed file as it was, and nothing is restarted', async (t) => {
  let renames = 0;
  const failing = { ...nodeSwapFs, rename: (from: string, to: string) => (++renames === 2 ? (() => { throw new Error('EBUSY'); })() : nodeSwapFs.rename(from, to)) };
  const w = world(() => true, failing);
  await t.rejects(swapAndVerify(w.ctx, w.plan), { code: UpgradeErrors.SWAP, message: /cannot put the new build at .*EBUSY/ });
  t.equal(readFileSync(w.target).toString(), OLD.toString());
  t.same(w.files(), ['agent'], 'no .new or .previous left');
  t.same(w.restarts, []);
});

t.test('a restart that fails is a build that did not connect: rolled back', async (t) => {
  const w = world(() => true);
  const outcome = await swapAndVerify(w.ctx, { ...w.plan, build: Buffer.from('explodes') });
  t.equal(outcome.state, 'rolled-back');
  t.match(outcome.reason, /could not be started \(systemctl: exit 1\)/);
  t.same(w.restarts, ['explodes', OLD.toString()]);
  t.equal(readFileSync(w.target).toString(), OLD.toString());
  t.same(w.files(), ['agent', 'agent.failed']);
});

t.test('the new build waits the whole bound, in bounded polls, before the rollback; a previous that does not connect is reported', async (t) => {
  const w = world(() => false);
  const outcome = await swapAndVerify(w.ctx, w.plan);
  t.equal(outcome.state, 'rollback-failed');
  t.match(outcome.reason, /did not connect to the collector within 5 s; after the rollback 1\.0\.0 did not connect/);
  t.equal(w.ctx.clock(), 2 * w.plan.connectTimeoutMs, 'each wait took exactly its bound on the injected clock');
  t.equal(readFileSync(w.target).toString(), OLD.toString(), 'the previous build is in place all the same');
});

t.test('a second upgrade replaces the one .previous kept', async (t) => {
  const w = world(() => true);
  writeFileSync(`${w.target}.previous`, 'the build before the last one');
  t.equal((await swapAndVerify(w.ctx, w.plan)).state, 'connected');
  t.equal(readFileSync(`${w.target}.previous`).toString(), OLD.toString());
  t.equal(readFileSync(w.target).toString(), NEW.toString());
});

t.test('automatic mode: only when automatic, only newer, once per announced version', async (t) => {
  const stateDir = mkdtempSync(join(root, 'auto-'));
  const started: string[][] = [];
  const current = '1.4.2';
  const auto = new AutoUpgrader({ stateDir, currentVersion: current, log: pino({ level: 'silent' }), clock: () => 0, startUpgrade: (args) => started.push(args) });
  const update = (version: string, automatic: boolean): UpdateMessage => ({ type: 'update', version, automatic, files: [] });
  const newer = nextPatch(current);
  t.equal(auto.onUpdate(update(newer, false)), false, 'automatic off: nothing started');
  t.equal(auto.onUpdate(update(current, true)), false, 'the same version: nothing');
  t.equal(auto.onUpdate(update('1.4.1', true)), false, 'an older one: nothing');
  t.equal(auto.onUpdate(update(newer, true)), true, 'newer and automatic: started');
  t.same(started, [['upgrade', '--state-dir', stateDir]]);
  t.equal(auto.onUpdate(update(newer, true)), false, 'told again on the next connection (e.g. after a rollback): not again');
  t.equal(auto.onUpdate(update(nextPatch(newer), true)), true, 'a different newer version is tried');
  t.equal(started.length, 2);
});

t.test('an identity rewritten by root (pinning the key) keeps the service account as its owner', { skip: process.getuid?.() === 0 ? false : 'needs root to own a file as another user' }, async (t) => {
  const { writeIdentity } = await import('../../src/identity.ts');
  const { chownSync, statSync } = await import('node:fs');
  const stateDir = mkdtempSync(join(root, 'owner-'));
  const identity = { collectorUrl: 'http://127.0.0.1:1', agentId: 'a', secret: 's', enrolledAt: 0 };
  writeIdentity(stateDir, identity);
  chownSync(join(stateDir, 'identity.json'), 4321, 4322); // as install's grantAccess leaves it for the service user
  writeIdentity(stateDir, { ...identity, signingKey: 'k' });
  const stat = statSync(join(stateDir, 'identity.json'));
  t.same([stat.uid, stat.gid, stat.mode & 0o777], [4321, 4322, 0o600]);
});

t.test('the automatic upgrade runs detached with its output in upgrade.log; under systemd as a transient unit', async (t) => {
  const { startDetachedUpgrade, upgradeCommandLine, UPGRADE_LOG } = await import('../../src/upgrade/spawn.ts');
  const own = ['/opt/nines-agent/nines-agent'];
  t.same(upgradeCommandLine(own, ['upgrade', '--state-dir', '/s'], {}, 7), ['/opt/nines-agent/nines-agent', 'upgrade', '--state-dir', '/s']);
  t.same(upgradeCommandLine(own, ['upgrade'], { INVOCATION_ID: 'abc' }, 7), ['systemd-run', '--quiet', '--collect', '--unit=nines-agent-upgrade-7', '/opt/nines-agent/nines-agent', 'upgrade']);

  // A real detached child standing in for the agent binary: it prints its arguments and exits.
  const stateDir = mkdtempSync(join(root, 'spawn-'));
  const script = join(stateDir, 'fake-agent.mjs');
  writeFileSync(script, "console.log('started with', process.argv.slice(2).join(' '));\n");
  const env = { ...process.env };
  delete env.INVOCATION_ID;
  const pid = await startDetachedUpgrade(stateDir, ['upgrade', '--state-dir', stateDir], env, [process.execPath, script]);
  t.ok(pid > 0);
  const log = join(stateDir, UPGRADE_LOG);
  const deadline = Date.now() + 10_000;
  while (!readFileSync(log, 'utf8').includes('started with') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.equal(readFileSync(log, 'utf8'), `started with upgrade --state-dir ${stateDir}\n`);
});
