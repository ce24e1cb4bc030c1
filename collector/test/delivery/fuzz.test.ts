import t from 'tap';
import WebSocket from 'ws';
import { connect } from 'node:net';
import { CloseCode } from '@nines/shared';
import { parseAgentFrame } from '../../src/ingest/frames.ts';
import { startCollector, until } from './helpers.ts';
import { closed, hello, nextMessage, result } from '../helpers/collector.ts';
import { rawValue } from '../helpers/raw-sql.ts';

t.setTimeout(240_000);

/** mulberry32: a seeded PRNG, so a failing run can be repeated with NINES_FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const seed = Number(process.env.NINES_FUZZ_SEED ?? Date.now() % 1_000_000);
const random = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (n: number) => Math.floor(random() * n);

const weird: unknown[] = [
  null, true, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, 'NaN', '', 'ü'.repeat(3000), '\u0000', '<script>', [], {}, [[[[[]]]]],
  { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, 'x'.repeat(70_000),
];

/** A valid message with one random thing broken (or a few), or plain garbage. */
function mutant(): string | Buffer {
  const base: Record<string, unknown> = pick([
    () => hello(),
    () => ({ type: 'results', batch: [result(1 + int(5))] }),
    () => ({ type: 'results', batch: Array.from({ length: 1 + int(20) }, (_, i) => result(i + 1)), backlog: int(100) }),
    () => ({ type: 'gap', fromSeq: 1, toSeq: 5, from: Date.now() - 10_000, to: Date.now() - 5_000, reason: 'cap' }),
  ])();
  switch (int(9)) {
    case 0: return Buffer.from(Array.from({ length: int(200) }, () => int(256))); // random bytes
    case 1: return JSON.stringify(base).slice(0, int(JSON.stringify(base).length)); // truncated
    case 2: return JSON.stringify({ ...base, type: pick(['welcome', 'ack', 'HELLO', '', 42, null, 'results ']) });
    case 3: {
      const keys = Object.keys(base).filter((k) => k !== 'type');
      const copy = { ...base };
      delete copy[pick(keys)];
      return JSON.stringify(copy);
    }
    case 4: return JSON.stringify({ ...base, [pick(Object.keys(base))]: pick(weird) });
    case 5: return JSON.stringify({ ...base, extra: pick(weird) });
    case 6: {
      if (!Array.isArray(base.batch)) return JSON.stringify(pick(weird));
      const batch = (base.batch as Record<string, unknown>[]).map((r) => ({ ...r }));
      const victim = batch[int(batch.length)]!;
      victim[pick(['seq', 'checkId', 'kind', 'status', 'message', 'metrics', 'startedAt', 'finishedAt', 'name'])] = pick(weird);
      return JSON.stringify({ ...base, batch });
    }
    case 7: return JSON.stringify(pick(weird));
    default: return '{'.repeat(1 + int(5000)); // deep nesting / unbalanced
  }
}

t.test(`fuzz (seed ${seed}): thousands of malformed frames from authenticated and unauthenticated clients`, async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const wsUrl = `${c.url.replace('http', 'ws')}/ws/agent`;

  // A well-behaved agent keeps working throughout.
  const bystander = await c.addAgent('bystander');
  const good = await c.agentSocket(await bystander);
  good.send(JSON.stringify(hello()));
  await nextMessage(good);
  let goodSeq = 0;
  const sendGood = async () => {
    goodSeq++;
    good.send(JSON.stringify({ type: 'results', batch: [result(goodSeq)] }));
    t.same(await nextMessage(good), { type: 'ack', upTo: goodSeq });
  };

  // Authenticated: each connection says hello (or not), then sends mutants until the collector closes it.
  const victim = await c.addAgent('victim');
  let frames = 0;
  let validSkipped = 0;
  const closeCodes = new Map<number, number>();
  for (let round = 0; round < 300; round++) {
    const socket = await c.agentSocket(await victim);
    const done = closed(socket);
    if (random() < 0.7) {
      socket.send(JSON.stringify(hello()));
      await nextMessage(socket).catch(() => undefined);
    }
    for (let i = 0; i < 8 && socket.readyState === WebSocket.OPEN; i++) {
      const frame = mutant();
      const isBinary = Buffer.isBuffer(frame);
      if (!isBinary && parseAgentFrame(Buffer.from(frame), false).ok) {
        validSkipped++; // a mutation that happens to be valid is not a fuzz case
        continue;
      }
      socket.send(frame, { binary: isBinary });
      frames++;
    }
    const { code } = await Promise.race([done, new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -2 }), 2_000))]);
    if (code === -2) socket.terminate();
    closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
    if (round % 50 === 0) await sendGood();
  }
  t.comment(`${frames} malformed frames sent (${validSkipped} valid mutants skipped); close codes ${JSON.stringify([...closeCodes])}`);
  t.ok(frames >= 1_000, 'thousands of frames');
  t.equal(closeCodes.get(-2) ?? 0, 0, 'every bad connection was closed by the collector, none left hanging');
  for (const code of closeCodes.keys()) t.ok([CloseCode.MALFORMED, CloseCode.REFUSED, CloseCode.PROTOCOL, CloseCode.UNSUPPORTED_DATA, CloseCode.TOO_BIG, 1007].includes(code as never), `close code ${code} is a deliberate one`);
  t.equal(await c.store.countResults(victim.agentId), 0, 'nothing stored from malformed frames');
  t.equal(await rawValue(c.store, 'SELECT count(*) FROM gaps'), 0, 'no gaps either');

  // Unauthenticated: garbage credentials at the upgrade, and raw garbage on the TCP port.
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    const header = pick([
      undefined, '', 'Bearer', `Bearer ${victim.agentId}`, `Bearer ${victim.agentId}.`, `Bearer ${victim.agentId}.${'A'.repeat(int(300))}`,
      `Basic ${Buffer.from('admin:admin').toString('base64')}`, `Bearer ${'0'.repeat(36)}.${victim.secret}`, `Bearer ../../etc/passwd.${victim.secret}`,
      `Bearer ${victim.agentId}.${victim.secret.slice(0, -1)}x`, 'x'.repeat(8000),
    ]);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, header === undefined ? {} : { headers: { authorization: header } });
      ws.once('open', () => (ws.terminate(), resolve(101)));
      ws.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode!)));
      ws.once('error', () => resolve(-1));
    });
    if (status === 401 || status === 431 || status === 400) refused++;
    else t.fail(`unauthenticated upgrade got ${status} with ${String(header).slice(0, 60)}`);
  }
  t.equal(refused, 300, 'every bad credential refused at the upgrade');
  for (let i = 0; i < 100; i++) {
    await new Promise<void>((resolve) => {
      const raw = connect(Number(new URL(c.url).port), '127.0.0.1', () => {
        raw.write(pick([
          Buffer.from(Array.from({ length: 1 + int(2000) }, () => int(256))),
          'GET /ws/agent HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n\r\n\x81\xfe\xff\xff',
          `POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n{"token":`,
        ]));
        raw.end();
      });
      raw.on('error', () => resolve());
      raw.on('close', () => resolve());
      raw.resume();
    });
  }

  await sendGood();
  t.equal(await c.store.countResults(bystander.agentId), goodSeq, 'the well-behaved agent was served throughout');
  t.equal(await c.store.countResults(victim.agentId), 0);
  const health = await fetch(`${c.url}/healthz`);
  t.equal(health.status, 200, 'collector alive');
  good.close();
  await closed(good);
});

t.test('a frame flood on one connection is cut off with 1008 and a coded error; the agent may come back', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  const messages: { type: string; code?: string }[] = [];
  socket.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const done = closed(socket);
  const frame = JSON.stringify({ type: 'results', batch: [result(1)] });
  for (let i = 0; i < 1_000 && socket.readyState === WebSocket.OPEN; i++) socket.send(frame);
  const { code, reason } = await done;
  t.equal(code, CloseCode.POLICY);
  t.match(reason, /more than 2 MiB of frames a second/);
  t.match(messages.at(-1), { type: 'error', code: 'NINES_ERR_FRAME_RATE_LIMITED' });
  t.ok(messages.filter((m) => m.type === 'ack').length >= 150, 'the burst allowance was served first');
  t.equal(await c.store.countResults(creds.agentId), 1, 'the repeated seq was stored once');
  const again = await c.agentSocket(creds);
  again.send(JSON.stringify(hello()));
  t.match(await nextMessage(again), { type: 'welcome', lastStoredSeq: 1 });
  again.close();
  await closed(again);
  await until('disconnected', () => !c.app.nines.connections.isConnected(creds.agentId));
});

t.test('found by fuzzing: a rejection quoting multibyte junk is cut to 123 bytes, not thrown on', async (t) => {
  const { closeReason } = await import('../../src/ingest/agent-socket.ts');
  const long = 'unknown message type "' + 'ü'.repeat(100) + '"';
  const cut = closeReason(long);
  t.ok(Buffer.byteLength(cut) <= 123, `${Buffer.byteLength(cut)} bytes`);
  t.notMatch(cut, /\uFFFD/, 'no broken character at the cut');
  t.equal(closeReason('short'), 'short');

  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const socket = await c.agentSocket(creds);
  socket.send(JSON.stringify({ type: 'ü'.repeat(100) }));
  const { code, reason } = await closed(socket);
  t.equal(code, CloseCode.MALFORMED);
  t.match(reason, /^unknown message type "ü+/);
  t.equal((await fetch(`${c.url}/healthz`)).status, 200);
});
