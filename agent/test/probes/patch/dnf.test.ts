import t from 'tap';
import { fixture } from '../../helpers/fixtures.ts';
import { parseCheckUpdate, parseSecurityAdvisories, nevraName } from '../../../src/probes/patch/dnf/parse.ts';
import { createDnfProbe } from '../../../src/probes/patch/dnf/collect.ts';
import { scriptedExec, notInstalled, probeContext } from './helpers.ts';

t.test('check-update rows: name, arch, epoch:version-release, repo', async (t) => {
  const rows = parseCheckUpdate(fixture('dnf', 'some.txt'));
  t.equal(rows.length, 5);
  t.same(rows[2], { name: 'openssl', arch: 'x86_64', candidate: '1:3.0.7-27.el9_4', repo: 'baseos' });
  t.same(parseCheckUpdate(fixture('dnf', 'none.txt')), []);
});

t.test('quirks: a wrapped long name, and the Obsoleting Packages section is not counted twice', async (t) => {
  const rows = parseCheckUpdate(fixture('dnf', 'wrapped-and-obsoleting.txt'));
  t.same(rows.map((r) => r.name), ['NetworkManager-cloud-setup', 'python3-dnf-plugin-post-transaction-actions']);
  t.equal(rows[1]!.candidate, '4.3.0-13.el9');
});

t.test('yum: plugin, mirror, registration and security-plugin lines are skipped', async (t) => {
  t.same(parseCheckUpdate(fixture('yum', 'none-with-plugins.txt')), []);
  t.same(parseCheckUpdate(fixture('yum', 'quirk-security-plugin.txt')).map((r) => r.name), ['kernel-tools']);
  t.same(parseCheckUpdate(fixture('yum', 'some-with-plugins.txt')).map((r) => r.name), ['bind-export-libs', 'kernel', 'openssh']);
});

t.test('security advisories name packages by NEVRA', async (t) => {
  t.same([...parseSecurityAdvisories(fixture('dnf', 'security-updateinfo.txt'))].sort(), ['curl', 'libcurl', 'openssl', 'openssl-libs']);
  t.same([...parseSecurityAdvisories(fixture('yum', 'security-updateinfo.txt'))].sort(), ['kernel', 'openssh']);
  t.equal(nevraName('openssl-libs-1:3.0.7-27.el9_4.x86_64'), 'openssl-libs');
  t.equal(nevraName('python3-dnf-plugin-post-transaction-actions-4.3.0-13.el9.noarch'), 'python3-dnf-plugin-post-transaction-actions');
});

t.test('garbage in check-update output is refused', async (t) => {
  t.throws(() => parseCheckUpdate('this is not\na package list at all\n'), /unrecognised check-update line/);
});

t.test('collect: exit 100 + updateinfo + needs-restarting make one state', async (t) => {
  const { exec, calls } = scriptedExec((c) => {
    if (c.args.includes('check-update')) return { code: 100, stdout: fixture('dnf', 'some.txt') };
    if (c.args.includes('updateinfo')) return { stdout: fixture('dnf', 'security-updateinfo.txt') };
    return { code: 1, stdout: fixture('dnf', 'needs-restarting-reboot.txt') };
  });
  const result = await createDnfProbe('dnf').collect(probeContext(exec));
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(calls.map((c) => [c.file, ...c.args].join(' ')), [
    'dnf -q --cacheonly check-update',
    'dnf -q --cacheonly updateinfo list --security',
    'needs-restarting -r',
  ]);
  t.same(result.state.updates.filter((u) => u.security).map((u) => u.name), ['curl', 'libcurl', 'openssl', 'openssl-libs']);
  t.equal(result.state.updates.length, 5);
  t.equal(result.state.rebootRequired, true);
  t.equal(result.state.rebootReason, 'updated: kernel, systemd');
});

t.test('collect: exit 0 is "nothing pending" without asking for advisories; missing needs-restarting leaves reboot unknown', async (t) => {
  const { exec, calls } = scriptedExec((c) => (c.file === 'needs-restarting' ? notInstalled(c.file) : { code: 0, stdout: fixture('dnf', 'none.txt') }));
  const result = await createDnfProbe('yum').collect(probeContext(exec));
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(result.state.updates, []);
  t.equal(result.state.rebootRequired, undefined);
  t.equal(calls.length, 2);
});

t.test('collect: errors are UNKNOWN reasons', async (t) => {
  const cases: [string, Parameters<typeof scriptedExec>[0], RegExp][] = [
    ['no cache', () => ({ code: 1, stderr: fixture('dnf', 'error-cacheonly.txt') }), /check-update failed: exit code 1: Error: Cache-only enabled but no cache for 'baseos'/],
    ['yum repo failure', () => ({ code: 1, stderr: fixture('yum', 'error-repo.txt') }), /Cannot find a valid baseurl for repo/],
    ['not installed', (c) => notInstalled(c.file), /dnf is not installed/],
    ['exit 100 but nothing listed', () => ({ code: 100, stdout: '\n' }), /exited 100 .* but listed none/],
    ['updateinfo fails', (c) => (c.args.includes('check-update') ? { code: 100, stdout: fixture('dnf', 'some.txt') } : { code: 1, stderr: 'Error: updateinfo broke' }), /updateinfo failed/],
    ['lock held', () => ({ code: 200, stderr: 'Error: Waiting for process with pid 1234 to finish.' }), /exit code 200/],
  ];
  for (const [name, script, reason] of cases) {
    const result = await createDnfProbe('dnf').collect(probeContext(scriptedExec(script).exec));
    t.notOk(result.ok, name);
    if (!result.ok) t.match(result.reason, reason, name);
  }
});
