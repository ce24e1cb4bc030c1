import t from 'tap';
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from '../../../src/probes/backup/file-age/parse.ts';
import { backup } from '../../../src/checks/backup.ts';
import { DAY, HOUR, tempDir, testContext } from './context.ts';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);

function dump(dir: string, name: string, bytes: number, ageMs: number): void {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes));
  const when = new Date(now - ageMs);
  utimesSync(path, when, when);
}

t.test('globs match file names the way a shell does', async (t) => {
  const re = globToRegExp('db-*.sql.gz');
  t.ok(re.test('db-2026-11-24.sql.gz'));
  t.notOk(re.test('db-2026-11-24.sql'));
  t.notOk(re.test('xdb-1.sql.gz'));
  t.ok(globToRegExp('backup-??.[tz]ar').test('backup-01.tar'));
  t.notOk(globToRegExp('backup-[!0-9]*').test('backup-1'));
  t.ok(globToRegExp('a(b)+c').test('a(b)+c'), 'regex characters are literal');
});

t.test('the newest matching file in a real folder decides; age and size in the result', async (t) => {
  const dir = tempDir(t);
  dump(dir, 'db-2026-11-23.sql.gz', 2000, 36 * HOUR);
  dump(dir, 'db-2026-11-24.sql.gz', 1900, 12 * HOUR);
  dump(dir, 'notes.txt', 10, HOUR); // newer, but not a dump
  const config = { kind: 'backup' as const, id: 'dumps', tool: 'file-age' as const, path: dir, pattern: 'db-*.sql.gz', every: '24h' };
  const ctx = testContext({ clock: () => now });
  const outcome = await backup.run(config, ctx);
  t.equal(outcome.status, 'OK');
  t.equal(outcome.message, `db-2026-11-24.sql.gz in ${dir}, 12 h old, 1.9 KiB`);
  t.same(outcome.metrics, { count: 2, age_s: 12 * 3600, size_bytes: 1900 });
  t.match(outcome.details, { file: 'db-2026-11-24.sql.gz', count: 2 });

  t.match(await backup.run({ ...config, minSizeBytes: 1901 }, ctx), { status: 'WARN', message: /smaller than the expected/ });
  t.match(await backup.run({ ...config, maxShrinkPercent: 4 }, ctx), { status: 'WARN', message: /5 % smaller than the backup before \(2\.0 KiB\)/ });
  t.match(await backup.run({ ...config, minCount: 3 }, ctx), { status: 'WARN', message: /only 2 matching files, expected at least 3/ });
  t.match(await backup.run(config, testContext({ clock: () => now + DAY })), { status: 'WARN' });
  t.match(await backup.run(config, testContext({ clock: () => now + 2 * DAY }), ), { status: 'CRIT' });
});

t.test('recursive search finds dumps in dated subfolders', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, '2026-11'));
  dump(join(dir, '2026-11'), 'nas-export.tar', 300, 2 * HOUR);
  const config = { kind: 'backup' as const, id: 'nas', tool: 'file-age' as const, path: dir, pattern: '*.tar' };
  const ctx = testContext({ clock: () => now });
  t.match(await backup.run(config, ctx), { status: 'CRIT', message: /no backup found/ }, 'not recursive: nothing at the top');
  const deep = await backup.run({ ...config, recursive: true }, ctx);
  t.match(deep, { status: 'OK', message: /^2026-11\/nas-export\.tar in / });
});

t.test('an unreadable subfolder does not hide the rest', { skip: process.getuid?.() === 0 ? 'root reads every folder: this case needs an unprivileged user' : false }, async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, '2026-11'));
  dump(join(dir, '2026-11'), 'nas-export.tar', 300, 2 * HOUR);
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0);
  t.teardown(() => chmodSync(join(dir, 'locked'), 0o755));
  const config = { kind: 'backup' as const, id: 'nas', tool: 'file-age' as const, path: dir, pattern: '*.tar', recursive: true };
  t.equal((await backup.run(config, testContext({ clock: () => now }))).status, 'OK');
});

t.test('an empty folder is CRIT; a missing folder is UNKNOWN with the reason', async (t) => {
  const dir = tempDir(t);
  const ctx = testContext({ clock: () => now });
  const config = { kind: 'backup' as const, id: 'x', tool: 'file-age' as const, path: dir };
  t.match(await backup.run(config, ctx), { status: 'CRIT', message: `${dir} (*): no backup found` });
  t.same(await backup.run({ ...config, path: join(dir, 'unmounted') }, ctx), {
    status: 'UNKNOWN', message: `cannot read the folder ${join(dir, 'unmounted')} (ENOENT)`,
    code: 'backup.probe_failed', params: { tool: 'file-age', error: `cannot read the folder ${join(dir, 'unmounted')} (ENOENT)` },
  });
});
