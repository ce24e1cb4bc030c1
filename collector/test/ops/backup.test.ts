import t from 'tap';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupDatabase } from '../../src/ops/backup.ts';
import { loadMigrations } from '../../src/store/sqlite/database.ts';
import { startCollector, nextMessage, hello, result } from '../helpers/collector.ts';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');
const latest = loadMigrations().at(-1)!.version;

function tempDir(t: { teardown(fn: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('backup while the collector runs and ingests; restore into a new data dir; the agent carries on', async (t) => {
  const live = await startCollector({ store: 'sqlite' }); // backup copies the SQLite file
  t.teardown(live.close);
  const creds = await live.addAgent('acme');
  const socket = await live.agentSocket(await creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket); // welcome
  const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => result(from + i, { checkId: `c${(from + i) % 7}` }));
  socket.send(JSON.stringify({ type: 'results', batch: batch(1, 400), backlog: 0 }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 400 });

  // More batches commit while the backup copies pages: the copy must still be one consistent snapshot.
  const out = join(tempDir(t, 'nines-backup-'), 'nines-backup.db');
  const backup = backupDatabase(join(live.dir, 'nines.db'), out);
  for (let from = 401; from <= 1_200; from += 400) {
    socket.send(JSON.stringify({ type: 'results', batch: batch(from, 400), backlog: 0 }));
    await nextMessage(socket);
  }
  const report = await backup;
  t.match(report, { file: out, schemaVersion: latest, agents: 1 });
  t.ok(report.results >= 400 && report.results <= 1_200, `snapshot holds ${report.results} results, a whole number of batches`);
  t.equal(report.results % 400, 0, 'never half a batch: each batch is one transaction');
  t.notOk(existsSync(`${out}.partial`));
  t.equal(statSync(out).mode & 0o777, 0o600, 'the copy is as private as the database');

  const copy = new Database(out, { readonly: true });
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'a single self-contained file, no -wal needed');
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
  copy.close();
  socket.close();

  // Restore as documented: stop, copy the file to <data-dir>/nines.db (no old -wal/-shm beside it), start.
  const restoredDir = tempDir(t, 'nines-restored-');
  copyFileSync(out, join(restoredDir, 'nines.db'));
  const restored = await startCollector({ dir: restoredDir, keepDir: true, store: 'sqlite' });
  t.teardown(restored.close);
  t.equal(await restored.store.countResults(creds.agentId), report.results);
  t.equal((await restored.store.getAgent(creds.agentId))?.clientName, 'acme');
  const again = await restored.agentSocket(await creds);
  again.send(JSON.stringify(hello({ lastSeq: 1_200 })));
  t.match(await nextMessage(again), { type: 'welcome', lastStoredSeq: report.results }, 'the agent authenticates and replays from what the backup holds');
  again.close();
});

t.test('backup refuses to overwrite, reports a missing database, and leaves no partial file on failure', async (t) => {
  const c = await startCollector({ store: 'sqlite' });
  t.teardown(c.close);
  const dir = tempDir(t, 'nines-backup-errors-');
  const out = join(dir, 'b.db');
  writeFileSync(out, 'precious');
  await t.rejects(backupDatabase(join(c.dir, 'nines.db'), out), { code: 'NINES_ERR_BACKUP', message: /exists.*--force/ });
  await t.resolves(backupDatabase(join(c.dir, 'nines.db'), out, { force: true }));
  await t.rejects(backupDatabase(join(dir, 'nope', 'nines.db'), join(dir, 'x.db')), { code: 'NINES_ERR_BACKUP', message: /no database at/ });

  const notADb = join(dir, 'garbage.db');
  writeFileSync(notADb, 'this is not an SQLite file, just text that is long enough to have a header'.repeat(20));
  await t.rejects(backupDatabase(notADb, join(dir, 'y.db')), { code: 'NINES_ERR_BACKUP' });
  t.notOk(existsSync(join(dir, 'y.db')) || existsSync(join(dir, 'y.db.partial')));
  await t.rejects(backupDatabase(join(c.dir, 'nines.db'), join(dir, 'no-such-folder', 'z.db')), { code: 'NINES_ERR_BACKUP', message: /failed: ENOENT/ }, 'an output folder that is not there');

  t.same(readdirSync(dir).filter((f) => f.endsWith('.partial')), []);
});

t.test('CLI: nines-collector backup --out', async (t) => {
  const c = await startCollector({ store: 'sqlite' });
  t.teardown(c.close);
  await c.addAgent();
  const out = join(tempDir(t, 'nines-backup-cli-'), 'cli.db');
  const { stdout } = await run(process.execPath, [CLI, 'backup', '--data-dir', c.dir, '--out', out], { timeout: 30_000 });
  t.match(stdout, new RegExp(`backup written to ${out.replaceAll('/', '\\/')}: \\d+ bytes, schema ${latest}, 1 agents, 0 results, integrity ok`));
  const again = await run(process.execPath, [CLI, 'backup', '--data-dir', c.dir, '--out', out], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(again, { code: 1, stderr: /exists; choose another name or pass --force/ });
  const usage = await run(process.execPath, [CLI, 'backup', '--data-dir', c.dir], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(usage, { code: 2, stderr: /backup needs --out FILE/ });
});
