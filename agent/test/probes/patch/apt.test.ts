import t from 'tap';
import { mkdtemp, writeFile, utimes, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { parseAptSimulation, parseAptInstLine, isSecurityOrigin, aptErrorReason } from '../../../src/probes/patch/apt/parse.ts';
import { parseAptPolicy } from '../../../src/probes/patch/apt/policy.ts';
import { applyAptPolicy, createAptProbe, aptIndexUpdatedAt, type AptPaths } from '../../../src/probes/patch/apt/collect.ts';
import { scriptedExec, notInstalled, probeContext } from './helpers.ts';

const apt = (name: string) => fixture('apt', name);

t.test('nothing pending: no updates, nothing deferred', async (t) => {
  const sim = parseAptSimulation(apt('none.txt'));
  t.same(sim.updates, []);
  t.same(sim.deferred, []);
  t.same(sim.summary, { upgraded: 0, newlyInstalled: 0, toRemove: 0, notUpgraded: 0 });
});

t.test('some updates, none from a security suite', async (t) => {
  const sim = parseAptSimulation(apt('some.txt'));
  t.same(sim.updates, [
    { name: 'distro-info-data', current: '0.58+deb12u6', candidate: '0.58+deb12u7', security: false, origin: 'Debian:12.15/oldstable' },
    { name: 'libglib2.0-data', current: '2.74.6-2+deb12u8', candidate: '2.74.6-2+deb12u9', security: false, origin: 'Debian:12.15/oldstable' },
  ]);
});

t.test('security updates are recognised by their -security origin, also when another origin has the same version', async (t) => {
  const sim = parseAptSimulation(apt('security.txt'));
  const bySecurity = Object.fromEntries(sim.updates.map((u) => [u.name, u.security]));
  t.same(bySecurity, { 'krb5-locales': true, 'distro-info-data': false, 'linux-libc-dev': true });
});

t.test('the real output of this CI machine parses, counts agree with apt-get\'s own summary', async (t) => {
  const sim = parseAptSimulation(apt('bookworm-system.txt'));
  t.equal(sim.updates.length, 121);
  t.equal(sim.summary.upgraded, 121);
  const security = sim.updates.filter((u) => u.security).map((u) => u.name);
  t.ok(security.includes('libssl3'), 'openssl from bookworm-security');
  t.ok(security.includes('libgcrypt20'), 'security although also in the point release');
  t.notOk(security.includes('bash'), 'bash comes from the point release only');
  t.ok(sim.updates.every((u) => u.current && u.candidate));
});

t.test('a held package is pending and kept back; apt-cache policy gives it versions and origin', async (t) => {
  const sim = parseAptSimulation(apt('held.txt'));
  const held = sim.updates.find((u) => u.name === 'distro-info-data');
  t.same(held, { name: 'distro-info-data', security: false, keptBack: true });
  t.equal(sim.updates.length, 4, '3 upgradable + 1 kept back');
  applyAptPolicy(sim, parseAptPolicy(apt('policy-held.txt')));
  t.match(sim.updates.find((u) => u.name === 'distro-info-data'), { current: '0.58+deb12u6', candidate: '0.58+deb12u7', keptBack: true, security: false });
});

t.test('a kept-back update from a -security suite counts as security', async (t) => {
  const sim = { updates: [{ name: 'linux-libc-dev', security: false, keptBack: true }], deferred: [], summary: { upgraded: 0, newlyInstalled: 0, toRemove: 0, notUpgraded: 1 } };
  applyAptPolicy(sim, parseAptPolicy(apt('policy-held.txt')));
  t.match(sim.updates[0], { name: 'linux-libc-dev', security: true, candidate: '6.1.192-2' });
});

t.test('Debian 12: a phased update shows as kept back and apt-cache policy moves it to deferred', async (t) => {
  const sim = parseAptSimulation(apt('phased-debian.txt'));
  t.same(sim.updates.map((u) => u.name), ['distro-info-data']);
  applyAptPolicy(sim, parseAptPolicy(apt('policy-phased-debian.txt')));
  t.same(sim.updates, [], 'not pending');
  t.same(sim.deferred, ['distro-info-data']);
});

t.test('Ubuntu 24.04: "deferred due to phasing" is not pending', async (t) => {
  const sim = parseAptSimulation(apt('ubuntu-noble-phased.txt'));
  t.same(sim.updates, []);
  t.same(sim.deferred, ['distro-info-data']);
});

t.test('Ubuntu origins: -security pocket is security, -updates is not', async (t) => {
  const lines = apt('ubuntu-trusty-inst-lines.txt').trim().split('\n');
  const parsed = lines.map((l) => parseAptInstLine(l)!);
  t.same(parsed.map((p) => p.name), ['dpkg', 'libtasn1-6-dev', 'libtasn1-6', 'ntpdate']);
  t.same(parsed.map((p) => isSecurityOrigin(p.origins)), [false, false, false, true]);
  t.equal(parsed[3]!.current, '1:4.2.6.p5+dfsg-3ubuntu2.14.04.2');
  t.equal(parsed[3]!.candidate, '1:4.2.6.p5+dfsg-3ubuntu2.14.04.3');
});

t.test('a translated run is refused rather than read as "0 updates"', async (t) => {
  t.throws(() => parseAptSimulation(apt('locale-de.txt')), /no "N upgraded/);
});

t.test('garbage and a summary that disagrees with the listed upgrades are refused', async (t) => {
  t.throws(() => parseAptSimulation('hello\nworld\n'), /no "N upgraded/);
  t.throws(() => parseAptSimulation(''), /no "N upgraded/);
  const truncated = apt('security.txt').split('\n').filter((l) => !l.startsWith('Inst linux-libc-dev')).join('\n');
  t.throws(() => parseAptSimulation(truncated), /reported 3 upgraded but listed 2/);
  t.throws(() => parseAptSimulation('0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\nInst broken line\n'), /unrecognised apt-get line/);
});

async function aptSandbox(t: { teardown(fn: () => unknown): void }): Promise<AptPaths> {
  const dir = await mkdtemp(join(tmpdir(), 'nines-apt-'));
  t.teardown(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })));
  const listsDir = join(dir, 'lists');
  await mkdir(listsDir);
  await writeFile(join(dir, 'status'), '');
  return { listsDir, rebootRequired: join(dir, 'reboot-required'), dpkgStatus: join(dir, 'status') };
}

t.test('collect: real files for reboot-required(.pkgs) and list ages, apt-get output from a fixture', async (t) => {
  const paths = await aptSandbox(t);
  const now = Date.UTC(2026, 10, 25, 12, 0);
  await writeFile(join(paths.listsDir, 'deb.debian.org_debian_dists_bookworm_InRelease'), 'x');
  await writeFile(join(paths.listsDir, 'deb.debian.org_debian-security_dists_bookworm-security_InRelease'), 'x');
  await writeFile(join(paths.listsDir, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'), 'x');
  await utimes(join(paths.listsDir, 'deb.debian.org_debian_dists_bookworm_InRelease'), new Date(now - 90 * 86_400_000), new Date(now - 90 * 86_400_000));
  await utimes(join(paths.listsDir, 'deb.debian.org_debian-security_dists_bookworm-security_InRelease'), new Date(now - 3_600_000), new Date(now - 3_600_000));
  await writeFile(paths.rebootRequired, '*** System restart required ***\n');
  await writeFile(`${paths.rebootRequired}.pkgs`, 'linux-image-6.1.0-28-amd64\nlibc6\nlinux-image-6.1.0-28-amd64\n');

  const { exec, calls } = scriptedExec(() => ({ stdout: apt('security.txt') }));
  const result = await createAptProbe(paths).collect(probeContext(exec, now));
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(calls, [{ file: 'apt-get', args: ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'] }], 'a simulation, nothing else');
  t.equal(result.state.updates.length, 3);
  t.equal(result.state.rebootRequired, true);
  t.equal(result.state.rebootReason, 'updated: linux-image-6.1.0-28-amd64, libc6');
  t.equal(result.state.indexUpdatedAt, now - 3_600_000, 'the newest Release file counts');
});

t.test('collect: no reboot-required file means no reboot; kept-back packages are looked up with apt-cache policy', async (t) => {
  const paths = await aptSandbox(t);
  const { exec, calls } = scriptedExec((c) => ({ stdout: c.file === 'apt-get' ? apt('phased-debian.txt') : apt('policy-phased-debian.txt') }));
  const result = await createAptProbe(paths).collect(probeContext(exec));
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(calls[1], { file: 'apt-cache', args: ['policy', 'distro-info-data'] });
  t.equal(result.state.rebootRequired, false);
  t.same(result.state.updates, []);
  t.same(result.state.deferred, ['distro-info-data']);
  t.equal(result.state.indexUpdatedAt, undefined, 'empty lists directory: age unknown');
});

t.test('collect: failures are reasons, never "0 updates"', async (t) => {
  const paths = await aptSandbox(t);
  const cases: [string, Parameters<typeof scriptedExec>[0], RegExp][] = [
    ['broken dependencies', () => ({ code: 100, stdout: apt('error-unmet-dependencies.stdout.txt'), stderr: apt('error-unmet-dependencies.stderr.txt') }), /E: Unmet dependencies/],
    ['apt-get missing', (c) => notInstalled(c.file), /apt-get is not installed/],
    ['timeout', () => ({ code: null, failure: 'timeout', failureMessage: 'apt-get did not finish within 5000 ms' }), /did not finish within 5000 ms/],
    ['German output', () => ({ stdout: apt('locale-de.txt') }), /cannot read apt-get -s upgrade output/],
    ['exit 1 without E: lines', () => ({ code: 1, stderr: 'Segmentation fault' }), /exit code 1: Segmentation fault/],
  ];
  for (const [name, script, reason] of cases) {
    const result = await createAptProbe(paths).collect(probeContext(scriptedExec(script).exec));
    t.notOk(result.ok, name);
    if (!result.ok) t.match(result.reason, reason, name);
  }
});

t.test('aptErrorReason keeps the E: lines only', async (t) => {
  t.equal(aptErrorReason('W: some warning\nE: Could not open lock file\nE: Unable to lock\n'), 'E: Could not open lock file E: Unable to lock');
  t.equal(aptErrorReason('W: only a warning\n'), undefined);
});

t.test('index age of a missing lists directory is an error the probe turns into "unknown"', async (t) => {
  await t.rejects(aptIndexUpdatedAt('/nonexistent/lists'));
});
