import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase } from '../../src/store/sqlite/database.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { startWorld, type World } from './helpers.ts';

async function token(w: World, body: Record<string, unknown>): Promise<string> {
  const created = await w.admin.json<{ token: string; scope: string }>('POST', '/api/v1/tokens', { name: 'script', ...body });
  if (created.status !== 201) throw new Error(`token not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.token;
}

const call = (w: World, secret: string, method: string, path: string, body?: unknown) =>
  fetch(`${w.c.url}${path}`, {
    method, headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

t.test('a read token reads and changes nothing', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const read = await token(w, { scope: 'read' });
  t.equal((await call(w, read, 'GET', '/api/v1/overview')).status, 200);
  const write = await call(w, read, 'POST', '/api/v1/clients', { name: 'initech' });
  t.equal(write.status, 403);
  t.match(await write.json(), { code: 'NINES_ERR_FORBIDDEN', message: /scope read; the request needs write/ });
  t.equal(await w.c.store.findClient('initech'), undefined, 'nothing was created');
  t.equal((await call(w, read, 'DELETE', `/api/v1/agents/${w.acmeAgent.agentId}`)).status, 403);
  t.equal((await w.c.store.getAgent(w.acmeAgent.agentId))!.revokedAt, null);
});

t.test('a write token changes monitoring data but not users, tokens or the log level', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const write = await token(w, { scope: 'write' });
  t.equal((await call(w, write, 'POST', '/api/v1/clients', { name: 'initech' })).status, 201);
  for (const [method, path, body] of [
    ['GET', '/api/v1/users', undefined], ['GET', '/api/v1/tokens', undefined], ['POST', '/api/v1/tokens', { name: 'more', scope: 'admin' }],
    ['GET', '/api/v1/admin/log-level', undefined], ['PUT', '/api/v1/admin/log-level', { level: 'debug' }],
  ] as const) {
    t.equal((await call(w, write, method, path, body)).status, 403, `${method} ${path}`);
  }
  const admin = await token(w, { scope: 'admin' });
  t.equal((await call(w, admin, 'GET', '/api/v1/users')).status, 200, 'an admin token may');
});

t.test("a token's scope never exceeds its user: a client user's admin token is still a client user", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const anna = (await w.c.store.findUserByName('anna'))!;
  const annas = await token(w, { scope: 'admin', userId: anna.id });
  t.equal((await call(w, annas, 'GET', '/api/v1/users')).status, 403);
  t.equal((await call(w, annas, 'POST', '/api/v1/clients', { name: 'evil' })).status, 403);
  t.equal((await call(w, annas, 'GET', `/api/v1/agents/${w.globexAgent.agentId}`)).status, 404);
});

t.test('a token stops working at its expiry; the listing shows scope, expiry and last use', async (t) => {
  let now = Date.now();
  const w = await startWorld({ clock: () => now });
  t.teardown(w.c.close);
  const expiresAt = now + 3_600_000;
  const secret = await token(w, { name: 'nightly', scope: 'read', expiresAt });
  t.equal((await call(w, secret, 'GET', '/api/v1/overview')).status, 200);
  const list = await w.admin.json<Record<string, unknown>[]>('GET', '/api/v1/tokens');
  t.match(list.body, [{ name: 'nightly', scope: 'read', expiresAt, lastUsedAt: now }]);
  now = expiresAt;
  t.equal((await call(w, secret, 'GET', '/api/v1/overview')).status, 401, 'expired at its expiresAt');
});

t.test('token creation refuses a missing scope and an expiry in the past', async (t) => {
  const now = Date.now();
  const w = await startWorld({ clock: () => now });
  t.teardown(w.c.close);
  t.match(await w.admin.json('POST', '/api/v1/tokens', { name: 'x' }), { status: 400 });
  t.match(await w.admin.json('POST', '/api/v1/tokens', { name: 'x', scope: 'root' }), { status: 400 });
  t.match(await w.admin.json('POST', '/api/v1/tokens', { name: 'x', scope: 'read', expiresAt: now }), { status: 400, body: { message: /in the future/ } });
  t.same((await w.admin.json<unknown[]>('GET', '/api/v1/tokens')).body, [], 'none was made');
  t.match(await w.admin.json('POST', '/api/v1/tokens', { name: 'x', scope: 'read', expiresAt: null }), { status: 201, body: { scope: 'read', expiresAt: null } });
});

t.test('tokens from before scopes keep working as admin tokens without expiry (migration 010)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-token-migration-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nines.db');
  const all = loadMigrations();
  const db = openDatabase(file, all.filter((m) => m.version < 10));
  db.prepare(`INSERT INTO users (username, password_hash, role, created_at) VALUES ('admin', 'x', 'admin', 1)`).run();
  db.prepare(`INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, 1, 'old script', 1)`).run(hashSecret('old-token'));
  t.equal(migrate(db, all), all.filter((m) => m.version >= 10).length);
  db.close();
  const store = new SqliteStore(file);
  t.teardown(() => store.close());
  t.match(await store.apiToken(hashSecret('old-token'), Date.now()), { user: { username: 'admin' }, scope: 'admin', expiresAt: null });
});
