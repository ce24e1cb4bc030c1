import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { pino } from 'pino';
import { CloseCode, type UnsequencedResult } from '@nines/shared';
import { Spool } from '../../src/spool.ts';
import { CollectorConnection, agentSocketUrl, normalizeFingerprint, type ConnectionOptions, type ConnectionState } from '../../src/connection.ts';
import { startCollector, startCollectorAt } from '../../../collector/test/delivery/helpers.ts';
import { revokeAgent } from '../../../collector/src/ingest/revocation.ts';
import { rawAll } from '../../../collector/test/helpers/raw-sql.ts';

const log = pino({ level: 'silent' });

function result(at: number, overrides: Partial<UnsequencedResult> = {}): UnsequencedResult {
  return { checkId: 'web', kind: 'http', status: 'OK', message: 'HTTP 200', metrics: { latency_ms: 3 }, startedAt: at, finishedAt: at + 3, ...overrides };
}

function tempSpool(t: Test, options: { maxBytes?: number; segmentBytes?: number } = {}): Spool {
  const dir = mkdtempSync(join(tmpdir(), 'nines-conn-'));
  const spool = new Spool({ dir, sync: false, ...options });
  t.teardown(() => (spool.close(), rmSync(dir, { recursive: true, force: true })));
  return spool;
}

function connection(t: Test, overrides: Partial<ConnectionOptions> & Pick<ConnectionOptions, 'url' | 'spool'>): { conn: CollectorConnection; states: ConnectionState[] } {
  const states: ConnectionState[] = [];
  const conn = new CollectorConnection({
    onStateChange: (state) => states.push(state),
    agentId: '00000000-0000-0000-0000-000000000000', secret: 'x'.repeat(43), clock: Date.now, log,
    hello: { agentVersion: 'test', hostname: 'pc-01', platform: 'linux', bootId: 'boot' },
    configVersion: () => 0, onConfig: () => undefined, random: () => 0, ...overrides,
  });
  t.teardown(async () => {
    await conn.stop();
  });
  return { conn, states };
}

/** Polls until the condition holds; fails the test after `ms`. */
async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('plain ws:// is refused to anything but loopback unless explicitly allowed', async (t) => {
  t.equal(agentSocketUrl('http://127.0.0.1:8080'), 'ws://127.0.0.1:8080/ws/agent');
  t.equal(agentSocketUrl('http://localhost:8080/nines/'), 'ws://localhost:8080/nines/ws/agent');
  t.equal(agentSocketUrl('http://[::1]:8080'), 'ws://[::1]:8080/ws/agent');
  t.equal(agentSocketUrl('https://nines.example.de'), 'wss://nines.example.de/ws/agent');
  t.throws(() => agentSocketUrl('http://nines.example.de'), /refusing plain http:\/\/ to nines.example.de/);
  t.throws(() => agentSocketUrl('ws://192.168.1.10:8080'), /refusing plain ws:/);
  t.throws(() => agentSocketUrl('ftp://nines.example.de'), /unsupported collector URL/);
  t.equal(agentSocketUrl('http://192.168.1.10:8080', true), 'ws://192.168.1.10:8080/ws/agent');
  t.throws(() => normalizeFingerprint('AB:CD'), /not a SHA-256 fingerprint/);
  t.equal(normalizeFingerprint('ab:'.repeat(31) + 'ab'), 'AB'.repeat(32));
});

t.test('connect → hello/welcome → stream → ack deletes from the spool; stop is final', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const spool = tempSpool(t);
  const now = Date.now();
  for (let i = 0; i < 3; i++) spool.append(result(now - 3000 + i), now);
  const { conn, states } = connection(t, { url: c.url, spool, ...creds });
  t.equal(conn.state, 'idle');
  conn.start();
  await until('streaming and all acknowledged', () => conn.state === 'streaming' && spool.backlog === 0);
  t.same(states, ['connecting', 'handshaking', 'streaming']);
  t.equal(await c.store.countResults(creds.agentId), 3);
  spool.append(result(Date.now()), Date.now());
  conn.pump();
  await until('live result acknowledged', () => spool.ackedUpTo === 4);
  t.equal((await c.store.getAgent(creds.agentId))!.lastSeq, 4);
  await conn.stop();
  t.same(states, ['connecting', 'handshaking', 'streaming', 'stopped']);
  conn.start();
  t.equal(conn.state, 'stopped', 'a stopped connection does not come back');
});

t.test('collector away: waiting with backoff, then reconnect and replay without duplicates', async (t) => {
  const c = await startCollector({ keepDir: true });
  const creds = await c.addAgent();
  const port = Number(new URL(c.url).port);
  const spool = tempSpool(t);
  const { conn, states } = connection(t, { url: c.url, spool, ...creds });
  conn.start();
  await until('streaming', () => conn.state === 'streaming');
  for (let i = 0; i < 5; i++) spool.append(result(Date.now() - 1000 + i), Date.now());
  conn.pump();
  await until('first five acknowledged', () => spool.ackedUpTo === 5);
  await c.app.close();
  await c.store.close();
  await until('waiting', () => conn.state === 'waiting' || conn.state === 'connecting');
  for (let i = 0; i < 700; i++) spool.append(result(Date.now() - 1000 + i), Date.now());
  t.equal(spool.backlog, 700);

  const again = await startCollectorAt({ dir: c.dir, port });
  t.teardown(again.close);
  await until('replayed', () => spool.backlog === 0 && conn.state === 'streaming', 15_000);
  t.equal(await again.store.countResults(creds.agentId), 705);
  t.same(states.slice(0, 4), ['connecting', 'handshaking', 'streaming', 'waiting']);
  t.equal(states.at(-1), 'streaming');
  t.ok(states.filter((s) => s === 'waiting').length >= 1, `retried with backoff: ${states.join(' → ')}`);
  t.equal((await again.store.getAgent(creds.agentId))!.lastSeq, 705);
});

t.test('backpressure: at most maxInFlight unacknowledged batches, more only as acks come', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  t.teardown(() => new Promise<void>((resolve) => (server.clients.forEach((s) => s.terminate()), server.close(() => resolve()))));
  await new Promise((r) => server.once('listening', r));
  const batches: number[][] = [];
  let peer: ServerSocket | null = null;
  server.on('connection', (socket) => {
    peer = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'hello') {
        socket.send(JSON.stringify({ type: 'welcome', protocol: 1, agentId: 'a', serverTime: Date.now(), lastStoredSeq: 0, configVersion: 0, limits: { maxFrameBytes: 1048576, maxBatch: 10 } }));
      }
      if (message.type === 'results') batches.push(message.batch.map((r: { seq: number }) => r.seq));
    });
  });
  const spool = tempSpool(t);
  for (let i = 0; i < 100; i++) spool.append(result(Date.now() + i), Date.now());
  const port = (server.address() as { port: number }).port;
  const { conn } = connection(t, { url: `http://127.0.0.1:${port}`, spool, maxInFlight: 3 });
  conn.start();
  await until('three batches', () => batches.length === 3);
  await new Promise((r) => setTimeout(r, 100));
  t.equal(batches.length, 3, 'no fourth batch without an ack');
  t.same(batches[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "the collector's maxBatch is honoured");
  t.equal(conn.batchesInFlight, 3);
  peer!.send(JSON.stringify({ type: 'ack', upTo: 10 }));
  await until('a fourth batch', () => batches.length === 4);
  t.same(batches[3]![0], 31);
  t.equal(spool.ackedUpTo, 10);
  t.equal(spool.backlog, 90);
});

t.test('no welcome in time, or a collector that goes quiet: the agent drops the link and retries', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  t.teardown(() => new Promise<void>((resolve) => (server.clients.forEach((s) => s.terminate()), server.close(() => resolve()))));
  await new Promise((r) => server.once('listening', r));
  let connections = 0;
  let welcome = false;
  server.on('connection', (socket) => {
    connections++;
    socket.on('message', (data) => {
      if (welcome && JSON.parse(data.toString()).type === 'hello') {
        socket.send(JSON.stringify({ type: 'welcome', protocol: 1, agentId: 'a', serverTime: Date.now(), lastStoredSeq: 0, configVersion: 0, limits: { maxFrameBytes: 1048576, maxBatch: 500 } }));
      }
    });
  });
  const port = (server.address() as { port: number }).port;
  const { conn } = connection(t, { url: `http://127.0.0.1:${port}`, spool: tempSpool(t), welcomeTimeoutMs: 150, silenceTimeoutMs: 300 });
  conn.start();
  await until('a second attempt', () => connections >= 2);
  t.match(conn.lastError ?? '', /no welcome from the collector within 150 ms|ECONNRESET|socket hang up/);
  welcome = true;
  await until('streaming', () => conn.state === 'streaming');
  const before = connections;
  await until('dropped after silence', () => connections > before, 5_000);
  t.pass('a collector that sends nothing (not even pings) is given up on');
});

t.test('invalid or early messages from the collector are ignored, not obeyed', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  t.teardown(() => new Promise<void>((resolve) => (server.clients.forEach((s) => s.terminate()), server.close(() => resolve()))));
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (socket) => {
    socket.on('message', () => {
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'ack', upTo: 50 })); // before the welcome: must not delete anything
      socket.send(JSON.stringify({ type: 'welcome', protocol: 1 })); // invalid welcome
    });
  });
  const spool = tempSpool(t);
  for (let i = 0; i < 5; i++) spool.append(result(Date.now()), Date.now());
  const port = (server.address() as { port: number }).port;
  const { conn } = connection(t, { url: `http://127.0.0.1:${port}`, spool });
  conn.start();
  await until('handshaking', () => conn.state === 'handshaking');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(conn.state, 'handshaking');
  t.equal(spool.ackedUpTo, 0);
  t.equal(spool.backlog, 5);
});

t.test('a spool that was lost continues after the collector\'s last seq, so nothing new is skipped', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const at = Date.now() - 10_000;
  await c.store.insertResults(creds.agentId, Array.from({ length: 40 }, (_, i) => ({ seq: i + 1, ...result(at + i) })), Date.now());
  const spool = tempSpool(t);
  for (let i = 0; i < 3; i++) spool.append(result(Date.now()), Date.now()); // seqs 1..3: already taken at the collector
  const { conn } = connection(t, { url: c.url, spool, ...creds });
  conn.start();
  await until('streaming', () => conn.state === 'streaming');
  t.equal(spool.lastSeq, 40);
  spool.append(result(Date.now()), Date.now());
  conn.pump();
  await until('acknowledged', () => spool.ackedUpTo === 41);
  t.equal(await c.store.countResults(creds.agentId), 41, 'the new result is stored, not skipped as a replay');
});

t.test('spool gaps go to the collector before the results after them and are stored', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const spool = tempSpool(t, { maxBytes: 6_000, segmentBytes: 1_500 });
  const t0 = Date.now() - 3_600_000;
  for (let i = 0; i < 120; i++) spool.append(result(t0 + i * 30_000), t0 + i * 30_000);
  const gaps = [...spool.pendingGaps];
  t.ok(gaps.length > 0, 'the cap produced gaps');
  const { conn } = connection(t, { url: c.url, spool, ...creds });
  conn.start();
  await until('everything acknowledged', () => spool.backlog === 0 && spool.pendingGaps.length === 0);
  const stored = await rawAll(c.store, 'SELECT from_seq, to_seq, from_at, to_at FROM gaps WHERE agent_id = ? ORDER BY from_seq', creds.agentId);
  t.same(stored, gaps.map((g) => ({ from_seq: g.fromSeq, to_seq: g.toSeq, from_at: g.from, to_at: g.to })));
  t.equal((await c.store.getAgent(creds.agentId))!.lastSeq, 120);
  t.equal(await c.store.countResults(creds.agentId) + gaps.reduce((n, g) => n + g.toSeq - g.fromSeq + 1, 0), 120, 'every seq is either stored or in a gap');
});

t.test('a revoked agent is closed with 4403 and says so', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const { conn } = connection(t, { url: c.url, spool: tempSpool(t), ...creds });
  conn.start();
  await until('streaming', () => conn.state === 'streaming');
  t.equal((await revokeAgent(c.app.nines, creds.agentId)).outcome, 'revoked');
  await until('closed', () => conn.lastCloseCode !== null);
  t.equal(conn.lastCloseCode, CloseCode.REVOKED);
  await until('refused on reconnect', () => /HTTP 403/.test(conn.lastError ?? ''), 5_000);
});

t.test('reconnect backoff: exponential from 1 s to 60 s with full jitter', async (t) => {
  const { backoffDelay } = await import('../../src/backoff.ts');
  t.equal(backoffDelay(0, () => 0), 500, 'never hammers: at least half a second');
  t.equal(backoffDelay(0, () => 1), 1_000);
  t.equal(backoffDelay(3, () => 1), 8_000);
  t.equal(backoffDelay(6, () => 1), 60_000, 'capped at 60 s');
  t.equal(backoffDelay(1_000, () => 1), 60_000, 'no overflow after days of retrying');
  const spread = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(6, () => i / 50)));
  t.ok(spread.size >= 45, '1,000 agents coming back do not return in step');
});

t.test('a result the collector refuses for good becomes a gap and the stream goes on (it no longer wedges)', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent();
  const spool = tempSpool(t);
  const now = Date.now();
  spool.append(result(now - 4000), now);
  spool.append(result(now - 3000, { details: { packages: [] } }), now);
  // a result the spool accepts but the collector will never store: details nested deeper than the schema allows
  let deep: unknown = 'leaf';
  for (let i = 0; i < 20; i++) deep = [deep];
  spool.append(result(now - 2000, { details: deep }), now);
  spool.append(result(now - 1000), now);
  const { conn } = connection(t, { url: c.url, spool, ...creds });
  conn.start();
  await until('everything acknowledged', () => spool.backlog === 0 && spool.pendingGaps.length === 0 && conn.state === 'streaming');
  t.equal(conn.lastCloseCode, CloseCode.REFUSED, 'the collector refused once');
  t.equal(await c.store.countResults(creds.agentId), 3, 'the results around the poison one are stored');
  const status = (await c.store.getAgent(creds.agentId))!;
  t.equal(status.lastSeq, 4);
  const gaps = await rawAll<{ from_seq: number; to_seq: number; reason: string }>(c.store, `SELECT from_seq, to_seq, reason FROM gaps WHERE agent_id = ?`, creds.agentId);
  t.match(gaps, [{ from_seq: 3, to_seq: 3, reason: /collector refused/ }], 'only the poison result is a gap (UNKNOWN), not the whole batch');
});
