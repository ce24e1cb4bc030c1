import t from 'tap';
import { fixture } from '../../helpers/fixtures.ts';
import { parseZypperPatches, parseZypperUpdates } from '../../../src/probes/patch/zypper/parse.ts';
import { createZypperProbe } from '../../../src/probes/patch/zypper/collect.ts';
import { scriptedExec, notInstalled, probeContext } from './helpers.ts';

const z = (name: string) => fixture('zypper', name);

t.test('list-updates: packages with old and new edition and repository alias', async (t) => {
  t.same(parseZypperUpdates(z('none.txt')), []);
  t.same(parseZypperUpdates(z('updates.txt')), [
    { name: 'curl', security: false, current: '8.0.1-150400.5.41.1', candidate: '8.0.1-150400.5.44.1', origin: 'repo-sle-update' },
    { name: 'libxml2-2', security: false, current: '2.10.3-150500.5.11.1', candidate: '2.10.3-150500.5.17.1', origin: 'repo-sle-update' },
  ]);
});

t.test('quirks: entities are decoded, a missing edition-old leaves the current version unknown', async (t) => {
  const updates = parseZypperUpdates(z('quirk-entities-no-edition-old.txt'));
  t.same(updates.map((u) => [u.name, u.current]), [['kernel-default', undefined], ['r&d-tools', '1.0-1.1']]);
});

t.test('list-patches: category and severity of needed patches', async (t) => {
  t.same(parseZypperPatches(z('patches-security.txt')), [{ name: 'openSUSE-SLE-15.5-2024-3183', category: 'security', severity: 'moderate', status: 'needed' }]);
  t.same(parseZypperPatches(z('patches-none.txt')), []);
});

t.test('error messages and non-XML are refused', async (t) => {
  t.throws(() => parseZypperUpdates(z('error-locked.txt')), /System management is locked/);
  t.throws(() => parseZypperUpdates('Loading repository data...\nNo updates found.\n'), /not zypper --xmlout output/);
});

t.test('collect: exit codes 100/101 are answers, security patches count as security updates', async (t) => {
  const { exec, calls } = scriptedExec((c) => {
    if (c.args.includes('list-updates')) return { code: 100, stdout: z('updates.txt') };
    if (c.args.includes('list-patches')) return { code: 101, stdout: z('patches-security.txt') };
    return { code: 102 };
  });
  const result = await createZypperProbe().collect(probeContext(exec));
  t.ok(result.ok);
  if (!result.ok) return;
  t.ok(calls.every((c) => c.args.includes('--non-interactive')));
  t.ok(calls.slice(0, 2).every((c) => c.args.includes('--no-refresh')), 'never refreshes repositories');
  t.equal(result.state.updates.length, 3);
  t.same(result.state.updates.filter((u) => u.security).map((u) => u.name), ['openSUSE-SLE-15.5-2024-3183']);
  t.equal(result.state.rebootRequired, true, 'needs-rebooting exit 102');
});

t.test('collect: nothing pending, no reboot', async (t) => {
  const { exec } = scriptedExec((c) => (c.args.includes('list-updates') ? { stdout: z('none.txt') } : c.args.includes('list-patches') ? { stdout: z('patches-none.txt') } : { code: 0 }));
  const result = await createZypperProbe().collect(probeContext(exec));
  t.ok(result.ok && result.state.updates.length === 0 && result.state.rebootRequired === false);
});

t.test('collect: locked, missing or garbage is UNKNOWN with the reason', async (t) => {
  const cases: [Parameters<typeof scriptedExec>[0], RegExp][] = [
    [() => ({ code: 7, stdout: z('error-locked.txt') }), /list-updates failed: exit code 7/],
    [(c) => notInstalled(c.file), /zypper is not installed/],
    [() => ({ code: 0, stdout: 'garbage' }), /cannot read zypper output: not zypper --xmlout/],
    [(c) => (c.args.includes('list-updates') ? { stdout: z('none.txt') } : { code: 4, stderr: 'Unexpected exception.' }), /list-patches failed: exit code 4/],
  ];
  for (const [script, reason] of cases) {
    const result = await createZypperProbe().collect(probeContext(scriptedExec(script).exec));
    t.notOk(result.ok);
    if (!result.ok) t.match(result.reason, reason);
  }
});
