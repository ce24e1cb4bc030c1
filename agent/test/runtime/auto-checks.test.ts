import t from 'tap';
import { autoDetectedChecks, defaultAutoDetectContext, type AutoDetectContext } from '../../src/auto-checks.ts';
import { fixture } from '../helpers/fixtures.ts';
import type { ExecFn } from '../../src/exec.ts';

/** A machine as detection sees it: which programs are on PATH and what they print. */
function machine(platform: NodeJS.Platform, programs: Record<string, (args: readonly string[]) => string>, files: string[] = []): AutoDetectContext {
  const exec: ExecFn = async (file, args) => {
    const answer = programs[file];
    return answer ? { code: 0, stdout: answer(args), stderr: '' } : { code: null, stdout: '', stderr: '', failure: 'not-found' };
  };
  return { platform, exec, signal: new AbortController().signal, timeoutMs: 5_000, onPath: async (name) => (programs[name] ? `/usr/sbin/${name}` : undefined), exists: async (path) => files.includes(path) };
}

t.test('patch status always; disk health only where smartctl sees disks', async (t) => {
  const bare = await autoDetectedChecks([], machine('linux', {}));
  t.same(bare.map((c) => c.kind), ['patch'], 'no smartctl: patch only');
  const vm = await autoDetectedChecks([], machine('linux', { smartctl: () => fixture('smartctl', 'scan-none.json') }));
  t.same(vm.map((c) => c.kind), ['patch'], 'smartctl without disks (VM, container): no smart check');
  const server = await autoDetectedChecks([], machine('linux', { smartctl: () => fixture('smartctl', 'scan-two.json') }));
  t.same(server.map((c) => c.id), ['patches', 'disk-health']);
  const broken = await autoDetectedChecks([], machine('linux', { smartctl: () => 'smartctl 6.6: unknown option -j' }));
  t.same(broken.map((c) => c.kind), ['patch'], 'an old smartctl without JSON: not detected');
});

t.test('firewall: always on Windows and macOS; on Linux where ufw/firewalld is installed or a ruleset is loaded', async (t) => {
  t.same((await autoDetectedChecks([], machine('win32', {}))).map((c) => c.kind), ['patch', 'firewall', 'logins', 'antivirus', 'admins'], 'no BitLocker cmdlets (Home edition)');
  t.same((await autoDetectedChecks([], machine('win32', { 'powershell.exe': () => 'yes\r\n' }))).map((c) => c.kind), ['patch', 'firewall', 'logins', 'antivirus', 'encryption', 'admins']);
  t.same((await autoDetectedChecks([], machine('darwin', {}))).map((c) => c.kind), ['patch', 'firewall', 'antivirus', 'encryption', 'admins'], 'macOS: XProtect is always there');
  t.same((await autoDetectedChecks([], machine('linux', { ufw: () => '' }))).map((c) => c.kind), ['patch', 'firewall']);
  t.same((await autoDetectedChecks([], machine('linux', { nft: () => fixture('nft', 'input-drop.json') }))).map((c) => c.kind), ['patch', 'firewall']);
  t.same((await autoDetectedChecks([], machine('linux', { nft: () => fixture('nft', 'empty.json') }))).map((c) => c.kind), ['patch'], 'empty ruleset, no front end: not added');
  t.same((await autoDetectedChecks([], machine('linux', { nft: () => fixture('nft', 'empty.json') }, ['/etc/systemd/system/sysinit.target.wants/nftables.service']))).map((c) => c.kind), ['patch', 'firewall'],
    'nftables.service enabled over an empty ruleset: meant to filter, so watched');
});

t.test('logins: Windows always, Linux where sshd is installed', async (t) => {
  t.same((await autoDetectedChecks([], machine('linux', {}, ['/usr/sbin/sshd']))).map((c) => c.kind), ['patch', 'logins']);
  t.same((await autoDetectedChecks([], machine('linux', {}))).map((c) => c.kind), ['patch']);
});

t.test('antivirus: Windows and macOS always; Linux where ClamAV is installed, with or without a database', async (t) => {
  t.same((await autoDetectedChecks([], machine('linux', { clamscan: () => '' }))).map((c) => c.kind), ['patch', 'antivirus'], 'clamav without a database: watched, its CRIT is the finding');
  t.same((await autoDetectedChecks([], machine('linux', { clamscan: () => '' }, ['/var/lib/clamav/daily.cld']))).map((c) => c.kind), ['patch', 'antivirus']);
  t.same((await autoDetectedChecks([], machine('linux', {}))).map((c) => c.kind), ['patch'], 'no clamscan: no scanner to ask');
});

t.test('encryption on Linux: only where a LUKS device exists', async (t) => {
  t.same((await autoDetectedChecks([], machine('linux', { lsblk: () => fixture('lsblk', 'luks-root.json') }))).map((c) => c.kind), ['patch', 'encryption']);
  t.same((await autoDetectedChecks([], machine('linux', { lsblk: () => fixture('lsblk', 'plain-vm.json') }))).map((c) => c.kind), ['patch']);
});

t.test('admins: wherever getent answers', async (t) => {
  t.same((await autoDetectedChecks([], machine('linux', { getent: () => '' }))).map((c) => c.kind), ['patch', 'admins']);
});

t.test('a configured kind replaces the detected one', async (t) => {
  const checks = await autoDetectedChecks([{ kind: 'smart', id: 'my-disks', devices: ['/dev/sda'] }], machine('linux', { smartctl: () => fixture('smartctl', 'scan-two.json') }));
  t.same(checks.map((c) => c.kind), ['patch']);
});

t.test('this machine: detection runs against the real tools and adds only kinds we know', async (t) => {
  const checks = await autoDetectedChecks([], defaultAutoDetectContext());
  t.equal(checks[0]?.kind, 'patch');
  t.comment(`detected here: ${checks.map((c) => c.kind).join(', ')}`);
  t.ok(checks.every((c) => ['patch', 'smart', 'firewall', 'antivirus', 'encryption', 'logins', 'admins'].includes(c.kind)));
  const ctx = defaultAutoDetectContext();
  t.equal(checks.some((c) => c.kind === 'antivirus'), Boolean(await ctx.onPath('clamscan')), 'antivirus exactly where clamscan is installed (CI: clamav)');
  t.equal(checks.some((c) => c.kind === 'admins'), Boolean(await ctx.onPath('getent')), 'admins where getent answers');
});
