/**
 * The database holds every client's data and every secret's hash: its directory is 0700, its files 0600,
 * and when it cannot be opened the message names the path and the cause ("unable to open database file"
 * alone told an operator nothing). The unwritable cases run as an unprivileged user: root may write anywhere.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');
const NOBODY = 65_534;
const mode = (path: string) => statSync(path).mode & 0o7777;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NINES_')));

const root = mkdtempSync(join(tmpdir(), 'nines-dbfiles-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** `nines-collector serve` on a data dir, as `uid` (the test's own by default); resolves with its exit code and stderr. */
async function serve(dataDir: string, uid?: number): Promise<{ code: number; stderr: string }> {
  const options = { timeout: 30_000, env: { ...cleanEnv, HOME: root }, ...(uid === undefined ? {} : { uid, gid: uid }) };
  return run(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0'], options).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

t.test('a new data directory is 0700 and the database files 0600', async (t) => {
  const dataDir = join(root, 'fresh', 'data');
  const store = new SqliteStore(join(dataDir, 'nines.db'));
  await store.ensureClient('acme', 0); // a write, so the -wal and -shm files exist
  t.equal(mode(dataDir), 0o700);
  for (const name of ['nines.db', 'nines.db-wal', 'nines.db-shm']) t.equal(mode(join(dataDir, name)), 0o600, name);
  await store.close();
});

t.test('an existing directory and database with wider modes are narrowed; a sticky shared directory is left alone', async (t) => {
  const dataDir = join(root, 'wide');
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  await new SqliteStore(join(dataDir, 'nines.db')).close();
  chmodSync(join(dataDir, 'nines.db'), 0o644);
  await new SqliteStore(join(dataDir, 'nines.db')).close();
  t.equal(mode(dataDir), 0o700);
  t.equal(mode(join(dataDir, 'nines.db')), 0o600);

  const shared = join(root, 'shared-tmp');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  await new SqliteStore(join(shared, 'nines.db')).close();
  t.equal(mode(shared), 0o1777, 'a /tmp-like directory keeps its mode');
  t.equal(mode(join(shared, 'nines.db')), 0o600, 'the database file in it is still 0600');
});

t.test('a data directory path through a file says so', async (t) => {
  const blocker = join(root, 'a-file');
  writeFileSync(blocker, '');
  t.throws(() => new SqliteStore(join(blocker, 'data', 'nines.db')), { message: new RegExp(`cannot open the database ${blocker}/data/nines\\.db: .*is a file, not a directory`) });
  const { code, stderr } = await serve(join(blocker, 'data'));
  t.not(code, 0);
  t.match(stderr, /cannot open the database .*a-file\/data\/nines\.db: .*is a file, not a directory/);
});

const asRoot = process.getuid?.() === 0;
t.test('a read-only data directory names the path and the user, as the collector refuses to start', { skip: asRoot ? false : 'runs the collector as nobody, which needs root' }, async (t) => {
  const base = join(root, 'unprivileged');
  mkdirSync(base);
  chmodSync(root, 0o755); // nobody must reach the test's folders
  chmodSync(base, 0o755);
  const readOnly = join(base, 'data');
  mkdirSync(readOnly, { mode: 0o755 });
  chmodSync(readOnly, 0o755); // owned by the test's user: nobody may not write here
  const { code, stderr } = await serve(readOnly, NOBODY);
  t.not(code, 0);
  t.match(stderr, new RegExp(`cannot open the database ${readOnly}/nines\\.db: the data directory ${readOnly} is not writable by user ${NOBODY}`));

  const own = join(base, 'own');
  mkdirSync(own);
  chownSync(own, NOBODY, NOBODY);
  writeFileSync(join(own, 'nines.db'), '');
  chmodSync(join(own, 'nines.db'), 0o400);
  chownSync(join(own, 'nines.db'), NOBODY, NOBODY);
  const locked = await serve(own, NOBODY);
  t.not(locked.code, 0);
  t.match(locked.stderr, new RegExp(`${own}/nines\\.db is not readable and writable by user ${NOBODY}`));
});
