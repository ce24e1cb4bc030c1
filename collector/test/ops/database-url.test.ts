/**
 * Choosing PostgreSQL: --database-url / NINES_DATABASE_URL / `databaseUrl:` in the config file, what config check
 * and backup say about it, and a collector that cannot reach its database failing with a clear message — never
 * with the URL's password.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../../src/settings.ts';
import { loadPostgresMigrations } from '../../src/store/postgres/database.ts';
import { postgresTestDatabase } from '../helpers/test-store.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'nines-collector.mjs');
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NINES_')));
const SECRET = 'pa55-w0rd-geheim';

function cli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...cleanEnv, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('the URL comes from flag, environment or file; empty means SQLite; anything else than postgres:// is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'collector.yml');
  writeFileSync(file, 'databaseUrl: postgres://file@127.0.0.1/nines\n');
  t.equal(resolveSettings({}, {}).databaseUrl, null, 'default: none, SQLite in the data directory');
  t.equal(resolveSettings({ config: file }, {}).databaseUrl, 'postgres://file@127.0.0.1/nines');
  t.equal(resolveSettings({ config: file }, { NINES_DATABASE_URL: 'postgresql://env@127.0.0.1/n' }).databaseUrl, 'postgresql://env@127.0.0.1/n', 'environment over file');
  t.equal(resolveSettings({ config: file, databaseUrl: 'postgres://flag@127.0.0.1/n' }, { NINES_DATABASE_URL: 'postgres://env@127.0.0.1/n' }).databaseUrl, 'postgres://flag@127.0.0.1/n');
  t.equal(resolveSettings({ config: file }, { NINES_DATABASE_URL: '' }).databaseUrl, 'postgres://file@127.0.0.1/nines', 'an empty variable counts as unset');
  t.throws(() => resolveSettings({ databaseUrl: `mysql://u:${SECRET}@h/db` }, {}), /must start with postgres:\/\/ or postgresql:\/\//);
  const notUrl = (() => {
    try {
      resolveSettings({ databaseUrl: `postgres://u:${SECRET}@[bad/db` }, {});
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  })();
  t.match(notUrl, /not a valid URL/);
  t.notMatch(notUrl, SECRET, 'the message does not repeat the password');
  writeFileSync(file, 'databaseUrl: sqlite:///x.db\n');
  t.throws(() => resolveSettings({ config: file }, {}), /databaseUrl/, 'the config file schema checks it too');
});

t.test('config check shows the database without its password, and says it migrates at start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-check-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const url = `postgres://nines:${SECRET}@127.0.0.1:5432/nines`;
  const text = await cli(['config', 'check', '--data-dir', dir, '--database-url', url]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /databaseUrl\s+postgres:\/\/nines:\*\*\*@127\.0\.0\.1:5432\/nines\s+\(flag\)/);
  t.match(text.stdout, /database: postgres:\/\/nines:\*\*\*@127\.0\.0\.1:5432\/nines — PostgreSQL: migrated when the collector starts/);
  const json = await cli(['config', 'check', '--json', '--data-dir', dir], { NINES_DATABASE_URL: url });
  t.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  t.equal(report.settings.databaseUrl, 'postgres://nines:***@127.0.0.1:5432/nines');
  t.equal(report.sources.databaseUrl, 'env');
  t.equal(report.database.latestVersion, loadPostgresMigrations().at(-1)!.version);
  t.notMatch(text.stdout + text.stderr + json.stdout + json.stderr, SECRET, 'the password appears nowhere');
});

t.test('backup refuses a PostgreSQL store and names the tool that backs it up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-backup-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = await cli(['backup', '--out', join(dir, 'copy.db'), '--data-dir', dir, '--database-url', `postgres://nines:${SECRET}@127.0.0.1/nines`]);
  t.equal(out.code, 2);
  t.match(out.stderr, /the database is PostgreSQL .*pg_dump/);
  t.notMatch(out.stderr, SECRET);
});

t.test('serve with an unreachable database exits with the reason, not the password', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-serve-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const port = await closedPort();
  const out = await cli(['serve', '--port', '0', '--data-dir', dir, '--log-level', 'silent', '--database-url', `postgres://nines:${SECRET}@127.0.0.1:${port}/nines`]);
  t.not(out.code, 0, 'it does not start');
  t.match(out.stderr, /ECONNREFUSED/);
  t.notMatch(out.stdout + out.stderr, SECRET);
});

t.test('serve on PostgreSQL: makes the data directory for its keys, answers, and the CLI reads the same database', async (t) => {
  const url = await postgresTestDatabase(t);
  if (url === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-run-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data'); // does not exist yet
  const port = await closedPort();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir, '--database-url', url, '--log-level', 'info'], {
    env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.teardown(() => void child.kill('SIGKILL'));
  for (const until = Date.now() + 60_000; !output.includes('collector listening') && Date.now() < until && child.exitCode === null;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.match(output, /collector listening/, 'it starts');
  t.match(output, /"database":"postgres:\/\/[^"@]*:\*\*\*@[^"]*\/nines_t_/, 'and says on which database, without the password');
  t.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data directory it made is the owner’s alone');
  t.ok(readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim().length >= 15, 'the first admin’s password is written there');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(health.status, 200);
  const created = await cli(['enroll-token', 'create', '--client', 'Kanzlei Berger', '--data-dir', dataDir, '--database-url', url]);
  t.equal(created.code, 0, created.stderr);
  const status = await cli(['status', '--json', '--data-dir', dataDir, '--database-url', url]);
  t.equal(status.code, 0, status.stderr);
  t.same(JSON.parse(status.stdout).agents, [], 'status reads the same (empty) database: no agent yet');
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'it stops cleanly on SIGTERM');
  t.notOk(output.includes(`:${new URL(url).password}@`), 'the password is in none of its output');
});

t.test('serve on PostgreSQL that refuses to start ends its process (the pool does not keep it alive)', async (t) => {
  const url = await postgresTestDatabase(t);
  if (url === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'nines-dburl-refuse-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'collector.yml');
  writeFileSync(config, `reports:\n  branding:\n    logoFile: ${join(dir, 'no-logo.png')}\n`);
  const out = await cli(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', config, '--database-url', url]);
  t.equal(out.code, 1);
  t.match(out.stderr, /logoFile .*no-logo\.png cannot be read: ENOENT/);
});
