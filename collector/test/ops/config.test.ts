import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { resolveSettings } from '../../src/settings.ts';
import { checkConfig } from '../../src/ops/config-check.ts';
import { loadMigrations } from '../../src/store/sqlite/database.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-collector.mjs');
const latest = loadMigrations().at(-1)!.version;
const dir = mkdtempSync(join(tmpdir(), 'nines-config-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without any NINES_* of the machine running the tests. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NINES_')));

/** The check itself, in process; the CLI is exercised by the two tests that spawn it. */
const check = (flags: Parameters<typeof checkConfig>[0], env: NodeJS.ProcessEnv) =>
  checkConfig(flags, env, (path) => (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>);

function configCheck(args: string[], env: Record<string, string> = {}, uid?: number) {
  const as = uid === undefined ? {} : { uid, gid: uid };
  return run(process.execPath, [CLI, 'config', 'check', ...args], { timeout: 30_000, env: { ...cleanEnv, ...env }, ...as }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

t.test('one precedence order for every setting: flag > environment > file > default', async (t) => {
  const file = join(dir, 'precedence.yml');
  writeFileSync(file, 'host: 0.0.0.0\nport: 9000\nlogLevel: debug\nretention:\n  rawDays: 30\n  hourlyDays: 200\n');
  const env = { NINES_CONFIG: file, NINES_PORT: '9100', NINES_RETENTION_RAW_DAYS: '60' };
  t.match(resolveSettings({}, env), { host: '0.0.0.0', port: 9100, logLevel: 'debug', retention: { rawDays: 60, hourlyDays: 200 } });
  t.match(resolveSettings({ port: '9200', retentionRawDays: '7' }, env), { port: 9200, retention: { rawDays: 7, hourlyDays: 200 } });
  t.match(resolveSettings({}, {}), { host: '127.0.0.1', port: 8080, logLevel: 'info', publicUrl: null, retention: {} });
  t.throws(() => resolveSettings({ retentionRawDays: 'ninety' }, {}), /whole number of days/);
  t.throws(() => resolveSettings({}, { NINES_RETENTION_HOURLY_DAYS: '-1' }), /whole number of days/);
});

t.test('config check prints each effective value with its source and exits 0', async (t) => {
  const file = join(dir, 'ok.yml');
  writeFileSync(file, `port: 9000\ndataDir: ${join(dir, 'data-ok')}\npublicUrl: https://nines.example.com\n`);
  const { code, stdout } = await configCheck(['--config', file, '--host', '0.0.0.0'], { NINES_LOG_LEVEL: 'warn' });
  t.equal(code, 0);
  t.match(stdout, /host\s+0\.0\.0\.0\s+\(flag\)/);
  t.match(stdout, /port\s+9000\s+\(file\)/);
  t.match(stdout, /logLevel\s+warn\s+\(env\)/);
  t.match(stdout, /retention\.rawDays\s+.*\(default\)/);
  t.match(stdout, /downloadsDir\s+\S*agent\/dist\/exe\s+\(default\)/);
  t.match(stdout, /database: .*nines\.db — created on first start/);
  t.match(stdout, /config ok\n$/);

  const json = JSON.parse((await configCheck(['--config', file, '--json', '--downloads-dir', join(dir, 'dl')])).stdout);
  t.match(json, { ok: true, settings: { port: 9000, publicUrl: 'https://nines.example.com', downloadsDir: join(dir, 'dl') }, sources: { port: 'file', host: 'default', downloadsDir: 'flag' }, problems: [] });
});

t.test('config check lists every problem and exits 1', async (t) => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, '');
  const { code, stderr } = await configCheck(['--log-level', 'loud', '--public-url', 'nines.example.com', '--data-dir', join(blocker, 'data')]);
  t.equal(code, 1);
  t.match(stderr, /3 problem\(s\)/);
  t.match(stderr, /logLevel "loud" is not one of/);
  t.match(stderr, /publicUrl "nines\.example\.com" is not an http\(s\) URL/);
  t.match(stderr, /is not a directory/);

  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'port: [1, 2\n');
  t.match(check({ config: bad }, {}), { settings: null, problems: [/cannot read collector config .*bad\.yml/] });
  writeFileSync(bad, 'port: "eighty"\n');
  t.match(check({ config: bad }, {}), { settings: null, problems: [/bad\.yml is not a valid collector config/] });
  t.match(check({}, { NINES_CONFIG: join(dir, 'missing.yml') }), { problems: [/cannot read collector config .*missing\.yml.*ENOENT/] });
  t.match(check({ port: '70000' }, {}), { problems: [/invalid port "70000"/] });
  t.match(check({ publicUrl: 'ftp://nines.example.com' }, {}), { problems: [/is not an http\(s\) URL/] });
  const zone = join(dir, 'zone.yml');
  writeFileSync(zone, 'reports:\n  weekly:\n    timezone: Europe/Atlantis\n');
  t.match(check({ config: zone }, {}), { problems: [/reports\.weekly: unknown time zone "Europe\/Atlantis"/] }, 'the overview\'s zone, as serve would refuse it');
  writeFileSync(zone, 'reports:\n  weekly:\n    timezone: America/New_York\n    at: "06:30"\n');
  t.match(check({ config: zone }, {}), { problems: [] });
  const usage = await run(process.execPath, [CLI, 'config', 'show'], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(usage, { code: 2, stderr: /usage: config check/ });

});

t.test('config check names a data directory this user cannot write', { skip: process.getuid?.() === 0 ? false : 'runs config check as nobody, which needs root' }, async (t) => {
  // As nobody: root may write anywhere, so a read-only directory only shows as another user.
  const base = mkdtempSync(join(tmpdir(), 'nines-config-ro-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  chmodSync(base, 0o755);
  const locked = join(base, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o755);
  const { code, stderr } = await configCheck(['--data-dir', join(locked, 'data')], { HOME: base }, 65_534);
  t.equal(code, 1);
  t.match(stderr, /not writable/);
});

t.test('config check reads the schema version of an existing database: up to date, to migrate, too new', async (t) => {
  const dataDir = join(dir, 'data-db');
  await new SqliteStore(join(dataDir, 'nines.db')).close();
  t.match(check({ dataDir }, {}), { problems: [], database: { exists: true, schemaVersion: latest, action: 'up to date' } });

  const db = new Database(join(dataDir, 'nines.db'));
  db.pragma(`user_version = ${latest - 1}`);
  t.match(check({ dataDir }, {}), { problems: [], database: { schemaVersion: latest - 1, action: new RegExp(`migrated from schema ${latest - 1} to ${latest} on next start`) } });
  db.pragma(`user_version = ${latest + 1}`);
  db.close();
  t.match(check({ dataDir }, {}), { problems: [/newer than this collector.*upgrade the collector/], database: { action: 'refused' } });
  writeFileSync(join(dataDir, 'nines.db'), 'not a database '.repeat(100));
  rmSync(join(dataDir, 'nines.db-wal'), { force: true });
  rmSync(join(dataDir, 'nines.db-shm'), { force: true });
  t.match(check({ dataDir }, {}), { problems: [/cannot be opened/], database: { action: 'unreadable' } });
});

t.test('a misspelt key in the config file is refused with its path, not accepted and ignored', async (t) => {
  const file = join(dir, 'typos.yml');
  writeFileSync(file, 'smpt:\n  host: mail.example.com\nretention:\n  rawdays: 5\n');
  const { code, stdout, stderr } = await configCheck(['--config', file]);
  t.equal(code, 1);
  t.match(stderr, /\/smpt: unknown key/);
  t.match(stderr, /\/retention\/rawdays: unknown key/);
  t.notMatch(stdout, /config ok/);
  t.throws(() => resolveSettings({ config: file }, {}), /\/smpt: unknown key/, 'serve refuses the same file');
});

t.test('contact points: a bad target, an unknown channel and a channel not set up are named by config check; serve refuses the file and stores nothing', async (t) => {
  const file = join(dir, 'contacts.yml');
  writeFileSync(file, [
    'channels:', '  ntfy: { server: "http://127.0.0.1:1" }', '  telegarm: { botToken: x }',
    'alerting:', '  recipients:',
    '    - { name: Karin, channel: ntfy, target: { topic: karin }, audience: technical }',
    '    - { name: Karin, channel: telegram, target: { chatId: "not a chat" }, audience: technical }',
    '    - { name: Karin, channel: carrier-pigeon, target: { loft: 1 }, audience: technical }',
    '    - { name: Karin, channel: pushover, target: { userKey: uQiRzpo4DXghDmr9QzzfQu27cmVRsG }, audience: technical }',
  ].join('\n') + '\n');
  const data = join(dir, 'contacts-data');
  const checked = await configCheck(['--config', file, '--data-dir', data]);
  t.equal(checked.code, 1);
  t.match(checked.stderr, /\/channels\/telegarm: unknown key/, 'a misspelt channel under channels: is refused like any key');

  writeFileSync(file, readFileSync(file, 'utf8').replace('  telegarm: { botToken: x }\n', ''));
  const again = await configCheck(['--config', file, '--data-dir', data]);
  t.equal(again.code, 1);
  t.match(again.stderr, /recipient "Karin": bad telegram target: \/chatId: /);
  t.match(again.stderr, /recipient "Karin": unknown channel "carrier-pigeon" \(known: email, webhook, ntfy, telegram/);
  t.match(again.stderr, /recipients use pushover, which is not set up: pushover needs channels\.pushover\.appToken/);
  t.notMatch(again.stderr, /recipients use ntfy/, 'ntfy has its server');

  const served = await run(process.execPath, [CLI, 'serve', '--config', file, '--data-dir', data, '--port', '0'], { timeout: 30_000, env: cleanEnv }).then(
    () => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
  t.equal(served.code, 1, 'serve exits rather than run without the alerting the file asks for');
  t.match(served.stderr, /recipient "Karin": bad telegram target/);
  const db = new Database(join(data, 'nines.db'), { readonly: true });
  t.teardown(() => db.close());
  t.equal((db.prepare('SELECT count(*) AS n FROM recipients').get() as { n: number }).n, 0, 'not even the good contact point before the bad one: all or nothing');
});

t.test('retention from the file and from a flag reach the running collector', async (t) => {
  const file = join(dir, 'retention.yml');
  const dataDir = join(dir, 'data-retention');
  writeFileSync(file, `dataDir: ${dataDir}\nlogLevel: info\nretention:\n  rawDays: 5\n`);
  const child = spawn(process.execPath, [CLI, 'serve', '--config', file, '--port', '0', '--retention-hourly-days', '30'], { env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout });
  let inForce: { retention?: unknown } | undefined;
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; retention?: unknown };
    if (entry.msg === 'availability: retention in force') {
      inForce = entry;
      break;
    }
  }
  t.same(inForce?.retention, { rawDays: 5, hourlyDays: 30 }, 'the retention timer got the file value and the flag value');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
