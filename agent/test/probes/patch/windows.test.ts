import t from 'tap';
import { fixture } from '../../helpers/fixtures.ts';
import { parseWindowsUpdateReport } from '../../../src/probes/patch/windows/parse.ts';
import { createWindowsProbe, WINDOWS_UPDATE_SCRIPT } from '../../../src/probes/patch/windows/collect.ts';
import { scriptedExec, notInstalled, probeContext } from './helpers.ts';

const wu = (name: string) => fixture('windows-update', name);

t.test('no pending update, no reboot', async (t) => {
  t.same(parseWindowsUpdateReport(wu('none.txt')), { updates: [], rebootRequired: false });
});

t.test('definition and MSRT updates are pending but not security; a stale PendingFileRename alone is not a reboot', async (t) => {
  const state = parseWindowsUpdateReport(wu('some.txt'));
  t.same(state.updates.map((u) => [u.name, u.security]), [['KB2267602', false], ['KB890830', false]]);
  t.equal(state.rebootRequired, false);
});

t.test('a cumulative security update and the reboot keys', async (t) => {
  const state = parseWindowsUpdateReport(wu('security-reboot.txt'));
  t.same(state.updates.map((u) => [u.name, u.security]), [['KB5043076', true]]);
  t.equal(state.rebootRequired, true);
  t.equal(state.rebootReason, 'registry: WindowsUpdate, ComponentServicing');
});

t.test('quirk: ConvertTo-Json unwrapped one-element arrays', async (t) => {
  const state = parseWindowsUpdateReport(wu('quirk-single-object.txt'));
  t.same(state.updates.map((u) => [u.name, u.security]), [['KB5043076', true]]);
});

t.test('collect: a COM error is UNKNOWN with the HRESULT; PowerShell runs without profile, read-only script', async (t) => {
  const { exec, calls } = scriptedExec(() => ({ code: 1, stderr: wu('error-hresult.txt') }));
  const result = await createWindowsProbe().collect(probeContext(exec));
  t.notOk(result.ok);
  if (!result.ok) t.match(result.reason, /0x8024402C|ComMethodTargetInvocation/);
  t.same(calls[0]!.args.slice(0, 4), ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass']);
  t.notMatch(WINDOWS_UPDATE_SCRIPT, /\.Install\(|\.Download\(|CreateUpdateInstaller|CreateUpdateDownloader/, 'only searches');
});

t.test('collect: PowerShell missing, or output that is not the report', async (t) => {
  const missing = await createWindowsProbe().collect(probeContext(scriptedExec((c) => notInstalled(c.file)).exec));
  t.notOk(missing.ok);
  const garbage = await createWindowsProbe().collect(probeContext(scriptedExec(() => ({ stdout: 'WARNING: something' })).exec));
  t.notOk(garbage.ok);
  if (!garbage.ok) t.match(garbage.reason, /no JSON object/);
  t.throws(() => parseWindowsUpdateReport('{"updates":[]}'), /rebootPending/);
  t.throws(() => parseWindowsUpdateReport('{"updates":[{"KB":["1"]}],"rebootPending":{}}'), /without a Title/);
});
