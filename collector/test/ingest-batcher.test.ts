import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestBatcher, type IngestJob } from '../src/ingest/batcher.ts';
import { ConnectionGate } from '../src/store/sqlite/connection-gate.ts';
import { startCollector, nextMessage, hello, result } from './helpers/collector.ts';

/** A real SQLite file with one table; jobs insert rows, so what committed is what the table holds. */
function rig(t: Test, maxWeight?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nines-batcher-'));
  const db = new Database(join(dir, 'b.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE rows (owner TEXT, n INTEGER UNIQUE)`);
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The store's own unit of work on this connection (store/sqlite/connection-gate.ts): nested, a savepoint.
  const gate = new ConnectionGate(db);
  const batcher = new IngestBatcher({ unitOfWork: (work) => gate.transaction(work), maxWeight });
  const log: string[] = [];
  const insert = db.prepare(`INSERT INTO rows (owner, n) VALUES (?, ?)`);
  const job = (owner: { name: string }, n: number, weight = 1, extra: Partial<IngestJob> = {}): IngestJob => ({
    owner, weight, isLive: () => true,
    apply: async () => {
      insert.run(owner.name, n);
      return () => log.push(`ack ${owner.name} ${n} inTransaction=${db.inTransaction}`);
    },
    failed: (error) => log.push(`failed ${owner.name} ${n}: ${(error as Error).message}`),
    ...extra,
  });
  const rows = () => db.prepare(`SELECT owner || ' ' || n FROM rows ORDER BY rowid`).pluck().all();
  return { db, batcher, job, log, rows };
}
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

t.test('frames of many agents in one turn: one transaction, acks only after the commit, in order', async (t) => {
  const { batcher, job, log, rows } = rig(t);
  const a = { name: 'a' };
  const b = { name: 'b' };
  for (let n = 1; n <= 3; n++) {
    batcher.submit(job(a, n));
    batcher.submit(job(b, 10 + n));
  }
  t.same(rows(), [], 'nothing written in the submitting call');
  t.same(log, []);
  await nextTurn();
  t.equal(batcher.committedTransactions, 1);
  t.same(rows(), ['a 1', 'b 11', 'a 2', 'b 12', 'a 3', 'b 13']);
  t.same(log, ['a 1', 'b 11', 'a 2', 'b 12', 'a 3', 'b 13'].map((r) => `ack ${r} inTransaction=false`));
});

t.test('a transaction holds at most maxWeight results, and the loop runs in between', async (t) => {
  const { batcher, job, rows } = rig(t, 2_000);
  const a = { name: 'a' };
  for (let n = 1; n <= 5; n++) batcher.submit(job(a, n, 1_000));
  const seenBetween: number[] = [];
  const probe = () => {
    seenBetween.push(rows().length);
    if (batcher.pending > 0) setImmediate(probe);
  };
  setImmediate(probe); // queued after the batcher's first turn
  while (batcher.pending > 0) await nextTurn();
  t.equal(batcher.committedTransactions, 3, '2 + 2 + 1 frames');
  t.same(rows().length, 5);
  t.ok(seenBetween.includes(2) && seenBetween.includes(4), `other callbacks ran between the transactions (${seenBetween})`);
});

t.test('one frame that fails is rolled back alone; the agent\'s later frames are dropped, others commit', async (t) => {
  const { batcher, job, log, rows } = rig(t);
  const a = { name: 'a' };
  const b = { name: 'b' };
  batcher.submit(job(a, 1));
  batcher.submit(job(b, 1, 1, { apply: async () => { throw new Error('UNIQUE constraint failed: rows.n'); } }));
  batcher.submit(job(b, 2));
  batcher.submit(job(a, 3));
  await nextTurn();
  t.same(rows(), ['a 1', 'a 3'], 'b 2 not stored after b 1 failed: no hole the agent would skip');
  t.same(log, ['ack a 1 inTransaction=false', 'ack a 3 inTransaction=false', 'failed b 1: UNIQUE constraint failed: rows.n']);
});

t.test('a half-applied frame leaves nothing behind (savepoint rollback)', async (t) => {
  const { db, batcher, job, rows } = rig(t);
  const a = { name: 'a' };
  const insert = db.prepare(`INSERT INTO rows (owner, n) VALUES (?, ?)`);
  batcher.submit(job(a, 1, 1, { apply: async () => { insert.run('a', 100); insert.run('a', 100); return () => {}; } }));
  batcher.submit(job({ name: 'b' }, 2));
  await nextTurn();
  t.same(rows(), ['b 2']);
});

t.test('when the commit itself fails every frame in it fails, and those agents\' queued frames are dropped', async (t) => {
  const log: string[] = [];
  let calls = 0;
  let outermost = false;
  const batcher = new IngestBatcher({
    unitOfWork: async (work) => {
      if (outermost) return work(); // a savepoint: the frame's own work
      calls++;
      outermost = true;
      try {
        await work();
      } finally {
        outermost = false;
      }
      throw new Error('SQLITE_FULL: database or disk is full');
    },
    maxWeight: 2,
  });
  const mk = (owner: object, name: string, weight = 1): IngestJob => ({
    owner, weight, isLive: () => true, apply: async () => () => log.push(`ack ${name}`), failed: (e) => log.push(`failed ${name}: ${(e as Error).message}`),
  });
  const a = {};
  const b = {};
  batcher.submit(mk(a, 'a1'));
  batcher.submit(mk(b, 'b1'));
  batcher.submit(mk(a, 'a2'));
  await nextTurn();
  await nextTurn();
  t.equal(calls, 1, 'a2 was dropped, not retried in a second transaction');
  t.same(log, ['failed a1: SQLITE_FULL: database or disk is full', 'failed b1: SQLITE_FULL: database or disk is full']);
});

t.test('frames of a closed session are not applied; after stop() nothing is accepted', async (t) => {
  const { batcher, job, log, rows } = rig(t);
  let live = true;
  batcher.submit(job({ name: 'a' }, 1, 1, { isLive: () => live }));
  live = false;
  batcher.submit(job({ name: 'b' }, 2));
  await batcher.stop();
  t.same(rows(), ['b 2'], 'stop() stored what was queued');
  batcher.submit(job({ name: 'c' }, 3));
  t.match(log.at(-1), /failed c 3: collector is shutting down/);
});

t.test('end to end: a burst from many agents is stored in few transactions and every agent gets its ack', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const sockets = await Promise.all(Array.from({ length: 40 }, async () => {
    const creds = await c.addAgent();
    const socket = await c.agentSocket(await creds);
    socket.send(JSON.stringify(hello()));
    await nextMessage(socket);
    return { socket, creds };
  }));
  const { batcher } = c.app.delivery;
  const before = batcher.committedTransactions;
  const acks = sockets.map(({ socket }) => nextMessage(socket));
  for (const { socket } of sockets) socket.send(JSON.stringify({ type: 'results', batch: [result(1), result(2)], backlog: 0 }));
  t.same(await Promise.all(acks), sockets.map(() => ({ type: 'ack', upTo: 2 })));
  const used = batcher.committedTransactions - before;
  t.ok(used < 40, `40 frames in ${used} transactions`);
  for (const { creds } of sockets) t.equal(await c.store.countResults(creds.agentId), 2);
  for (const { socket } of sockets) socket.close();
});
