import t from 'tap';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir, release } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { parseCheckupdates } from '../../../src/probes/patch/pacman/parse.ts';
import { pacmanRebootRequired } from '../../../src/probes/patch/pacman/collect.ts';

t.test('checkupdates: nothing pending prints nothing', async (t) => {
  t.same(parseCheckupdates(fixture('pacman', 'none.txt')), []);
});

t.test('rows: name, installed -> available', async (t) => {
  const updates = parseCheckupdates(fixture('pacman', 'some.txt'));
  t.equal(updates.length, 4);
  t.same(updates[1], { name: 'linux', current: '6.10.9.arch1-2', candidate: '6.10.10.arch1-1', security: false });
});

t.test('quirk: epochs stay part of the version', async (t) => {
  t.same(parseCheckupdates(fixture('pacman', 'quirk-epoch.txt')).at(-1), { name: 'ffmpeg', current: '2:7.0.2-1', candidate: '2:7.0.2-2', security: false });
});

t.test('other output is refused, also the error text on stdout', async (t) => {
  t.throws(() => parseCheckupdates(fixture('pacman', 'garbage.txt')), /unrecognised checkupdates line/);
  t.throws(() => parseCheckupdates(fixture('pacman', 'error-db.txt')), /unrecognised checkupdates line/);
});

t.test('reboot required when the running kernel lost its modules directory (real directories)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nines-modules-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.equal(await pacmanRebootRequired('6.10.9-arch1-2', dir), true);
  await mkdir(join(dir, '6.10.9-arch1-2'));
  t.equal(await pacmanRebootRequired('6.10.9-arch1-2', dir), false);
  t.type(await pacmanRebootRequired(release()), 'boolean');
});

t.test('collect: without pacman-contrib it says so instead of running pacman -Sy', async (t) => {
  const { createPacmanProbe } = await import('../../../src/probes/patch/pacman/collect.ts');
  const { scriptedExec, probeContext } = await import('./helpers.ts');
  const savedPath = process.env.PATH;
  t.teardown(() => void (process.env.PATH = savedPath));
  process.env.PATH = '/nonexistent';
  const { exec, calls } = scriptedExec(() => ({}));
  const result = await createPacmanProbe().collect(probeContext(exec));
  t.notOk(result.ok);
  if (!result.ok) t.match(result.reason, /checkupdates is not installed \(package pacman-contrib\)/);
  t.same(calls, [], 'nothing was run');
});

t.test('collect: checkupdates exit codes 0 (updates), 2 (none), 1 (failure)', async (t) => {
  const { writeFile, chmod } = await import('node:fs/promises');
  const { createPacmanProbe } = await import('../../../src/probes/patch/pacman/collect.ts');
  const { scriptedExec, probeContext } = await import('./helpers.ts');
  const bin = await mkdtemp(join(tmpdir(), 'nines-bin-'));
  const modules = await mkdtemp(join(tmpdir(), 'nines-modules-'));
  await mkdir(join(modules, release()));
  const savedPath = process.env.PATH;
  t.teardown(async () => {
    process.env.PATH = savedPath;
    await rm(bin, { recursive: true, force: true });
    await rm(modules, { recursive: true, force: true });
  });
  await writeFile(join(bin, 'checkupdates'), '#!/bin/sh\nexit 2\n');
  await chmod(join(bin, 'checkupdates'), 0o755);
  process.env.PATH = bin;
  const probe = createPacmanProbe(modules);
  const some = await probe.collect(probeContext(scriptedExec(() => ({ code: 0, stdout: fixture('pacman', 'some.txt') })).exec));
  t.ok(some.ok && some.state.updates.length === 4 && some.state.securityKnown === false && some.state.rebootRequired === false);
  const none = await probe.collect(probeContext(scriptedExec(() => ({ code: 2, stdout: fixture('pacman', 'none.txt') })).exec));
  t.ok(none.ok && none.state.updates.length === 0);
  const failed = await probe.collect(probeContext(scriptedExec(() => ({ code: 1, stderr: fixture('pacman', 'error-db.txt') })).exec));
  t.notOk(failed.ok);
  if (!failed.ok) t.match(failed.reason, /checkupdates failed: exit code 1: ==> ERROR: Cannot fetch updates/);
  const empty0 = await probe.collect(probeContext(scriptedExec(() => ({ code: 0, stdout: '' })).exec));
  t.notOk(empty0.ok, 'exit 0 with no rows is not "nothing pending"');
});
