import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { collectStatus } from '../src/status.ts';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'nines-collector.mjs');

/** Polls until `probe` returns a value, at most `ms`. */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

t.test('`demo` (what npm start runs): collector, auto-enrolled local agent, live results, login printed once, clean Ctrl-C', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nines-demo-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [BIN, 'demo', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stdout += d));

  const url = await eventually(() => /Dashboard:\s+(http:\/\/\S+)\//.exec(stdout)?.[1], 30_000, 'the banner');
  const password = /Login:\s+admin \/ (\S+)/.exec(stdout)?.[1];
  t.ok(password, 'the admin password is printed');
  t.equal(readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim(), password);
  t.equal(statSync(join(dataDir, 'initial-admin-password')).mode & 0o777, 0o600, 'password file is private');

  const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string };
  t.equal(health.status, 'ok');
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }),
  });
  t.equal(login.status, 200, 'the printed login works');

  // A second process reads the live database, as `npx nines-collector status --json` does.
  const store = new SqliteStore(join(dataDir, 'nines.db'));
  t.teardown(() => store.close());
  const agent = await eventually(async () => {
    const a = (await collectStatus({ store, clock: Date.now })).agents[0];
    const reported = new Set(a?.checks.filter((c) => c.lastResultAt !== null).map((c) => c.id));
    return a && a.connected && ['collector-health', 'collector-port', 'disk-root'].every((id) => reported.has(id)) ? a : undefined;
  }, 30_000, 'results from the local agent');
  t.equal(agent.client, 'local');
  t.ok(agent.storedResults >= 3);
  const byId = Object.fromEntries(agent.checks.map((c) => [c.id, c]));
  t.equal(byId['collector-health']?.status, 'OK');
  t.equal(byId['collector-port']?.status, 'OK');
  t.not(byId['disk-root']?.status, 'UNKNOWN');

  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  t.equal(code, 0, 'exits cleanly on Ctrl-C');
  t.match(stdout, /Nines stopped\./);
  t.equal((await collectStatus({ store, clock: Date.now })).agents[0]?.connected, false, 'agent marked disconnected on shutdown');
});
