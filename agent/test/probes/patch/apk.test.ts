import t from 'tap';
import { mkdtemp, rm, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { parseApkVersion } from '../../../src/probes/patch/apk/parse.ts';
import { createApkProbe } from '../../../src/probes/patch/apk/collect.ts';
import { scriptedExec, notInstalled, probeContext } from './helpers.ts';

t.test('apk version -l "<": header only means nothing pending', async (t) => {
  t.same(parseApkVersion(fixture('apk', 'none.txt')), []);
});

t.test('rows give name, installed and available version', async (t) => {
  const updates = parseApkVersion(fixture('apk', 'some.txt'));
  t.same(updates[1], { name: 'libcrypto3', current: '3.1.4-r5', candidate: '3.1.7-r0', security: false });
  t.equal(updates.length, 4);
});

t.test('quirk: names with dashes and digits, and rows longer than the column pad', async (t) => {
  t.same(parseApkVersion(fixture('apk', 'quirk-long-name.txt')).map((u) => [u.name, u.current]), [
    ['py3-setuptools-pyc', '70.3.0-r0'],
    ['musl', '1.2.4_git20230717-r4'],
  ]);
});

t.test('output that is not apk version is refused', async (t) => {
  t.throws(() => parseApkVersion(fixture('apk', 'garbage-no-header.txt')), /no "Installed: Available:" header/);
  t.throws(() => parseApkVersion('Installed:                                Available:\nnonsense line\n'), /unrecognised apk version line/);
});

t.test('collect: no network, security unknown (not 0), index age from the APKINDEX files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nines-apk-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const now = Date.UTC(2026, 10, 25, 12, 0);
  await writeFile(join(dir, 'APKINDEX.4d0b6bd8.tar.gz'), 'x');
  await utimes(join(dir, 'APKINDEX.4d0b6bd8.tar.gz'), new Date(now - 2 * 3_600_000), new Date(now - 2 * 3_600_000));
  const { exec, calls } = scriptedExec(() => ({ stdout: fixture('apk', 'some.txt') }));
  const result = await createApkProbe(dir).collect(probeContext(exec, now));
  t.same(calls[0], { file: 'apk', args: ['--no-network', 'version', '-l', '<'] });
  t.ok(result.ok);
  if (!result.ok) return;
  t.equal(result.state.securityKnown, false);
  t.equal(result.state.indexUpdatedAt, now - 2 * 3_600_000);
  t.equal(result.state.rebootRequired, undefined);
});

t.test('collect: a locked database or a missing apk is UNKNOWN', async (t) => {
  const locked = await createApkProbe('/nonexistent').collect(probeContext(scriptedExec(() => ({ code: 99, stderr: fixture('apk', 'error-db.txt') })).exec));
  t.notOk(locked.ok);
  if (!locked.ok) t.match(locked.reason, /exit code 99: .*Failed to open apk database/);
  const missing = await createApkProbe('/nonexistent').collect(probeContext(scriptedExec((c) => notInstalled(c.file)).exec));
  t.notOk(missing.ok);
});
