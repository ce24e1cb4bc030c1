import t from 'tap';
import WebSocket from 'ws';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';
import { PASS_DELAY_MS } from '../../src/alerting/service.ts';
import { postgresTestDatabase } from '../helpers/test-store.ts';
import { apiTokenHeader, hello, nextMessage, result, sendAcked } from '../helpers/collector.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';

// Two real collectors on one real PostgreSQL database, in this process: an agent streams to one, a dashboard
// listens on the other. The live view follows across them, only the leader alerts, and when the leader goes the
// other leads and alerts on what was stored meanwhile.
const url = await postgresTestDatabase(t);

async function collector(): Promise<{ app: FastifyInstance; store: PgStore; url: string }> {
  const store = await PgStore.open(url!);
  const app = await buildApp({ store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await app.alerting.start({ alerting: { failuresToFire: 2, tick: '200ms' } });
  return { app, store, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(what: () => Promise<boolean> | boolean, ms = 5 * PASS_DELAY_MS + 3_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(25)) if (await what()) return true;
  return what();
}

if (url) {
  const a = await collector();
  const b = await collector();
  let aOpen = true;
  t.teardown(async () => {
    if (aOpen) await a.app.close();
    await b.app.close();
    if (aOpen) await a.store.close();
    await b.store.close();
  });

  const client = await a.store.ensureClient('Bäckerei Müller', Date.now());
  const token = await createEnrollToken(a.store, client.name, Date.now());
  const creds = { agentId: newAgentId(), secret: newSecret() };
  const enrolled = await a.store.enrollAgent(hashSecret(token), { id: creds.agentId, name: 'kasse-01', secretHash: hashSecret(creds.secret), platform: 'windows', agentVersion: 'test' }, Date.now());
  t.notOk('problem' in enrolled);

  t.test('the first collector leads, the second follows; both say so on /healthz', async (t) => {
    const health = async (c: typeof a) => (await (await fetch(`${c.url}/healthz?detail=true`)).json()) as { cluster: { shared: boolean; leading: boolean } };
    t.same((await health(a)).cluster, { shared: true, leading: true, changedAt: a.app.nines.leadership.changedAt });
    t.same((await health(b)).cluster, { shared: true, leading: false, changedAt: null });
  });

  t.test('an agent on the follower, a dashboard on the leader: the live view follows; the leader alerts, once', async (t) => {
    const live = new WebSocket(`${a.url.replace('http', 'ws')}/ws/live`, { headers: await apiTokenHeader(a.store, 'admin', null) });
    t.teardown(() => live.close());
    const frames: Array<{ type: string; agentId?: string; checkId?: string; status?: string; connected?: boolean }> = [];
    live.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((r) => live.once('open', r));

    const agent = new WebSocket(`${b.url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${creds.agentId}.${creds.secret}` } });
    t.teardown(() => agent.close());
    await new Promise((r) => agent.once('open', r));
    agent.send(JSON.stringify(hello()));
    await nextMessage(agent);
    await sendAcked(agent, [result(1, { status: 'CRIT', message: 'HTTP 502' }), result(2, { status: 'CRIT', message: 'HTTP 502' })]);

    t.ok(await until(() => frames.some((f) => f.type === 'agent' && f.agentId === creds.agentId && f.connected === true)), 'the connect, told by the follower');
    t.ok(await until(() => frames.some((f) => f.type === 'check' && f.checkId === 'web' && f.status === 'CRIT')), 'the CRIT result, told by the follower');
    t.ok(await until(async () => (await firing()) === 1), 'the alert fires');
    await sleep(3 * PASS_DELAY_MS);
    t.equal(await firing(), 1, 'one alert, raised by the leader');
    t.equal(await firedTransitions(), 1, 'one firing transition: the follower did not evaluate too');

    // Checks assigned on the leader reach the agent whose socket the follower holds, at once.
    const config = new Promise<{ type: string; version: number; checks: Array<{ id: string }> }>((resolve) => {
      const on = (data: WebSocket.RawData) => {
        const m = JSON.parse(data.toString()) as { type: string; version: number; checks: Array<{ id: string }> };
        if (m.type === 'config') (agent.off('message', on), resolve(m));
      };
      agent.on('message', on);
    });
    const put = await fetch(`${a.url}/api/v1/agents/${creds.agentId}/checks/db`, {
      method: 'PUT', headers: { ...(await apiTokenHeader(a.store, 'admin', null)), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'tcp', host: '127.0.0.1', port: 5432 }),
    });
    const assigned = (await put.json()) as { version: number; pushed: boolean };
    t.equal(put.status, 200);
    t.equal(assigned.pushed, true, 'the leader says it reached the agent (through the follower)');
    const pushed = await config;
    t.equal(pushed.version, assigned.version);
    t.same(pushed.checks.map((c) => c.id), ['db']);
  });

  t.test('channel settings saved on one collector: the other rebuilds its channels', async (t) => {
    const before = b.app.alerting.channelSet();
    const saved = await fetch(`${a.url}/api/v1/channels/ntfy/settings`, {
      method: 'PUT', headers: { ...(await apiTokenHeader(a.store, 'admin', null)), 'content-type': 'application/json' },
      body: JSON.stringify({ server: 'http://127.0.0.1:9' }),
    });
    t.equal(saved.status, 200, await saved.clone().text());
    t.ok(await until(() => b.app.alerting.channelSet() !== before), 'the follower built its channels anew');
    t.equal(b.app.alerting.channelSet()?.has('ntfy'), true, 'with the saved ntfy settings');
  });

  t.test('the leader goes: the follower leads within seconds and alerts on what it stored meanwhile', async (t) => {
    await a.app.close();
    await a.store.close();
    aOpen = false;
    const started = Date.now();
    t.ok(await until(() => b.app.nines.leadership.leading, 5_000), `the follower leads (${Date.now() - started} ms)`);
    const agent = new WebSocket(`${b.url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${creds.agentId}.${creds.secret}` } });
    t.teardown(() => agent.close());
    await new Promise((r) => agent.once('open', r));
    agent.send(JSON.stringify(hello({ lastSeq: 2 })));
    await nextMessage(agent);
    await sendAcked(agent, [result(3, { checkId: 'db', status: 'CRIT' }), result(4, { checkId: 'db', status: 'CRIT' })]);
    t.ok(await until(async () => (await firing()) === 2), 'the new leader fires the second alert');
    t.equal(await firedTransitions(), 2);
  });
}

/** A count straight from the database, on a connection of its own (either collector may be closed). */
async function count(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}
const firing = () => count(`SELECT count(*) AS n FROM alerts WHERE kind = 'check' AND state = 'FIRING'`);
const firedTransitions = () => count(`SELECT count(*) AS n FROM alert_transitions WHERE event = 'firing'`);
