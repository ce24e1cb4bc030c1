/**
 * The timer's flush leaves the running hour alone (every new result marks it dirty again at once) and rolls
 * up each hour once it has ended; the figures are exact either way, because queries compute a dirty hour from
 * raw results. Real SQLite, fixed clock.
 */
import t, { type Test } from 'tap';
import { availabilityFor, flushRollups } from '../../src/availability/index.ts';
import { startAvailability } from '../../src/availability/service.ts';
import { writeQueuedMarks } from '../../src/availability/rollups.ts';
import { availabilityFixture, res, HOUR, MIN } from './helpers.ts';

const H0 = Date.UTC(2026, 5, 10, 8); // 10:00 in Berlin, a whole UTC hour
const NOW = H0 + HOUR + 30 * MIN; // half-way through the second hour

async function scene(t: Test) {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('Praxis');
  const agent = await fx.agent(client, 'pc-empfang');
  await fx.check(agent, 'web', MIN);
  // A result every minute from H0 up to NOW: 90 results, all OK.
  await fx.ingest(agent, Array.from({ length: 90 }, (_, i) => res(i + 1, 'web', H0 + i * MIN, 'OK')));
  await writeQueuedMarks(fx.store); // as the collector does right after the I/O phase
  const dirty = () => fx.store.availability.dirtyHoursBetween(agent, 'web', H0 - HOUR, H0 + 3 * HOUR);
  const figure = () => availabilityFor(fx.store, 'check', `${agent}/web`, { from: H0, to: NOW }, NOW);
  return { fx, agent, dirty, figure };
}

t.test('endedBy: the hour that ended is rolled up, the running one stays dirty; the figure is exact before and after', async (t) => {
  const { fx, dirty, figure } = await scene(t);
  t.same(await dirty(), [H0, H0 + HOUR], 'both hours dirty after ingest');
  // Every minute covered: 90 minutes up, nothing else (the last result covers up to NOW: 2 × its interval).
  const expected = { upMs: 90 * MIN, downMs: 0, unknownMs: 0, maintenanceMs: 0 };
  t.match(await figure(), expected, 'from raw results');
  t.equal(await flushRollups(fx.store, { endedBy: NOW }), 2, 'the ended hour, its check and its host');
  t.same(await dirty(), [H0 + HOUR], 'the running hour is left for later');
  t.match(await figure(), expected, 'the ended hour from its row, the running one from raw');
  t.equal(await flushRollups(fx.store, { endedBy: H0 + 2 * HOUR }), 2, 'once over, the second hour too');
  t.same(await dirty(), []);
  t.match(await figure(), expected, 'both hours from rows');
});

t.test('the timer passes the collector clock: a running hour is not recomputed on every pass', async (t) => {
  const { fx, dirty, figure } = await scene(t);
  const service = startAvailability({ store: fx.store, events: fx.events, clock: () => NOW }, { error: (o: unknown) => t.fail(String(o)), info: () => {} }, { flushEveryMs: 10, retentionEveryMs: 3_600_000 });
  t.teardown(() => service.stop());
  for (let i = 0; i < 200 && (await dirty()).includes(H0); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(await dirty(), [H0 + HOUR], 'the timer rolled up the ended hour and left the running one dirty');
  await new Promise((resolve) => setTimeout(resolve, 50)); // several more passes
  t.same(await dirty(), [H0 + HOUR], 'still dirty after more passes');
  t.match(await figure(), { upMs: 90 * MIN, downMs: 0, unknownMs: 0 });
});
