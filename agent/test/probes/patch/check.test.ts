import t from 'tap';
import { mkdtemp, rm, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { PatchManager, PatchCheckConfig } from '@nines/shared';
import { runPatchCheck } from '../../../src/checks/patch.ts';
import { patchProbes, detectPatchManager } from '../../../src/probes/patch/index.ts';
import type { PatchProbe, PatchCollection } from '../../../src/probes/patch/types.ts';
import type { CheckContext } from '../../../src/checks/check.ts';
import { scriptedExec, probeContext } from './helpers.ts';

const HOUR = 3_600_000;
const config: PatchCheckConfig = { kind: 'patch', id: 'patches', manager: 'dnf' };

async function stateDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nines-patchcheck-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A probe that counts its calls; its answer is what the dnf parser made of a real fixture elsewhere. */
function countingProbe(answer: () => PatchCollection, fingerprint = () => 'fp1') {
  const probe = {
    manager: 'dnf' as PatchManager,
    calls: 0,
    async detect() {
      return true;
    },
    async fingerprint() {
      return fingerprint();
    },
    async collect() {
      probe.calls++;
      return answer();
    },
  };
  return probe;
}

function ctxAt(dir: string, clock: () => number): CheckContext {
  return { clock, signal: new AbortController().signal, timeoutMs: 5_000, exec: scriptedExec(() => ({})).exec, log: pino({ level: 'silent' }), stateDir: dir };
}

const pending = (now: number): PatchCollection => ({
  ok: true,
  state: { manager: 'dnf', updates: [{ name: 'kernel', candidate: '5.14.0-427.el9', security: true }], securityKnown: true, rebootRequired: false, collectedAt: now },
});

t.test('the answer is cached for cacheTtl, also across a restart (it lives in the state dir)', async (t) => {
  const dir = await stateDir(t);
  let now = Date.UTC(2026, 10, 25, 12, 0);
  const probe = countingProbe(() => pending(now));
  const deps = { probes: { ...patchProbes, dnf: probe }, platform: 'linux' as const };
  await runPatchCheck(config, ctxAt(dir, () => now), deps);
  now += HOUR / 2;
  const second = await runPatchCheck(config, ctxAt(dir, () => now), deps);
  t.equal(probe.calls, 1, 'within the hour the manager is not asked again');
  t.equal(second.status, 'CRIT');
  now += HOUR;
  await runPatchCheck(config, ctxAt(dir, () => now), deps);
  t.equal(probe.calls, 2, 'after the TTL it is');
  await runPatchCheck({ ...config, cacheTtl: 0 }, ctxAt(dir, () => now), deps);
  t.equal(probe.calls, 3, 'cacheTtl 0 turns the cache off');
});

t.test('a changed fingerprint (packages installed, index refreshed) drops the cache at once', async (t) => {
  const dir = await stateDir(t);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  let fp = 'before';
  const probe = countingProbe(() => pending(now), () => fp);
  const deps = { probes: { ...patchProbes, dnf: probe }, platform: 'linux' as const };
  await runPatchCheck(config, ctxAt(dir, () => now), deps);
  fp = 'after-dnf-upgrade';
  await runPatchCheck(config, ctxAt(dir, () => now), deps);
  t.equal(probe.calls, 2);
});

t.test('a failed call is UNKNOWN with the reason and is not cached', async (t) => {
  const dir = await stateDir(t);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  const probe = countingProbe(() => ({ ok: false, reason: 'dnf check-update failed: exit code 1: Error: Failed to download metadata for repo' }));
  const deps = { probes: { ...patchProbes, dnf: probe }, platform: 'linux' as const };
  const out = await runPatchCheck(config, ctxAt(dir, () => now), deps);
  t.equal(out.status, 'UNKNOWN');
  t.equal(out.message, 'dnf: dnf check-update failed: exit code 1: Error: Failed to download metadata for repo');
  t.same(out.metrics, undefined, 'no "0 updates"');
  await runPatchCheck(config, ctxAt(dir, () => now), deps);
  t.equal(probe.calls, 2);
});

t.test('first-seen times survive restarts, so "pending for N days" keeps counting', async (t) => {
  const dir = await stateDir(t);
  let now = Date.UTC(2026, 10, 25, 12, 0);
  const probe = countingProbe(() => ({ ok: true, state: { manager: 'dnf', updates: [{ name: 'curl', candidate: '8.2.1-4', security: false }], securityKnown: true, collectedAt: now } }));
  const deps = { probes: { ...patchProbes, dnf: probe }, platform: 'linux' as const };
  const cfg = { ...config, cacheTtl: 0 };
  t.equal((await runPatchCheck(cfg, ctxAt(dir, () => now), deps)).status, 'OK');
  now += 8 * 24 * HOUR;
  const later = await runPatchCheck(cfg, ctxAt(dir, () => now), deps);
  t.equal(later.status, 'WARN');
  t.match(later.message, /pending for 8 d/);
  const stored = JSON.parse(await readFile(join(dir, 'patch-first-seen-dnf.json'), 'utf8'));
  t.same(stored, { curl: Date.UTC(2026, 10, 25, 12, 0) });
});

t.test('a damaged cache or first-seen file is ignored, not fatal', async (t) => {
  const dir = await stateDir(t);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  await writeFile(join(dir, 'patch-cache-dnf.json'), '{not json');
  await writeFile(join(dir, 'patch-first-seen-dnf.json'), '[1,2');
  const probe = countingProbe(() => pending(now));
  const out = await runPatchCheck(config, ctxAt(dir, () => now), { probes: { ...patchProbes, dnf: probe }, platform: 'linux' });
  t.equal(out.status, 'CRIT');
  t.equal(probe.calls, 1);
});

t.test('a state dir that cannot be written is UNKNOWN with the path', { skip: process.getuid?.() === 0 ? 'root ignores file modes' : false }, async (t) => {
  const dir = await stateDir(t);
  await chmod(dir, 0o500);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  const out = await runPatchCheck(config, ctxAt(dir, () => now), { probes: { ...patchProbes, dnf: countingProbe(() => pending(now)) }, platform: 'linux' });
  t.equal(out.status, 'UNKNOWN');
  t.match(out.message, dir);
});

t.test('one package-manager call at a time, even from concurrent checks', async (t) => {
  const dir = await stateDir(t);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  let running = 0;
  let maxRunning = 0;
  const slow: PatchProbe = {
    manager: 'dnf',
    detect: async () => true,
    async collect() {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return pending(now);
    },
  };
  const deps = { probes: { ...patchProbes, dnf: slow }, platform: 'linux' as const };
  await Promise.all([1, 2, 3].map((i) => runPatchCheck({ ...config, id: `p${i}`, cacheTtl: 0 }, ctxAt(dir, () => now), deps)));
  t.equal(maxRunning, 1);
});

t.test('auto-detection: Windows and macOS by platform, Linux by the first manager found, none is UNKNOWN', async (t) => {
  const ctx = probeContext(scriptedExec(() => ({})).exec);
  const only = (m: PatchManager) =>
    Object.fromEntries(Object.entries(patchProbes).map(([k, p]) => [k, { ...p, detect: async () => k === m }])) as unknown as Record<PatchManager, PatchProbe>;
  t.equal(await detectPatchManager(ctx, 'win32', only('apt')), 'windows');
  t.equal(await detectPatchManager(ctx, 'darwin', only('apt')), 'macos');
  t.equal(await detectPatchManager(ctx, 'linux', only('zypper')), 'zypper');
  t.equal(await detectPatchManager(ctx, 'linux', only('pacman')), 'pacman');
  const none = Object.fromEntries(Object.entries(patchProbes).map(([k, p]) => [k, { ...p, detect: async () => false }])) as unknown as Record<PatchManager, PatchProbe>;
  t.equal(await detectPatchManager(ctx, 'linux', none), undefined);
  const dir = await stateDir(t);
  const out = await runPatchCheck({ kind: 'patch', id: 'patches' }, ctxAt(dir, Date.now), { probes: none, platform: 'linux' });
  t.equal(out.status, 'UNKNOWN');
  t.match(out.message, /no supported package manager found/);
});
