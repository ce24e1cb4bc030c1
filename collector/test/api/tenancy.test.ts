import t from 'tap';
import WebSocket from 'ws';
import { startWorld } from './helpers.ts';
import { hello, nextMessage, result } from '../helpers/collector.ts';

t.test('a client user reads only its own client, route by route', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  await w.c.store.insertResults(w.acmeAgent.agentId, [result(1)], Date.now());
  await w.c.store.insertResults(w.globexAgent.agentId, [result(1, { status: 'CRIT', message: 'globex secret' })], Date.now());
  const own = w.acmeAgent.agentId;
  const other = w.globexAgent.agentId;
  const s = w.acmeUser;

  const overview = await s.json<{ clients: { id: number }[] }>('GET', '/api/v1/overview');
  t.same(overview.body.clients.map((c) => c.id), [w.acme]);
  // `?client=` (the client page's row): its own client's row, and another tenant's id reads nothing, like a missing one
  t.same((await s.json<{ clients: { id: number }[] }>('GET', `/api/v1/overview?client=${w.acme}`)).body.clients.map((c) => c.id), [w.acme]);
  t.same((await s.json<{ clients: { id: number }[] }>('GET', `/api/v1/overview?client=${w.globex}`)).body.clients, [], "another tenant's row is not read");
  t.same((await w.admin.json<{ clients: { id: number }[] }>('GET', `/api/v1/overview?client=${w.globex}`)).body.clients.map((c) => c.id), [w.globex], 'an admin reads any one row');
  t.same((await w.admin.json<{ clients: { id: number }[] }>('GET', `/api/v1/overview?client=${w.globex + w.acme + 1000}`)).body.clients, [], 'an unknown id: no row');
  const bad = await s.json<{ code: string }>('GET', '/api/v1/overview?client=acme');
  t.equal(bad.status, 400, 'a client that is no id is refused');
  t.equal(bad.body.code, 'NINES_ERR_BAD_REQUEST');
  t.same((await s.json<{ id: number }[]>('GET', '/api/v1/clients')).body.map((c) => c.id), [w.acme]);
  t.same((await s.json<{ id: string }[]>('GET', '/api/v1/agents')).body.map((a) => a.id), [own]);
  t.same((await s.json<{ agents: { id: string }[] }>('GET', '/api/v1/status')).body.agents.map((a) => a.id), [own]);

  t.equal((await s.json('GET', `/api/v1/clients/${w.acme}`)).status, 200);
  t.equal((await s.json('GET', `/api/v1/agents/${own}`)).status, 200);
  t.equal((await s.json('GET', `/api/v1/agents/${own}/checks/web/history`)).status, 200);
  t.equal((await s.json('GET', `/api/v1/agents/${own}/config`)).status, 200);

  // another tenant's ids look exactly like ids that do not exist
  for (const path of [`/api/v1/clients/${w.globex}`, `/api/v1/agents/${other}`, `/api/v1/agents/${other}/checks/web/history`, `/api/v1/agents/${other}/config`]) {
    const response = await s.json<{ code: string }>('GET', path);
    t.equal(response.status, 404, path);
    t.equal(response.body.code, 'NINES_ERR_NOT_FOUND', path);
    t.notMatch(JSON.stringify(response.body), /globex/, `${path} says nothing about the other tenant`);
  }

  // every change is admin-only, on their own client and on others
  const writes: [string, string, unknown][] = [
    ['POST', '/api/v1/clients', { name: 'evil' }],
    ['PATCH', `/api/v1/clients/${w.acme}`, { slaTarget: 0.5 }],
    ['PATCH', `/api/v1/agents/${own}`, { name: 'renamed' }],
    ['DELETE', `/api/v1/agents/${own}`, undefined],
    ['DELETE', `/api/v1/agents/${other}`, undefined],
    ['PUT', `/api/v1/agents/${own}/checks/x`, { kind: 'tcp', host: '127.0.0.1', port: 1 }],
    ['DELETE', `/api/v1/agents/${own}/checks/x`, undefined],
    ['POST', '/api/v1/enrollment-tokens', { clientId: w.acme }],
    ['GET', '/api/v1/users', undefined],
    ['POST', '/api/v1/users', { username: 'x', password: 'long enough password', role: 'admin' }],
    ['DELETE', '/api/v1/users/1', undefined],
    ['GET', '/api/v1/tokens', undefined],
    ['POST', '/api/v1/tokens', { name: 'mine' }],
    ['DELETE', '/api/v1/tokens/1', undefined],
  ];
  for (const [method, path, body] of writes) {
    const response = await s.json<{ code: string }>(method, path, body);
    t.equal(response.status, 403, `${method} ${path}`);
    t.equal(response.body.code, 'NINES_ERR_FORBIDDEN', `${method} ${path}`);
  }
  t.equal((await w.c.store.getAgent(own))!.revokedAt, null);
  t.equal((await w.c.store.getAgent(other))!.revokedAt, null);
  t.equal(await w.c.store.findClient('evil'), undefined);
});

t.test("a client user's API token is confined to its client like its session", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const anna = (await w.c.store.findUserByName('anna'))!;
  const created = await w.admin.json<{ token: string }>('POST', '/api/v1/tokens', { name: 'anna-script', userId: anna.id, scope: 'read' });
  t.equal(created.status, 201);
  const get = (path: string) => fetch(`${w.c.url}${path}`, { headers: { authorization: `Bearer ${created.body.token}` } });
  t.equal((await get(`/api/v1/agents/${w.acmeAgent.agentId}`)).status, 200);
  t.equal((await get(`/api/v1/agents/${w.globexAgent.agentId}`)).status, 404);
  t.equal((await get('/api/v1/users')).status, 403);
});

t.test('without a login every API route is 401', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  for (const path of ['/api/v1/overview', '/api/v1/clients', `/api/v1/clients/${w.acme}`, '/api/v1/agents', `/api/v1/agents/${w.acmeAgent.agentId}`, '/api/v1/users', '/api/v1/tokens']) {
    t.equal((await fetch(`${w.c.url}${path}`)).status, 401, path);
  }
  const agentCredential = await fetch(`${w.c.url}/api/v1/overview`, { headers: { authorization: `Bearer ${w.acmeAgent.agentId}.${w.acmeAgent.secret}` } });
  t.equal(agentCredential.status, 401, 'an agent credential is no API token');
});

t.test("the live socket carries a client user's own updates and nothing of other tenants", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const live = new WebSocket(`${w.c.url.replace('http', 'ws')}/ws/live`, { headers: { cookie: w.acmeUser.cookie } });
  await new Promise((resolve, reject) => (live.once('open', resolve), live.once('error', reject)));
  const received: { agentId: string; type: string; message?: string }[] = [];
  live.on('message', (d) => received.push(JSON.parse(d.toString())));

  const feed = async (creds: { agentId: string; secret: string }, message: string) => {
    const socket = await w.c.agentSocket(creds);
    socket.send(JSON.stringify(hello()));
    await nextMessage(socket);
    socket.send(JSON.stringify({ type: 'results', batch: [result(1, { status: 'CRIT', message })] }));
    await nextMessage(socket);
    socket.close();
  };
  await feed(w.globexAgent, 'globex is down');
  await feed(w.acmeAgent, 'acme is down');
  // the acme disconnect is the last thing published: once it arrived, everything before it has too
  await new Promise<void>((resolve) => {
    const poll = () => (received.some((m) => m.type === 'agent' && m.agentId === w.acmeAgent.agentId && !(m as { connected?: boolean }).connected) ? resolve() : setTimeout(poll, 20));
    poll();
  });
  live.close();
  t.ok(received.some((m) => m.type === 'check' && m.message === 'acme is down'));
  t.same(received.filter((m) => m.agentId === w.globexAgent.agentId), [], 'no frame about globex reached the acme user');
});

t.test('the live socket refuses anonymous connections', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const live = new WebSocket(`${w.c.url.replace('http', 'ws')}/ws/live`);
  const status = await new Promise<number>((resolve) => live.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  t.equal(status, 401);
});
