/** Hand-computed cases: the SLA boundary to the millisecond, no data, maintenance, DST months, silence, gaps, late data, retention. */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import {
  availabilityFor, incidents, createMaintenance, deleteMaintenance, isInMaintenance, flushRollups, applyRetention, setCheckSla, monthRange,
} from '../../src/availability/index.ts';
import { availabilityFixture, res, MIN, HOUR, DAY } from './helpers.ts';
import { rawAll, rawValue } from '../helpers/raw-sql.ts';

const JUNE = monthRange('2026-06', 'Europe/Berlin'); // 30 days, no DST change

/** Results every `step` ms from `from` (inclusive) while < to, numbered from `seq`. */
function every(from: number, to: number, step: number, status: Status, seq: { next: number }, checkId = 'web'): Result[] {
  const out: Result[] = [];
  for (let at = from; at < to; at += step) out.push(res(seq.next++, checkId, at, status));
  return out;
}

/** A month of 1-minute results with one outage of `downMs` starting at day 10 noon. */
function monthWithOutage(downMs: number, [from, to]: [number, number]): Result[] {
  const seq = { next: 1 };
  const down = from + 9 * DAY + 12 * HOUR;
  // CRIT every minute, then the first OK exactly downMs after the outage began; OK every minute after that
  const crit = every(down, down + Math.floor(downMs / MIN) * MIN, MIN, 'CRIT', seq);
  const lastCrit = crit.at(-1)!.startedAt;
  if (down + downMs - lastCrit > 2 * MIN) throw new Error('outage would leave a hole');
  return [...every(from, down, MIN, 'OK', seq), ...crit, ...every(down + downMs, to, MIN, 'OK', seq)].map((r, i) => ({ ...r, seq: i + 1 }));
}

t.test('43.2 min of downtime in a 30-day month is exactly 99.9 %: met', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('exact');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await fx.ingest(agent, monthWithOutage(43.2 * MIN, JUNE));
  await flushRollups(fx.store);
  for (const [scope, id] of [['check', `${agent}/web`], ['host', agent], ['client', String(client)]] as const) {
    const f = await availabilityFor(fx.store, scope, id, '2026-06', JUNE[1] + DAY);
    t.equal(f.upMs + f.downMs, 30 * DAY, `${scope}: the whole month is measured`);
    t.equal(f.downMs, 2_592_000, `${scope}: 43.2 min down`);
    t.equal(f.met, true, `${scope}: met`);
    t.equal(f.availabilityPercent, '99.900');
    t.equal(f.budget.allowedMs, 2_592_000, 'the budget of 30 days at 99.9 % is 43.2 min');
    t.equal(f.budget.remainingMs, 0);
    t.equal(f.coverage, 1);
  }
});

t.test('43.2 min + 1 ms is not met, and the percentage rounds down to 99.899', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('over');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await fx.ingest(agent, monthWithOutage(43.2 * MIN + 1, JUNE));
  const before = await availabilityFor(fx.store, 'client', 'over', '2026-06', JUNE[1] + DAY); // straight from raw (nothing flushed)
  await flushRollups(fx.store);
  const f = await availabilityFor(fx.store, 'client', 'over', '2026-06', JUNE[1] + DAY);
  t.same(before, f, 'rollups and raw agree');
  t.equal(f.downMs, 2_592_001);
  t.equal(f.met, false);
  t.equal(f.availabilityPercent, '99.899');
  t.equal(f.budget.remainingMs, -1);
  t.ok(f.budget.burnRate! > 1, 'burning faster than the budget allows');
});

t.test('a month with no data has no figure (not 100 %)', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('empty');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await fx.ingest(agent, [res(1, 'web', JUNE[1] + DAY, 'OK')]); // data in July only
  const f = await availabilityFor(fx.store, 'client', String(client), '2026-06', JUNE[1] + 2 * DAY);
  t.equal(f.availability, null);
  t.equal(f.availabilityPercent, null);
  t.equal(f.met, null);
  t.equal(f.upMs + f.downMs, 0);
  t.equal(f.unknownMs, 30 * DAY);
  t.equal(f.coverage, 0);
});

t.test('maintenance is excluded: DOWN inside a window counts as MAINTENANCE; deleting the window brings it back', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('maint');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const day = JUNE[0] + 3 * DAY;
  const seq = { next: 1 };
  await fx.ingest(agent, [...every(day, day + 2 * HOUR, MIN, 'OK', seq), ...every(day + 2 * HOUR, day + 3 * HOUR, MIN, 'CRIT', seq), ...every(day + 3 * HOUR, day + DAY, MIN, 'OK', seq)]);
  await flushRollups(fx.store);
  const window = { from: day, to: day + DAY };
  const now = JUNE[1];
  t.equal((await availabilityFor(fx.store, 'check', `${agent}/web`, window, now)).downMs, HOUR);

  const w = await createMaintenance(fx.store, { clientId: client, agentId: agent, checkId: null, title: 'RAM upgrade', recurrence: 'once', startsAt: day + 2 * HOUR - 10 * MIN, endsAt: day + 3 * HOUR, localTime: null, durationMs: null, weekdays: null }, now);
  let f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, now);
  t.match(f, { downMs: 0, maintenanceMs: 70 * MIN, upMs: DAY - 70 * MIN, met: true, coverage: 1 });
  t.equal((await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, day + 2 * HOUR))?.title, 'RAM upgrade');
  t.equal(await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, day + 3 * HOUR), undefined, 'the end is exclusive');
  await flushRollups(fx.store);
  t.same(await availabilityFor(fx.store, 'check', `${agent}/web`, window, now), f, 'the same after the rollups were recomputed');

  t.ok(await deleteMaintenance(fx.store, w.id, now));
  await flushRollups(fx.store);
  f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, now);
  t.match(f, { downMs: HOUR, maintenanceMs: 0 });
});

t.test('DST months in Berlin: March has 743 hours, October 745', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('dst');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', 5 * MIN);
  const march = monthRange('2026-03', 'Europe/Berlin');
  const october = monthRange('2026-10', 'Europe/Berlin');
  t.equal(march[1] - march[0], 743 * HOUR);
  t.equal(october[1] - october[0], 745 * HOUR);
  t.equal(new Date(march[0]).toISOString(), '2026-02-28T23:00:00.000Z');
  t.equal(new Date(october[1]).toISOString(), '2026-10-31T23:00:00.000Z');
  const seq = { next: 1 };
  await fx.ingest(agent, every(march[0], march[1], 5 * MIN, 'OK', seq));
  await fx.ingest(agent, every(october[0], october[1], 5 * MIN, 'OK', seq));
  await flushRollups(fx.store);
  t.equal((await availabilityFor(fx.store, 'client', 'dst', '2026-03', october[1])).upMs, 743 * HOUR);
  t.equal((await availabilityFor(fx.store, 'client', 'dst', '2026-10', october[1])).upMs, 745 * HOUR);
  const days = (await rawAll<{ hours: number }>(fx.store, `SELECT (end_at - start_at) / 3600000 AS hours FROM availability_days WHERE check_id = 'web' AND start_at IN (?, ?)`,
    Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 9, 24, 22))).map((r) => r.hours);
  t.same(days.sort(), [23, 25], 'the DST days are local days of 23 and 25 hours');
});

t.test('recurring maintenance keeps local time across DST; a skipped local time moves forward', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('recur');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const now = Date.UTC(2026, 11, 1);
  await createMaintenance(fx.store, { clientId: client, agentId: null, checkId: null, title: 'nightly', recurrence: 'daily', startsAt: Date.UTC(2026, 0, 1), endsAt: null, localTime: '02:30', durationMs: 30 * MIN, weekdays: null }, now);
  const at = async (iso: string) => (await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, Date.parse(iso))) !== undefined;
  t.ok(await at('2026-03-28T01:30:00Z'), 'CET: 02:30 local is 01:30 UTC');
  t.ok(await at('2026-03-29T01:30:00Z'), 'spring forward: 02:30 does not exist, the window starts at 03:30 CEST = 01:30 UTC');
  t.notOk(await at('2026-03-29T00:30:00Z'));
  t.ok(await at('2026-03-30T00:30:00Z'), 'CEST: 02:30 local is 00:30 UTC');
  t.ok(await at('2026-10-25T00:30:00Z'), 'fall back: 02:30 happens twice; the window takes the first');
  t.notOk(await at('2026-10-25T01:30:00Z'));
  const weekly = await createMaintenance(fx.store, { clientId: client, agentId: agent, checkId: 'web', title: 'sundays', recurrence: 'weekly', startsAt: Date.UTC(2026, 0, 1), endsAt: null, localTime: '22:00', durationMs: 4 * HOUR, weekdays: 64 }, now);
  t.equal((await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, Date.parse('2026-06-07T21:30:00Z')))?.id, weekly.id, 'Sunday 23:30 CEST');
  t.equal((await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, Date.parse('2026-06-07T23:30:00Z')))?.id, weekly.id, 'runs past midnight into Monday (01:30 CEST)');
  t.equal(await isInMaintenance(fx.store, { agentId: agent, checkId: 'web' }, Date.parse('2026-06-08T21:30:00Z')), undefined, 'not on Monday evening');
});

t.test('silence and spool gaps are UNKNOWN; a late replay fills them and figures follow', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('late');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  const day = JUNE[0] + 5 * DAY;
  const window = { from: day, to: day + 4 * HOUR };
  const now = day + 4 * HOUR;
  await fx.ingest(agent, [res(1, 'web', day, 'OK'), res(200, 'web', day + 3 * HOUR, 'CRIT')]);
  await flushRollups(fx.store);
  let f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, now);
  t.match(f, { upMs: 2 * MIN, downMs: 2 * MIN, unknownMs: 4 * HOUR - 4 * MIN }, 'each result covers at most 2 × interval');
  t.equal(f.coverage, (4 * MIN) / (4 * HOUR));

  // the agent's spool comes back with the hours in between (a replay after an outage)
  const seq = { next: 2 };
  await fx.ingest(agent, every(day + MIN, day + 3 * HOUR, MIN, 'OK', seq));
  f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, now);
  t.match(f, { upMs: 3 * HOUR, downMs: 2 * MIN }, 'late data counts before the flush (dirty spans are computed raw)');
  await flushRollups(fx.store);
  t.same(await availabilityFor(fx.store, 'check', `${agent}/web`, window, now), f, 'and after it');

  await fx.gap(agent, { fromSeq: 500, toSeq: 520, from: day + HOUR, to: day + HOUR + 20 * MIN, reason: 'spool full' });
  f = await availabilityFor(fx.store, 'check', `${agent}/web`, window, now);
  t.match(f, { upMs: 3 * HOUR - 20 * MIN, downMs: 2 * MIN }, 'a gap is UNKNOWN even where an earlier result would cover it');
});

t.test('a host is down while a critical check is down; backup checks are not critical unless told', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('hosts');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await fx.check(agent, 'mail', MIN);
  await fx.check(agent, 'nightly', MIN, 'backup');
  const day = JUNE[0] + DAY;
  const seq = { next: 1 };
  await fx.ingest(agent, [
    ...every(day, day + HOUR, MIN, 'OK', seq, 'web'),
    ...every(day, day + 30 * MIN, MIN, 'OK', seq, 'mail'), ...every(day + 30 * MIN, day + 40 * MIN, MIN, 'CRIT', seq, 'mail'), ...every(day + 40 * MIN, day + HOUR, MIN, 'OK', seq, 'mail'),
    ...every(day, day + HOUR, MIN, 'CRIT', seq, 'nightly').map((r) => ({ ...r, kind: 'backup' })),
  ]);
  const window = { from: day, to: day + HOUR };
  t.match(await availabilityFor(fx.store, 'host', agent, window, day + HOUR), { downMs: 10 * MIN, upMs: 50 * MIN });
  t.match(await availabilityFor(fx.store, 'client', 'hosts', window, day + HOUR), { downMs: 10 * MIN, upMs: 110 * MIN }, 'client: web + mail, weight 1 each');
  await setCheckSla(fx.store, { agentId: agent, checkId: 'mail' }, { critical: false, weight: 3 }, day + HOUR);
  t.match(await availabilityFor(fx.store, 'host', agent, window, day + HOUR), { downMs: 0, upMs: HOUR });
  t.match(await availabilityFor(fx.store, 'client', 'hosts', window, day + HOUR), { downMs: 30 * MIN, upMs: HOUR + 150 * MIN }, 'mail weighs 3');
  const list = await incidents(fx.store, 'client', 'hosts', window, day + HOUR);
  t.equal(list.length, 1);
  t.match(list[0], { checkId: 'mail', from: day + 30 * MIN, to: day + 40 * MIN, durationMs: 10 * MIN, ongoing: false });
  t.match(list[0]!.cause, /^CRIT at /, 'the cause is the message of the first failing result');
});

t.test('retention deletes raw results but not the figures of old months', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('old');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', 5 * MIN);
  await fx.ingest(agent, monthWithOutage(30 * MIN, JUNE).filter((_, i) => i % 5 === 0).map((r, i) => ({ ...r, seq: i + 1 })));
  const now = JUNE[1] + 200 * DAY;
  const before = await availabilityFor(fx.store, 'client', 'old', '2026-06', now);
  const deleted = await applyRetention(fx.store, now, { rawDays: 90, hourlyDays: 100 });
  t.ok(deleted.results > 8000 && deleted.hours > 700, `raw results and hour rows went (${JSON.stringify(deleted)})`);
  t.equal(await rawValue(fx.store, `SELECT count(*) FROM results WHERE agent_id = ?`, agent), 0, 'no raw row left');
  t.equal(await fx.store.countResults(agent), deleted.results, 'storedResults counts what was ever stored, retention does not lower it');
  t.same(await availabilityFor(fx.store, 'client', 'old', '2026-06', now), before, 'June is answered from day rows');
});

t.test('bad requests fail with coded errors', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('bad');
  const agent = await fx.agent(client, 'srv');
  await fx.check(agent, 'web', MIN);
  await t.rejects(() => availabilityFor(fx.store, 'check', 'nope/web', '24h', 0), { code: 'NINES_ERR_NOT_FOUND' });
  await t.rejects(() => availabilityFor(fx.store, 'check', 'no-slash', '24h', 0), { code: 'NINES_ERR_NOT_FOUND' });
  await t.rejects(() => availabilityFor(fx.store, 'host', 'nope', '24h', 0), { code: 'NINES_ERR_NOT_FOUND' });
  await t.rejects(() => availabilityFor(fx.store, 'client', 'nobody', '24h', 0), { code: 'NINES_ERR_NOT_FOUND' });
  await t.rejects(() => availabilityFor(fx.store, 'client', 'bad', '2026-13', 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => availabilityFor(fx.store, 'client', 'bad', 'forever', 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => availabilityFor(fx.store, 'client', 'bad', { from: 10, to: 5 }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
  const base = { clientId: client, agentId: null, checkId: null, title: '', startsAt: 1000, endsAt: null, localTime: null, durationMs: null, weekdays: null };
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'once', endsAt: 500 }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'daily', localTime: '25:00', durationMs: HOUR }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'weekly', localTime: '22:00', durationMs: HOUR, weekdays: 0 }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'once', endsAt: 2000, checkId: 'web' }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'once', endsAt: 2000, clientId: 999 }, 0), { code: 'NINES_ERR_NOT_FOUND' });
  const other = await fx.agent(await fx.client('other'), 'x');
  await t.rejects(() => createMaintenance(fx.store, { ...base, recurrence: 'once', endsAt: 2000, agentId: other }, 0), { code: 'NINES_ERR_NOT_FOUND' }, 'a host of another client');
  await t.rejects(() => setCheckSla(fx.store, { agentId: agent, checkId: 'web' }, { critical: true, weight: -1 }, 0), { code: 'NINES_ERR_BAD_REQUEST' });
});
