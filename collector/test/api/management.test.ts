import t from 'tap';
import { startWorld, login } from './helpers.ts';
import { closed, hello, nextMessage, result } from '../helpers/collector.ts';

t.test('clients: create with defaults, edit, and refuse duplicates, bad zones and bad targets', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const created = await w.admin.json<{ id: number }>('POST', '/api/v1/clients', { name: 'Bäckerei Schmidt' });
  t.match(created, { status: 201, body: { name: 'Bäckerei Schmidt', timezone: 'Europe/Berlin', language: 'de', slaTarget: 0.999 } });
  t.match(await w.admin.json('PATCH', `/api/v1/clients/${created.body.id}`, { slaTarget: 0.995, language: 'en' }), { status: 200, body: { slaTarget: 0.995, language: 'en' } });
  t.match(await w.admin.json('POST', '/api/v1/clients', { name: 'Bäckerei Schmidt' }), { status: 409, body: { code: 'NINES_ERR_CONFLICT' } });
  t.match(await w.admin.json('PATCH', `/api/v1/clients/${created.body.id}`, { name: 'acme' }), { status: 409 });
  t.match(await w.admin.json('POST', '/api/v1/clients', { name: 'x', timezone: 'Mars/Olympus' }), { status: 400, body: { code: 'NINES_ERR_BAD_REQUEST' } });
  t.match(await w.admin.json('POST', '/api/v1/clients', { name: 'x', slaTarget: 1.5 }), { status: 400 });
  t.match(await w.admin.json('POST', '/api/v1/clients', { name: '   ' }), { status: 400 });
  t.match(await w.admin.json('PATCH', '/api/v1/clients/9999', { language: 'en' }), { status: 404 });
});

t.test('checks: a valid check is assigned, bumps the config version and reaches the connected agent at once', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const socket = await w.c.agentSocket(w.acmeAgent);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket); // welcome
  const pushed = nextMessage<{ type: string; version: number; checks: { id: string }[] }>(socket);
  const path = `/api/v1/agents/${w.acmeAgent.agentId}/checks/router`;
  const put = await w.admin.json<{ version: number; pushed: boolean }>('PUT', path, { kind: 'ping', name: 'Router', host: '192.0.2.1' });
  t.match(put, { status: 200, body: { version: 1, pushed: true, checks: [{ id: 'router', kind: 'ping' }] } });
  t.match(await pushed, { type: 'config', version: 1, checks: [{ id: 'router', kind: 'ping', name: 'Router' }] });
  t.same((await w.c.store.assignedConfig(w.acmeAgent.agentId)).checks.map((c) => c.id), ['router']);

  const deleted = nextMessage<{ version: number; checks: unknown[] }>(socket);
  t.match(await w.admin.json('DELETE', path), { status: 200, body: { version: 2, checks: [] } });
  t.match(await deleted, { type: 'config', version: 2, checks: [] });
  t.match(await w.admin.json('DELETE', path), { status: 404 });
  socket.close();
  await closed(socket);
});

t.test('checks: invalid configs are refused with the field that is wrong, and nothing changes', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const path = `/api/v1/agents/${w.acmeAgent.agentId}/checks/db`;
  const cases: [unknown, RegExp][] = [
    [{ kind: 'tcp', host: 'db', port: 'five' }, /\/port/],
    [{ kind: 'teleport' }, /\/kind: expected one of/],
    [{ kind: 'tcp', id: 'other', host: 'db', port: 5432 }, /does not match/],
    [[1, 2], /expected a JSON object/],
    [{ kind: 'tcp', host: 'db', port: 5432, interval: 'soon' }, /interval/],
    [{ kind: 'tcp', host: 'db' }, /port/],
  ];
  for (const [body, message] of cases) {
    const response = await w.admin.json<{ code: string; message: string }>('PUT', path, body);
    t.equal(response.status, 400, JSON.stringify(body));
    t.equal(response.body.code, 'NINES_ERR_INVALID_CHECK');
    t.match(response.body.message, message);
  }
  t.equal((await w.c.store.assignedConfig(w.acmeAgent.agentId)).version, 0);
  t.match(await w.admin.json('PUT', '/api/v1/agents/no-such-agent/checks/db', { kind: 'tcp', host: 'db', port: 1 }), { status: 404 });
});

t.test('enrollment tokens: the token enrolls an agent once, and the commands carry it', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const created = await w.admin.json<{ token: string; commands: Record<string, string>; expiresAt: number }>('POST', '/api/v1/enrollment-tokens', { clientId: w.acme, ttlHours: 2 });
  t.equal(created.status, 201);
  t.ok(created.body.expiresAt > Date.now() + 3_600_000 && created.body.expiresAt <= Date.now() + 2 * 3_600_000);
  for (const os of ['linux', 'macos']) {
    t.match(created.body.commands[os], `install --url ${w.c.url} --token ${created.body.token}`);
  }
  // PowerShell names the address once, in $u.
  t.match(created.body.commands.windows, `$u = '${w.c.url}'`);
  t.match(created.body.commands.windows, `install --url $u --token ${created.body.token}`);
  const enroll = () =>
    fetch(`${w.c.url}/api/v1/enroll`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: created.body.token, hostname: 'pc-07', platform: 'linux', agentVersion: 'test' }),
    });
  t.equal((await enroll()).status, 200);
  t.equal((await enroll()).status, 409, 'single use');
  t.match(await w.admin.json('POST', '/api/v1/enrollment-tokens', { clientId: 9999 }), { status: 404 });
  t.match(await w.admin.json('POST', '/api/v1/enrollment-tokens', { clientId: w.acme, ttlHours: 0 }), { status: 400 });
});

t.test('agents: rename, and revoke closes the socket and refuses the credential', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const id = w.acmeAgent.agentId;
  t.match(await w.admin.json('PATCH', `/api/v1/agents/${id}`, { name: 'Empfang-PC' }), { status: 200, body: { name: 'Empfang-PC' } });
  t.match(await w.admin.json('PATCH', `/api/v1/agents/${id}`, { name: '' }), { status: 400 });
  const socket = await w.c.agentSocket(w.acmeAgent);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const gone = closed(socket);
  t.equal((await w.admin.request('DELETE', `/api/v1/agents/${id}`)).status, 204);
  t.equal((await gone).code, 4403);
  await t.rejects(w.c.agentSocket(w.acmeAgent), 'the credential is refused at the upgrade');
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}`), { body: { agent: { revoked: true } } });
  t.match(await w.admin.json('DELETE', '/api/v1/agents/nope'), { status: 404 });
});

t.test('users: create a client user who can log in; refuse bad roles, short passwords, duplicates; keep the last admin', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const created = await w.admin.json<{ id: number }>('POST', '/api/v1/users', { username: 'bob', password: 'a long password!', role: 'client', clientId: w.globex, language: 'en' });
  t.match(created, { status: 201, body: { username: 'bob', role: 'client', clientId: w.globex, language: 'en' } });
  const bob = await login(w.c.url, 'bob', 'a long password!');
  t.same((await bob.json<{ id: number }[]>('GET', '/api/v1/clients')).body.map((c) => c.id), [w.globex]);

  t.match(await w.admin.json('POST', '/api/v1/users', { username: 'bob', password: 'a long password!', role: 'admin' }), { status: 409 });
  t.match(await w.admin.json('POST', '/api/v1/users', { username: 'eve', password: 'short', role: 'admin' }), { status: 400 });
  t.match(await w.admin.json('POST', '/api/v1/users', { username: 'eve', password: 'a long password!', role: 'client' }), { status: 400, body: { message: /clientId/ } });
  t.match(await w.admin.json('POST', '/api/v1/users', { username: 'eve', password: 'a long password!', role: 'client', clientId: 9999 }), { status: 400 });
  t.match(await w.admin.json('POST', '/api/v1/users', { username: 'eve', password: 'a long password!', role: 'root' }), { status: 400 });

  const users = (await w.admin.json<{ id: number; username: string }[]>('GET', '/api/v1/users')).body;
  const adminId = users.find((u) => u.username === 'admin')!.id;
  t.match(await w.admin.json('DELETE', `/api/v1/users/${adminId}`), { status: 400, body: { message: /own account/ } });
  t.equal((await w.admin.request('DELETE', `/api/v1/users/${created.body.id}`)).status, 204);
  t.equal((await bob.request('GET', '/api/v1/clients')).status, 401, 'the deleted user’s session ends with it');
});

t.test('API tokens: shown once, listed without the secret, usable, and dead after deletion', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const created = await w.admin.json<{ id: number; token: string }>('POST', '/api/v1/tokens', { name: 'backup-report', scope: 'read' });
  t.equal(created.status, 201);
  t.notMatch(created.body.token, /\./, 'never mistaken for an agent credential');
  const use = () => fetch(`${w.c.url}/api/v1/overview`, { headers: { authorization: `Bearer ${created.body.token}` } });
  t.equal((await use()).status, 200);
  const list = await w.admin.json<Record<string, unknown>[]>('GET', '/api/v1/tokens');
  t.match(list.body, [{ id: created.body.id, name: 'backup-report', username: 'admin' }]);
  t.notMatch(JSON.stringify(list.body), created.body.token);
  t.ok(list.body[0]!.lastUsedAt, 'use is noted');
  t.equal((await w.admin.request('DELETE', `/api/v1/tokens/${created.body.id}`)).status, 204);
  t.equal((await use()).status, 401);
  t.match(await w.admin.json('POST', '/api/v1/tokens', { name: 'x', userId: 9999, scope: 'read' }), { status: 404 });
});

t.test('host detail and history: latest metrics, patch package list, and bounded history ranges', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const id = w.acmeAgent.agentId;
  const now = Date.now();
  const packages = [{ name: 'openssl', from: '3.0.13-1', to: '3.0.15-1', security: true }];
  await w.c.store.insertResults(id, [
    result(1, { startedAt: now - 120_000, finishedAt: now - 119_000, metrics: { latency_ms: 7 } }),
    result(2, { startedAt: now - 60_000, finishedAt: now - 59_000, status: 'CRIT', message: 'connection refused', metrics: {} }),
    result(3, { checkId: 'patch', kind: 'patch', status: 'WARN', message: '1 security update', metrics: { pending: 1, security: 1, reboot_required: 1 }, details: packages, startedAt: now - 30_000, finishedAt: now - 29_000 }),
  ], now);
  const detail = await w.admin.json<{ checks: { id: string; details: unknown; status: string }[] }>('GET', `/api/v1/agents/${id}`);
  t.equal(detail.status, 200);
  t.match(detail.body.checks.find((c) => c.id === 'web'), { status: 'CRIT', message: 'connection refused', assigned: false });
  t.match(detail.body.checks.find((c) => c.id === 'patch'), { metrics: { security: 1, reboot_required: 1 }, details: packages });

  const history = await w.admin.json<{ points: { at: number; status: string }[]; truncated: boolean }>('GET', `/api/v1/agents/${id}/checks/web/history?from=${now - 3_600_000}&to=${now}`);
  t.match(history.body, { truncated: false, points: [{ status: 'OK', metrics: { latency_ms: 7 } }, { status: 'CRIT' }] });
  // The range as the figures count it: nothing before the first result, then each result for up to 2 × 60 s.
  t.same((history.body as unknown as { states: unknown }).states, [
    { from: now - 3_600_000, to: now - 120_000, state: 'UNKNOWN' }, { from: now - 120_000, to: now - 60_000, state: 'UP' }, { from: now - 60_000, to: now, state: 'DOWN' },
  ]);
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}/checks/web/history?limit=1`), { body: { truncated: true, points: [{ status: 'CRIT' }] } });
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}/checks/web/history?from=${now}&to=${now - 1}`), { status: 400 });
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}/checks/web/history?from=0&to=${now}`), { status: 400, body: { message: /31 days/ } });
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}/checks/web/history?from=yesterday`), { status: 400 });
  t.match(await w.admin.json('GET', `/api/v1/agents/${id}/checks/nope/history`), { status: 404 });

  const overview = await w.admin.json<{ clients: Record<string, unknown>[] }>('GET', '/api/v1/overview');
  t.match(overview.body.clients[0], { name: 'acme', worst: 'CRIT', securityUpdates: 1, rebootRequired: 1, problems: [{ checkId: 'web', status: 'CRIT' }, { checkId: 'patch', status: 'WARN' }] });
});
