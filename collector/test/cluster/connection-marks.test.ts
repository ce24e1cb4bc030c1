import t from 'tap';
import WebSocket from 'ws';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';
import { COORDINATION_APPLICATION } from '../../src/store/postgres/coordination.ts';
import { postgresTestDatabase } from '../helpers/test-store.ts';
import { hello, nextMessage } from '../helpers/collector.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import type { CollectorEventMap } from '../../src/events.ts';

// Real PostgreSQL: the `connected` mark of an agent says whether some running collector holds its socket, when
// several share the database. Each releases only its own marks; what a collector that is gone held, the leader
// releases; a collector whose coordination session dropped marks again what it still holds.
const url = await postgresTestDatabase(t);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(what: () => Promise<boolean> | boolean, ms = 10_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(20)) if (await what()) return true;
  return what();
}

async function enroll(store: PgStore, clientName: string, name: string) {
  const client = await store.ensureClient(clientName, Date.now());
  const token = await createEnrollToken(store, client.name, Date.now());
  const creds = { agentId: newAgentId(), secret: newSecret() };
  const enrolled = await store.enrollAgent(hashSecret(token), { id: creds.agentId, name, secretHash: hashSecret(creds.secret), platform: 'windows', agentVersion: 'test' }, Date.now());
  if ('problem' in enrolled) throw new Error(`enrolment failed: ${enrolled.problem}`);
  return creds;
}

if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  const holder = async (agentId: string) =>
    (await admin.query<{ connected: string; connected_by: string | null }>('SELECT connected, connected_by FROM agents WHERE id = $1', [agentId])).rows[0]!;

  t.test('the stores: a close releases only its own mark; the marks of a collector that is gone are released', async (t) => {
    const a = await PgStore.open(url);
    const b = await PgStore.open(url);
    let aOpen = true;
    t.teardown(async () => {
      if (aOpen) await a.close();
      await b.close();
    });
    const noop = { leading: () => {}, message: () => {} };
    await a.coordination.start(noop);
    await b.coordination.start(noop);
    const moved = (await enroll(a, 'Praxis Dr. Weber', 'empfang')).agentId;
    const onA = (await enroll(a, 'Praxis Dr. Weber', 'labor')).agentId;
    const old = (await enroll(a, 'Praxis Dr. Weber', 'alt')).agentId;

    // The agent lost its socket to A and reconnected to B before A noticed the close.
    t.equal(await a.setConnected(moved, true, 1), true);
    t.equal(await b.setConnected(moved, true, 2), true);
    t.equal(await a.setConnected(moved, false, 3), false, "A's late close does not release B's mark");
    t.same(await holder(moved), { connected: '1', connected_by: b.coordination.instance });

    t.equal(await a.setConnected(onA, true, 4), true);
    await b.resetConnections();
    t.same(await holder(onA), { connected: '1', connected_by: a.coordination.instance }, "B's reset leaves A's marks");
    t.same(await holder(moved), { connected: '0', connected_by: null }, "B's reset releases its own");
    t.equal(await b.setConnected(moved, true, 5), true);

    // A mark from before the holder column: no running collector claims it.
    await admin.query('UPDATE agents SET connected = 1, connected_by = NULL WHERE id = $1', [old]);
    t.same(await b.releaseOrphanedConnections(), [old].sort(), 'while A runs only the unclaimed mark is released');

    // A is killed: its session ends, no close handler runs, its mark stays until the leader releases it.
    await a.coordination.stop();
    await a.close();
    aOpen = false;
    t.same(await holder(onA), { connected: '1', connected_by: a.coordination.instance }, 'a killed collector leaves its mark');
    t.same(await b.releaseOrphanedConnections(), [onA], 'the leader releases the marks of the collector that is gone');
    t.same(await holder(onA), { connected: '0', connected_by: null });
    t.same(await holder(moved), { connected: '1', connected_by: b.coordination.instance }, 'and leaves the running collector its own');
    t.same(await b.releaseOrphanedConnections(), [], 'nothing twice');
  });

  t.test('collectors: the leader releases what a lost collector held; that collector marks its agents again when back', async (t) => {
    // A leads with 1 s rounds: cut off, it sits out three rounds before it reconnects. B asks every 100 ms.
    const open = async (coordinationEveryMs: number): Promise<{ app: FastifyInstance; store: PgStore }> => {
      const store = await PgStore.open(url, { coordinationEveryMs });
      const app = await buildApp({ store });
      await app.listen({ host: '127.0.0.1', port: 0 });
      return { app, store };
    };
    const a = await open(1_000);
    const b = await open(100);
    t.teardown(async () => {
      await a.app.close();
      await b.app.close();
      await a.store.close();
      await b.store.close();
    });
    t.equal(a.app.nines.leadership.leading, true, 'A leads');
    const creds = await enroll(a.store, 'Steuerbüro Kraus', 'server-01');
    const port = (a.app.server.address() as { port: number }).port;
    const agent = new WebSocket(`ws://127.0.0.1:${port}/ws/agent`, { headers: { authorization: `Bearer ${creds.agentId}.${creds.secret}` } });
    t.teardown(() => agent.close());
    await new Promise((r) => agent.once('open', r));
    agent.send(JSON.stringify(hello()));
    await nextMessage(agent);
    t.ok(await until(async () => (await holder(creds.agentId)).connected_by === a.store.coordination.instance), 'the agent is marked as A’s');

    const onB: Array<CollectorEventMap['agentConnection'][0]> = [];
    const onA: Array<CollectorEventMap['agentConnection'][0]> = [];
    b.app.nines.events.on('agentConnection', (e) => void onB.push(e));
    a.app.nines.events.on('agentConnection', (e) => void onA.push(e));

    // The server cuts A's coordination session off, as when A's host is lost; A's pool and the agent's socket stay.
    const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [COORDINATION_APPLICATION + a.store.coordination.instance]);
    t.equal(cut.rowCount, 1, "A's coordination session is cut off");
    t.ok(await until(() => b.app.nines.leadership.leading), 'B leads');
    t.ok(await until(() => onB.some((e) => e.agentId === creds.agentId && !e.connected && e.released === true)), 'B released the mark of A’s agent and told its listeners');
    t.ok(await until(async () => (await holder(creds.agentId)).connected === '1' && onA.some((e) => e.agentId === creds.agentId && e.connected && !e.remote)), 'A is back and marks the agent it holds again');
    t.same(await holder(creds.agentId), { connected: '1', connected_by: a.store.coordination.instance });
    t.equal(a.app.nines.leadership.leading, false, 'A came back as a follower');
    t.equal(agent.readyState, WebSocket.OPEN, 'the agent was never cut off');
    t.ok(await until(() => onB.some((e) => e.agentId === creds.agentId && e.connected && e.remote === true)), 'B heard of the new mark');
  });
}

if (url) {
  t.test('a collector killed and started again alone: from its start on, its old run’s agents are not connected', async (t) => {
    const killed = await PgStore.open(url);
    await killed.coordination.start({ leading: () => {}, message: () => {} });
    const { agentId } = await enroll(killed, 'Autohaus Berger', 'werkstatt');
    await killed.setConnected(agentId, true, 1);
    await killed.close(); // its session ends as at kill -9: no close handler, no reset
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    t.teardown(() => admin.end());
    t.equal((await admin.query('SELECT connected FROM agents WHERE id = $1', [agentId])).rows[0].connected, '1', 'the mark is left');

    const store = await PgStore.open(url);
    const app = await buildApp({ store });
    t.teardown(async () => {
      await app.close();
      await store.close();
    });
    t.equal(app.nines.leadership.leading, true, 'the restarted collector leads');
    t.equal((await store.getAgent(agentId))!.connected, false, 'once buildApp resolved, the agent is not connected');
  });
}
