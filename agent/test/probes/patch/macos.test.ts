import t from 'tap';
import { fixture } from '../../helpers/fixtures.ts';
import { parseSoftwareUpdateList } from '../../../src/probes/patch/macos/parse.ts';
import { createMacosProbe } from '../../../src/probes/patch/macos/collect.ts';
import { scriptedExec, probeContext } from './helpers.ts';

const su = (name: string) => fixture('softwareupdate', name);

t.test('"No new software available." is nothing pending', async (t) => {
  t.same(parseSoftwareUpdateList(su('none.txt')), { updates: [], restartToInstall: false });
});

t.test('macOS 13+ list: label, title and version; restart noted', async (t) => {
  const list = parseSoftwareUpdateList(su('some.txt'));
  t.same(list.updates.map((u) => [u.name, u.candidate, u.security]), [
    ['Command Line Tools for Xcode-15.3', '15.3', false],
    ['macOS Sonoma 14.4.1-23E224', '14.4.1', false],
  ]);
  t.equal(list.restartToInstall, true);
});

t.test('Security Update titles count as security', async (t) => {
  const list = parseSoftwareUpdateList(su('security.txt'));
  t.same(list.updates.map((u) => u.security), [true, false]);
});

t.test('quirk: the pre-10.15 list format', async (t) => {
  const list = parseSoftwareUpdateList(su('legacy-mojave.txt'));
  t.same(list.updates.map((u) => [u.name, u.candidate, u.security]), [
    ['Security Update 2019-004-10.13.6', '10.13.6', true],
    ['iTunesX-12.8.2', '12.8.2', false],
  ]);
});

t.test('no connection (exit 0!) and garbage are refused, so they become UNKNOWN', async (t) => {
  t.throws(() => parseSoftwareUpdateList(su('error-offline.txt')), /neither a list nor/);
  const result = await createMacosProbe().collect(probeContext(scriptedExec(() => ({ stdout: su('error-offline.txt') })).exec));
  t.notOk(result.ok);
  if (!result.ok) t.match(result.reason, /cannot read softwareupdate -l output/);
});

t.test('collect joins stdout and stderr, where "No new software available." goes', async (t) => {
  const [head, tail] = su('none.txt').split('No new software available.');
  const result = await createMacosProbe().collect(probeContext(scriptedExec(() => ({ stdout: head, stderr: `No new software available.${tail}` })).exec));
  t.ok(result.ok && result.state.updates.length === 0);
});
