/**
 * A frame's dirty-hour marks commit with its results (availability/service.ts listens to resultsInserting inside the
 * ingest transaction): at the moment the commit is announced (resultsStored, emitted right after the commit) the
 * hours are already marked, so no crash between the two can leave a late result's hour unmarked; and a frame rolled
 * back leaves no mark behind.
 */
import t from 'tap';
import { startCollector, nextMessage, result } from '../helpers/collector.ts';
import { HOUR_MS } from '../../src/availability/rollups.ts';

t.test('the marks are there when the commit is announced, in the same turn', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  const startedAt = Date.now() - 2 * HOUR_MS; // a late result: its hour may have been rolled up already
  const hour = Math.floor(startedAt / HOUR_MS) * HOUR_MS;
  // The read is asked for in the turn resultsStored fires; its answer may take a round trip (PostgreSQL).
  const seen: Array<Promise<number[]>> = [];
  c.app.nines.events.on('resultsStored', ({ agentId }) => void seen.push(c.store.availability.dirtyHoursBetween(agentId, 'web', hour - 1, hour + 1)));
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { startedAt, finishedAt: startedAt + 5, intervalMs: 60_000 })] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 1 });
  t.same(await Promise.all(seen), [[hour]], 'marked when resultsStored fires (the old post-commit queue wrote them a turn later)');
  t.equal(await c.store.countResults(creds.agentId), 1);
  socket.close();
});

t.test('a frame whose transaction is rolled back leaves neither results nor marks', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds } = await c.welcomedAgent();
  const startedAt = Date.now() - 2 * HOUR_MS;
  const hour = Math.floor(startedAt / HOUR_MS) * HOUR_MS;
  await t.rejects(c.store.unitOfWork(async () => {
    const outcome = await c.store.insertResults(creds.agentId, [result(1, { startedAt, finishedAt: startedAt + 5 })], Date.now());
    await c.app.nines.events.resultsInserting({ agentId: creds.agentId, inserted: outcome.newlyStored });
    t.same(await c.store.availability.dirtyHoursBetween(creds.agentId, 'web', hour - 1, hour + 1), [hour], 'marked inside the transaction');
    throw new Error('the commit fails');
  }), /the commit fails/);
  t.equal(await c.store.countResults(creds.agentId), 0);
  t.same(await c.store.availability.dirtyHoursBetween(creds.agentId, 'web', hour - 1, hour + 1), [], 'no mark without its results');
});
