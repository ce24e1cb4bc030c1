/**
 * Heartbeat bars: the pure cell computation (spans, a cell's colour, the words for screen readers), the cells a
 * host's stored results make — from raw data and from the hour rollups alike — and the in-memory cache that keeps
 * the finished cells and rereads only what an event touched.
 */
import t from 'tap';
import type { Result } from '@nines/shared';
import { beatCell, beatSpans, beatSummary, cellState, BEAT_CELLS, BEAT_CELL_MS } from '../../src/availability/heartbeat-cells.ts';
import { hostBeatCells } from '../../src/availability/heartbeat.ts';
import { hostTotals } from '../../src/availability/query.ts';
import { flushRollups } from '../../src/availability/rollups.ts';
import { HostBeats } from '../../src/live/host-beats.ts';
import { availabilityFixture, res, HOUR, MIN } from './helpers.ts';

const totals = (upMs: number, downMs: number, unknownMs: number, maintenanceMs: number) => ({ upMs, downMs, unknownMs, maintenanceMs });

t.test('spans: 24 adjacent hours ending with the running one, cut at now', async (t) => {
  const now = Date.UTC(2026, 10, 5, 14, 37, 12);
  const spans = beatSpans(now);
  t.equal(spans.length, BEAT_CELLS);
  t.equal(spans[0]![0], Date.UTC(2026, 10, 5, 14) - (BEAT_CELLS - 1) * BEAT_CELL_MS, 'starts 23 whole hours before the running hour');
  t.equal(spans.at(-1)![1], now, 'the last cell ends at now');
  for (let i = 1; i < spans.length; i++) t.equal(spans[i]![0], spans[i - 1]![1], `cell ${i} follows its neighbour`);
  t.ok(spans.slice(0, -1).every(([a, b]) => b - a === BEAT_CELL_MS), 'the finished cells are whole hours');
  const atHour = beatSpans(Date.UTC(2026, 10, 5, 14));
  t.equal(atHour.at(-1)![1] - atHour.at(-1)![0], 1, 'at the stroke of the hour the running cell is 1 ms, never empty');
});

t.test("a cell's colour is its worst state; nothing measured is no data", async (t) => {
  t.equal(cellState(totals(HOUR, 0, 0, 0)), 'UP');
  t.equal(cellState(totals(HOUR - 1, 1, 0, 0)), 'DOWN', '1 ms down is down');
  t.equal(cellState(totals(HOUR - 2, 1, 1, 0)), 'DOWN', 'down beats unknown');
  t.equal(cellState(totals(HOUR - 1, 0, 1, 0)), 'UNKNOWN', 'a part without data is not known to be up');
  t.equal(cellState(totals(0, 0, HOUR, 0)), 'NONE', 'no data at all');
  t.equal(cellState(totals(0, 0, 0, HOUR)), 'MAINTENANCE');
  t.equal(cellState(totals(HOUR / 2, 0, 0, HOUR / 2)), 'MAINTENANCE', 'maintenance stays visible beside up');
  t.equal(cellState(totals(0, 0, HOUR / 2, HOUR / 2)), 'UNKNOWN', 'maintenance with a part unmeasured');
  t.equal(cellState(totals(0, 0, 0, 0)), 'NONE', 'an empty cell');
});

t.test('the summary: up share over all cells, rounded down, and the cells with downtime', async (t) => {
  const cells = await [beatCell(0, HOUR, totals(HOUR, 0, 0, 0)), beatCell(HOUR, 2 * HOUR, totals(HOUR - 7 * MIN, 7 * MIN, 0, 0)), beatCell(2 * HOUR, 3 * HOUR, totals(0, 0, HOUR, 0))];
  const up = 2 * HOUR - 7 * MIN;
  const exact = (100 * up) / (2 * HOUR);
  const s = beatSummary(cells);
  t.equal(s.downCells, 1);
  t.equal(s.upPercent, (Math.floor(exact * 1000) / 1000).toFixed(3), `${s.upPercent} % from ${up} of ${2 * HOUR} ms measured`);
  t.same(beatSummary([beatCell(0, HOUR, totals(0, 0, HOUR, 0))]), { upPercent: null, downCells: 0 }, 'no data: no figure, never 100 %');
});

t.test('a host: a run of failures colours exactly the hours it touches, a gap is no data, raw and rollups agree', async (t) => {
  const f = await availabilityFixture();
  t.teardown(f.close);
  const clientId = await f.client('acme', 'UTC');
  const agent = await f.agent(clientId, 'pc-01');
  const INTERVAL = 10 * MIN;
  await f.check(agent, 'web', INTERVAL);
  const now = Date.UTC(2026, 10, 5, 14, 25);
  const spans = beatSpans(now);
  const from = spans[0]![0];
  // The scenario: a result every interval over the whole bar, except an hour the spool dropped (a gap) and a run of
  // failures that starts 20 min into an hour and lasts FAILING intervals.
  const gapHour = from + 3 * HOUR;
  const downFrom = from + 10 * HOUR + 20 * MIN;
  const FAILING = 9;
  const downTo = downFrom + FAILING * INTERVAL;
  const results: Result[] = [];
  let seq = 0;
  for (let at = from - INTERVAL; at < now; at += INTERVAL) {
    seq++;
    if (at >= gapHour && at < gapHour + HOUR) continue;
    results.push(res(seq, 'web', at, at >= downFrom && at < downTo ? 'CRIT' : 'OK', { intervalMs: INTERVAL }));
  }
  await f.ingest(agent, results);
  await f.gap(agent, { fromSeq: 1_000, toSeq: 1_005, from: gapHour, to: gapHour + HOUR, reason: 'spool full' });
  const expectedDown = Math.floor((downTo - 1) / HOUR) - Math.floor(downFrom / HOUR) + 1;

  const check = async (cells: ReturnType<typeof hostBeatCells>, how: string) => {
    t.equal((await cells).length, BEAT_CELLS, `${how}: one cell per span`);
    const down = (await cells).filter((c) => c.state === 'DOWN');
    t.equal(down.length, expectedDown, `${how}: ${down.length} down cells, ${expectedDown} expected from ${FAILING} failures from ${new Date(downFrom).toISOString()}`);
    t.equal(down.reduce((s, c) => s + c.downMs, 0), downTo - downFrom, `${how}: the down cells hold the failing run's duration`);
    t.equal(down[0]!.from, Math.floor(downFrom / HOUR) * HOUR, `${how}: the first down cell is the run's first hour`);
    const gapCell = (await cells).find((c) => c.from === gapHour)!;
    t.equal(gapCell.state, 'NONE', `${how}: the dropped hour has no data`);
    t.equal(gapCell.unknownMs, HOUR);
    t.ok((await cells).filter((c) => c.from !== gapHour && !down.includes(c)).every((c) => c.state === 'UP'), `${how}: every other cell is up`);
    const total = await hostTotals(f.store, agent, 'UTC', from, now);
    const sum = (await cells).reduce((s, c) => ({ up: s.up + c.upMs, down: s.down + c.downMs, unknown: s.unknown + c.unknownMs }), { up: 0, down: 0, unknown: 0 });
    t.same(sum, { up: total.upMs, down: total.downMs, unknown: total.unknownMs }, `${how}: the cells add up to the host's figure`);
  };
  await check(hostBeatCells(f.store, agent, spans), 'from raw results');
  await flushRollups(f.store);
  t.equal((await f.store.availability.dirtyHoursBetween(agent, '', from - HOUR, now)).length, 0, 'everything rolled up');
  await check(hostBeatCells(f.store, agent, spans), 'from hour rollups');
});

t.test('the cache: finished cells kept, a late result rereads from its hour, a repeated state rereads nothing', async (t) => {
  const f = await availabilityFixture();
  t.teardown(f.close);
  const clientId = await f.client('acme', 'UTC');
  const agent = await f.agent(clientId, 'pc-01');
  const INTERVAL = 10 * MIN;
  await f.check(agent, 'web', INTERVAL);
  let now = Date.UTC(2026, 10, 5, 14, 25);
  const spans = beatSpans(now);
  const hole = spans[5]![0]; // an hour without results, filled later by a replay
  let seq = 0;
  const late: Result[] = [];
  const early: Result[] = [];
  for (let at = spans[0]![0] - INTERVAL; at < now; at += INTERVAL) {
    (at >= hole && at < hole + HOUR ? late : early).push(res(++seq, 'web', at, 'OK', { intervalMs: INTERVAL }));
  }
  await f.ingest(agent, early);
  const beats = new HostBeats(f.store);
  const first = await beats.cells(agent, now, 'web:OK');
  // The result before the hole counts 2 × its interval, so its second interval reaches into the hole.
  t.equal(first[5]!.state, 'UNKNOWN', 'the hole is mostly without data');
  t.equal(first[5]!.upMs, 2 * INTERVAL - INTERVAL, 'up only as far as the result before it counts');
  t.equal(await beats.cells(agent, now + 1_000, 'web:OK'), first, 'unmarked: the same cells, not recomputed');
  beats.mark(agent, now);
  t.equal(await beats.cells(agent, now + 2_000, 'web:OK'), first, 'a mark in the running hour with the same states: kept');

  await f.ingest(agent, late);
  beats.mark(agent, hole);
  now += 3_000;
  const filled = await beats.cells(agent, now, 'web:OK');
  t.equal(filled[5]!.state, 'UP', 'the replayed hour is up now');
  t.equal(filled[4], first[4], 'the finished cells before it were kept as they were');

  await f.ingest(agent, [res(++seq, 'web', now, 'CRIT', { intervalMs: INTERVAL })]);
  beats.mark(agent, now);
  const failing = await beats.cells(agent, now + 1_000, 'web:CRIT');
  t.equal(failing.at(-1)!.state, 'DOWN', 'a state change rereads the running hour');
  t.equal(failing[5], filled[5], 'and only that');
});

t.test('the cache: a change of states alone (a reconnect) rereads the running hour, no more', async (t) => {
  const f = await availabilityFixture();
  t.teardown(f.close);
  const agent = await f.agent(await f.client('acme', 'UTC'), 'pc-01');
  const INTERVAL = 10 * MIN;
  await f.check(agent, 'web', INTERVAL);
  const now = Date.UTC(2026, 10, 5, 14, 25);
  const spans = beatSpans(now);
  let seq = 0;
  const cutoff = now - 3 * INTERVAL; // the agent went away here; what came after is spooled
  const results: Result[] = [];
  const replay: Result[] = [];
  for (let at = spans[0]![0] - INTERVAL; at < now; at += INTERVAL) (at < cutoff ? results : replay).push(res(++seq, 'web', at, 'OK', { intervalMs: INTERVAL }));
  await f.ingest(agent, results);
  const beats = new HostBeats(f.store);
  const offline = await beats.cells(agent, now, 'connected:false web:OK');
  const lastAt = results.at(-1)!.startedAt;
  t.equal(offline.at(-1)!.state, 'UNKNOWN', 'the running hour is partly without data');
  t.equal(offline.at(-1)!.upMs, lastAt + 2 * INTERVAL - spans.at(-1)![0], 'up as far as the last result counts');
  // The agent comes back and replays what it spooled: the check's state is OK as before, only the connection changed.
  await f.ingest(agent, replay);
  t.equal(await beats.cells(agent, now + 1_000, 'connected:false web:OK'), offline, 'the same states: kept');
  const online = await beats.cells(agent, now + 2_000, 'connected:true web:OK');
  t.equal(online.at(-1)!.state, 'UP', 'the reconnect rereads the running hour: up all along');
  t.equal(online[0], offline[0], 'the finished hours were kept');
});
