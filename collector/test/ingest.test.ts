import t from 'tap';
import WebSocket from 'ws';
import { CloseCode, LIMITS } from '@nines/shared';
import { startCollector, nextMessage, closed, hello, result } from './helpers/collector.ts';

t.test('an agent says hello, sends results, and gets an ack only after they are stored', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello()));
  const welcome = await nextMessage(socket);
  t.match(welcome, { type: 'welcome', protocol: 1, agentId: creds.agentId, lastStoredSeq: 0, limits: { maxBatch: LIMITS.maxBatch } });

  socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2, { status: 'CRIT', message: 'down' })], backlog: 0 }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 2 });
  t.equal(await c.store.countResults(creds.agentId), 2);
  const [check] = await c.store.listChecks(creds.agentId);
  t.match(check, { id: 'web', kind: 'http', status: 'CRIT', message: 'down' });

  // a replay of the same seqs is acknowledged again but stored once
  socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2), result(3)] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 3 });
  t.equal(await c.store.countResults(creds.agentId), 3);
  t.equal((await c.store.getAgent(creds.agentId))!.lastSeq, 3);
  t.equal((await c.store.getAgent(creds.agentId))!.connected, true);
  socket.close();
  await closed(socket);
});

t.test("each result's interval is stored with it and becomes the check's; an implausible one is refused", async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { intervalMs: 10_000 })] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 1 });
  t.equal((await c.store.listChecks(creds.agentId))[0]!.intervalMs, 10_000, 'a check first seen in results gets their interval, not the 60 s default');
  const [stored] = await c.store.resultsBetween(creds.agentId, 'web', 0, Number.MAX_SAFE_INTEGER);
  t.equal(stored!.intervalMs, 10_000);

  socket.send(JSON.stringify({ type: 'results', batch: [result(2, { intervalMs: 500 })] }));
  const close = await closed(socket);
  t.equal(close.code, CloseCode.REFUSED, 'a result that fails validation is refused for good, not retried');
  t.match(close.reason, /intervalMs/);
  t.equal(await c.store.countResults(creds.agentId), 1, 'nothing of the refused frame is stored');
});

t.test('welcome carries the last stored seq, so a reconnecting agent replays only the rest', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  await c.store.insertResults(creds.agentId, [result(1), result(2)], Date.now());
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello({ lastSeq: 5 })));
  t.match(await nextMessage(socket), { type: 'welcome', lastStoredSeq: 2 });
  socket.close();
});

t.test('the assigned config follows the welcome when the agent has an older version', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const version = await c.store.assignChecks(creds.agentId, [{ kind: 'tcp', id: 'db', host: '127.0.0.1', port: 5432 }]);
  const socket = await c.agentSocket(await creds);
  const messages: Record<string, unknown>[] = [];
  const two = new Promise<void>((resolve) => socket.on('message', (d) => messages.push(JSON.parse(d.toString())) === 2 && resolve()));
  socket.send(JSON.stringify(hello({ configVersion: 0 })));
  await two;
  t.match(messages[1], { type: 'config', version, checks: [{ kind: 'tcp', id: 'db', port: 5432 }] });
  socket.close();
});

const bad: [string, (s: import('ws').WebSocket) => void, number, RegExp][] = [
  ['malformed JSON', (s) => s.send('{"type": "hello",'), CloseCode.MALFORMED, /not JSON/],
  ['an unknown message type', (s) => s.send(JSON.stringify({ type: 'launch-missiles' })), CloseCode.MALFORMED, /unknown message type/],
  ['a hello missing fields', (s) => s.send(JSON.stringify({ type: 'hello', protocol: 1 })), CloseCode.MALFORMED, /invalid hello/],
  ['results before hello', (s) => s.send(JSON.stringify({ type: 'results', batch: [result(1)] })), CloseCode.PROTOCOL, /before hello/],
  ['a binary frame', (s) => s.send(Buffer.from([1, 2, 3]), { binary: true }), CloseCode.UNSUPPORTED_DATA, /binary/],
  ['a wrong protocol version', (s) => s.send(JSON.stringify(hello({ protocol: 99 }))), CloseCode.PROTOCOL, /protocol 99/],
  ['an oversized frame', (s) => s.send('x'.repeat(LIMITS.maxFrameBytes + 10)), CloseCode.TOO_BIG, /.*/],
];

for (const [what, send, code, reason] of bad) {
  t.test(`${what} closes the socket with ${code}, stores nothing, and others keep being served`, async (t) => {
    const c = await startCollector();
    t.teardown(c.close);
    const victim = await c.addAgent();
    const bystander = await c.addAgent();
    const good = await c.agentSocket(bystander);
    good.send(JSON.stringify(hello()));
    await nextMessage(good);

    const socket = await c.agentSocket(await victim);
    send(socket);
    const close = await closed(socket);
    t.equal(close.code, code);
    t.match(close.reason, reason);
    t.equal(await c.store.countResults(victim.agentId), 0);

    good.send(JSON.stringify({ type: 'results', batch: [result(1)] }));
    t.same(await nextMessage(good), { type: 'ack', upTo: 1 });
    good.close();
  });
}

t.test('a batch over the size limit is refused whole', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  const batch = Array.from({ length: LIMITS.maxBatch + 1 }, (_, i) => result(i + 1, { message: '' }));
  socket.send(JSON.stringify({ type: 'results', batch }));
  t.match(await nextMessage(socket), { type: 'error', code: 'NINES_ERR_FRAME_MALFORMED', message: /invalid results/ });
  t.equal((await closed(socket)).code, CloseCode.MALFORMED);
  t.equal(await c.store.countResults(creds.agentId), 0);
});

t.test('results from the future beyond the tolerance are rejected with a clear error', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  const future = Date.now() + 3_600_000;
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { startedAt: future, finishedAt: future })] }));
  t.match(await nextMessage(socket), { type: 'error', code: 'NINES_ERR_RESULT_FROM_FUTURE', message: /3600 s in the future .*fix the agent's clock/ });
  t.equal(await c.store.countResults(creds.agentId), 0);
});

t.test('wrong, missing or revoked credentials never reach the message loop', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const upgrade = (authorization?: string) =>
    new Promise<{ status: number; body: { code: string } }>((resolve, reject) => {
      const socket = new WebSocket(`${c.url.replace('http', 'ws')}/ws/agent`, { headers: authorization ? { authorization } : {} });
      socket.once('open', () => reject(new Error('upgrade accepted')));
      socket.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
    });
  t.match(await upgrade(), { status: 401, body: { code: 'NINES_ERR_AGENT_AUTH' } });
  t.match(await upgrade(`Bearer ${creds.agentId}.${'x'.repeat(43)}`), { status: 401, body: { code: 'NINES_ERR_AGENT_AUTH' } });
  t.match(await upgrade(`Bearer 00000000-0000-0000-0000-000000000000.${creds.secret}`), { status: 401 });
  await c.store.revokeAgent(creds.agentId, Date.now());
  t.match(await upgrade(`Bearer ${creds.agentId}.${creds.secret}`), { status: 403, body: { code: 'NINES_ERR_AGENT_REVOKED' } });
});

t.test('closing the app closes agent sockets and marks agents disconnected', async (t) => {
  const c = await startCollector({ keepDir: true, store: 'sqlite' }); // reads the SQLite handle's state
  const { creds, socket } = await c.welcomedAgent();
  t.equal((await c.store.getAgent(creds.agentId))!.connected, true);
  const closing = closed(socket);
  await c.app.close();
  t.equal((await closing).code, 1001);
  t.equal((await c.store.getAgent(creds.agentId))!.connected, false);
  await c.store.close();
  t.notOk(c.store.db.open, 'database closed');
  const { rmSync } = await import('node:fs');
  rmSync(c.dir, { recursive: true, force: true });
});
