import t, { type Test } from 'tap';
import type { FastifyBaseLogger } from 'fastify';
import { startCollector, result, type TestCollector } from '../helpers/collector.ts';
import { PASS_DELAY_MS, type AlertingService } from '../../src/alerting/service.ts';
import { rawValue } from '../helpers/raw-sql.ts';

/** Stores a batch and announces it exactly as ingest does after its commit. */
async function ingest(c: TestCollector, agentId: string, batch: ReturnType<typeof result>[]): Promise<void> {
  const now = Date.now();
  const outcome = await c.store.insertResults(agentId, batch, now);
  c.app.nines.events.emit('resultsStored', { agentId, clientId: (await c.store.getAgent(agentId))!.clientId, inserted: outcome.newlyStored, receivedAt: now });
}

const cursorOf = async (c: TestCollector, agentId: string) =>
  (await rawValue<number>(c.store, `SELECT last_seq FROM alert_cursors WHERE agent_id = ?`, agentId)) ?? 0;

const alertState = (c: TestCollector, agentId: string, checkId: string) =>
  rawValue<string>(c.store, `SELECT state FROM alerts WHERE agent_id = ? AND kind = 'check' AND subject = ?`, agentId, checkId);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Waits (bounded: a few pass delays) until `done` holds; the caller asserts what it then sees. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (const started = Date.now(); !(await done()) && Date.now() - started < 5 * PASS_DELAY_MS + 2_000;) await sleep(20);
}

async function rig(t: Test) {
  const c = await startCollector();
  t.teardown(c.close);
  const service = c.app.alerting;
  await service.start({ alerting: { failuresToFire: 2, tick: '1h' } });
  const passes: string[][] = [];
  /** Passes that have ended: on a network database a pass takes turns to finish after it began. */
  const finished = { count: 0 };
  const evaluateStored = service.engine.evaluateStored.bind(service.engine);
  service.engine.evaluateStored = async (agentIds?: Iterable<string>) => {
    const ids = agentIds ? [...agentIds] : ['*all*'];
    passes.push(ids);
    try {
      return await evaluateStored(ids[0] === '*all*' ? undefined : ids);
    } finally {
      finished.count++;
    }
  };
  return { c, service, passes, finished };
}

t.test('stored results are evaluated after the I/O phase, not inside the emitting (ack) call', async (t) => {
  const { c } = await rig(t);
  const { agentId } = await c.addAgent('acme');
  await ingest(c, agentId, [result(1, { status: 'CRIT' }), result(2, { status: 'CRIT' })]);
  t.equal(await cursorOf(c, agentId), 0, 'nothing evaluated synchronously on the ingest path');
  t.equal(await alertState(c, agentId, 'web'), undefined);
  await nextTurn();
  t.equal(await cursorOf(c, agentId), 0, 'not on the next turn either: frames of a second are gathered into one pass (PASS_DELAY_MS)');
  await until(async () => (await cursorOf(c, agentId)) === 2);
  t.equal(await cursorOf(c, agentId), 2, 'evaluated after the pass delay');
  t.equal(await alertState(c, agentId, 'web'), 'FIRING', 'two failures fire the alert, as before');
});

t.test('a burst of frames from many agents costs one pass per agent, and only those agents', async (t) => {
  const { c, passes, finished } = await rig(t);
  const a = (await c.addAgent('acme')).agentId;
  const b = (await c.addAgent('acme')).agentId;
  const quiet = (await c.addAgent('bakery')).agentId;
  // stored without an event (as if the process died between commit and evaluation)
  await c.store.insertResults(quiet, [result(1, { status: 'CRIT' }), result(2, { status: 'CRIT' })], Date.now());
  for (let seq = 1; seq <= 20; seq++) {
    await ingest(c, a, [result(seq, { status: 'CRIT' })]);
    await ingest(c, b, [result(seq)]);
  }
  t.same(passes, [], 'no pass yet');
  // One pass delay later; each turn has an 8 ms budget (PASS_BUDGET_MS): on a loaded machine b's pass may come a turn after a's.
  await until(() => finished.count >= 2);
  t.same(passes, [[a], [b]], 'one pass for each agent that stored, none for the rest');
  t.equal(await cursorOf(c, a), 20);
  t.equal(await cursorOf(c, b), 20);
  t.equal(await cursorOf(c, quiet), 0, 'an agent without an event is not scanned on the ingest path');
  t.equal(await alertState(c, a, 'web'), 'FIRING');
  t.equal(await alertState(c, b, 'web'), 'OK');
});

t.test('what was stored but never evaluated is caught up by the next tick (cursors in the database)', async (t) => {
  const { c, service, passes } = await rig(t);
  const quiet = (await c.addAgent('bakery')).agentId;
  await c.store.insertResults(quiet, [result(1, { status: 'CRIT' }), result(2, { status: 'CRIT' })], Date.now());
  await service.runOnce();
  t.same(passes, [['*all*']], 'the tick scans every agent behind');
  t.equal(await cursorOf(c, quiet), 2);
  t.equal(await alertState(c, quiet, 'web'), 'FIRING');
});

t.test('results stored before start() are evaluated by start(), events before it are ignored', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const service: AlertingService = c.app.alerting;
  const { agentId } = await c.addAgent('acme');
  await ingest(c, agentId, [result(1, { status: 'CRIT' }), result(2, { status: 'CRIT' })]);
  await nextTurn();
  t.equal(await cursorOf(c, agentId), 0, 'not started: not judged by default thresholds');
  await service.start({ alerting: { failuresToFire: 2, tick: '1h' } });
  t.equal(await cursorOf(c, agentId), 2, 'start catches up');
});

t.test('a failing pass is logged, does not throw into ingest, and the next tick retries it', async (t) => {
  const { c, service } = await rig(t);
  const errors: string[] = [];
  (service as unknown as { log: Pick<FastifyBaseLogger, 'error'> }).log = { error: (_o: unknown, m?: string) => void errors.push(String(m)) } as never;
  const { agentId } = await c.addAgent('acme');
  const original = service.engine.evaluateStored;
  service.engine.evaluateStored = () => {
    throw new Error('database is locked');
  };
  await ingest(c, agentId, [result(1, { status: 'CRIT' })]);
  await until(() => errors.length > 0);
  t.match(errors, [/alert evaluation failed/]);
  t.equal(await cursorOf(c, agentId), 0);
  service.engine.evaluateStored = original;
  await service.runOnce();
  t.equal(await cursorOf(c, agentId), 1, 'caught up');
});

t.test('stop() cancels a queued pass (no work against a closed database)', async (t) => {
  const { c, service, passes } = await rig(t);
  const { agentId } = await c.addAgent('acme');
  await ingest(c, agentId, [result(1)]);
  service.stop();
  await sleep(PASS_DELAY_MS + 200);
  t.same(passes, []);
});
