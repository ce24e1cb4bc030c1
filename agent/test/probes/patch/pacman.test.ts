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
