import t, { type Test } from 'tap';
import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * A store with a pool, as PostgreSQL's: each outermost unit of work is a transaction of its own (a nested one runs
 * inside it), and a commit takes a round trip. It logs what happens in order and how many units were open at once.
 */
function poolRig(parallel: number, maxWeight = 1) {
  const context = new AsyncLocalStorage<number>();
  const log: string[] = [];
  let units = 0;
  let open = 0;
  let mostOpen = 0;
  const batcher = new IngestBatcher({
    parallel, maxWeight,
    unitOfWork: async (work) => {
      if (context.getStore() !== undefined) return work();
      const id = ++units;
      mostOpen = Math.max(mostOpen, ++open);
      log.push(`begin ${id}`);
      try {
        const result = await context.run(id, work);
        await nextTurn();
        log.push(`commit ${id}`);
        return result;
      } finally {
        open--;
      }
    },
  });
  const job = (owner: object, lane: string, name: string): IngestJob => ({
    owner, lane, weight: 1, isLive: () => true,
    apply: async () => {
      log.push(`apply ${name} in ${context.getStore()}`);
      await nextTurn(); // the statements' round trips
      await nextTurn();
      return () => log.push(`ack ${name}`);
    },
    failed: (error) => log.push(`failed ${name}: ${(error as Error).message}`),
  });
  return { batcher, job, log, mostOpen: () => mostOpen };
}

t.test('with a pool: two agents\' frames are stored in units of work side by side, in order per agent, acked after their commit', async (t) => {
  const { batcher, job, log, mostOpen } = poolRig(2);
  const a = {};
  const b = {};
  batcher.submit(job(a, 'A', 'a1'));
  batcher.submit(job(a, 'A', 'a2'));
  batcher.submit(job(b, 'B', 'b1'));
  batcher.submit(job(b, 'B', 'b2'));
  await batcher.flushAll();
  t.equal(mostOpen(), 2, 'two units of work were open at once');
  t.equal(batcher.committedTransactions, 4);
  // a2 waited for a1's unit (its lane was busy) and b1 did not wait for a2: units 1 and 2 are a1 and b1.
  t.same(log.filter((l) => l.startsWith('apply')), ['apply a1 in 1', 'apply b1 in 2', 'apply a2 in 3', 'apply b2 in 4']);
  const at = (line: string) => log.indexOf(line);
  t.ok(at('apply b1 in 2') < at('commit 1'), 'b1 was applied while a1\'s unit was still open');
  for (const [name, unit] of [['a1', 1], ['b1', 2], ['a2', 3], ['b2', 4]] as const) {
    t.ok(at(`commit ${unit}`) < at(`ack ${name}`), `${name} acked after its commit`);
  }
  t.ok(at('commit 1') < at('begin 3'), 'a2\'s unit began after a1\'s commit');
  t.ok(at('commit 2') < at('begin 4'), 'b2\'s unit began after b1\'s commit');
});

t.test('with a pool: one agent\'s frames from two sessions (a reconnect) are never in two units of work at once', async (t) => {
  const { batcher, job, log, mostOpen } = poolRig(4);
  batcher.submit(job({}, 'A', 'old session'));
  batcher.submit(job({}, 'A', 'new session'));
  await batcher.flushAll();
  t.equal(mostOpen(), 1);
  t.same(log, ['begin 1', 'apply old session in 1', 'commit 1', 'ack old session', 'begin 2', 'apply new session in 2', 'commit 2', 'ack new session']);
});

t.test('with a pool: a failed frame drops its agent\'s later frames while the other agent\'s go on', async (t) => {
  const { batcher, job, log } = poolRig(2);
  const a = {};
  const b = {};
  batcher.submit({ ...job(a, 'A', 'a1'), apply: async () => { await nextTurn(); throw new Error('statement failed'); } });
  batcher.submit(job(a, 'A', 'a2'));
  batcher.submit(job(b, 'B', 'b1'));
  batcher.submit(job(b, 'B', 'b2'));
  await batcher.flushAll();
  t.same(log.filter((l) => !l.startsWith('begin') && !l.startsWith('commit')), [
    'apply b1 in 2', 'failed a1: statement failed', 'ack b1', 'apply b2 in 3', 'ack b2',
  ]);
});
