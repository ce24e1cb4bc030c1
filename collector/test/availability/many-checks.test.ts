/**
 * Figures of many checks at once (many-checks.ts) against the same figures check by check: a client of three hosts
 * whose checks went down and up, with a gap, a maintenance window, rolled-up hours and hours still dirty, read in
 * chunks smaller than the client so that every chunk boundary is crossed.
 */
import t from 'tap';
import { checkTotals, checksOfClient, createMaintenance, flushRollups, incidents, ongoingIncidentCount, totalsOfChecks } from '../../src/availability/index.ts';
import { availabilityFixture, res, DAY, HOUR, MIN } from './helpers.ts';

const T0 = Date.UTC(2026, 2, 2); // a Monday, far from the DST change
const NOW = T0 + 3 * DAY + 5 * HOUR + 17 * MIN;

t.test('many checks at once give what each check gives alone', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const clientId = await fx.client('acme');
  const other = await fx.client('other'); // its checks must not leak into acme's figures
  const hosts = [await fx.agent(clientId, 'pc-1'), await fx.agent(clientId, 'pc-2'), await fx.agent(clientId, 'pc-3')];
  const stranger = await fx.agent(other, 'pc-x');
  // Per host: a check up all along, one that failed and recovered, one failing until now (on pc-3 in maintenance now).
  let seq = 0;
  for (const agentId of [...hosts, stranger]) {
    await fx.check(agentId, 'web', 5 * MIN);
    await fx.check(agentId, 'flaky', MIN);
    await fx.check(agentId, 'down', 2 * MIN);
    const results = [];
    for (let at = T0; at < NOW; at += 5 * MIN) results.push(res(++seq, 'web', at, 'OK'));
    for (let at = T0; at < NOW; at += MIN) results.push(res(++seq, 'flaky', at, at >= T0 + DAY + 2 * HOUR && at < T0 + DAY + 3 * HOUR ? 'CRIT' : 'OK'));
    for (let at = T0; at < NOW; at += 2 * MIN) results.push(res(++seq, 'down', at, at >= NOW - 40 * MIN ? 'CRIT' : 'OK'));
    await fx.ingest(agentId, results.slice(0, Math.floor(results.length / 2)));
    await flushRollups(fx.store); // the first half rolled up; the second half's hours stay dirty
    await fx.ingest(agentId, results.slice(Math.floor(results.length / 2)));
  }
  await fx.gap(hosts[1]!, { fromSeq: 900_000, toSeq: 900_089, from: T0 + 2 * DAY, to: T0 + 2 * DAY + 90 * MIN, reason: 'spool full' });
  await createMaintenance(fx.store, {
    clientId, agentId: hosts[2]!, checkId: null, title: 'patch day', recurrence: 'once',
    startsAt: NOW - 30 * MIN, endsAt: NOW + HOUR, localTime: null, durationMs: null, weekdays: null,
  }, NOW);

  const checks = await checksOfClient(fx.store, clientId);
  t.equal(checks.length, 9, 'three hosts of three checks each');
  const windows = { month: [Date.UTC(2026, 1, 28, 23), NOW], day: [NOW - DAY, NOW], hours: [T0 + DAY + 90 * MIN, T0 + 2 * DAY + 30 * MIN] } as const;
  for (const [name, [from, to]] of Object.entries(windows)) {
    const alone = await Promise.all(checks.map((c) => checkTotals(fx.store, c, from, to)));
    t.same(await totalsOfChecks(fx.store, checks, from, to, 2), alone, `${name}: in chunks of 2`);
    t.same(await totalsOfChecks(fx.store, checks, from, to), alone, `${name}: in one chunk`);
  }
  // The scenario's DOWN at now: 'down' on pc-1 and pc-2 (pc-3's is in maintenance); 'flaky' recovered long ago.
  const listed = (await incidents(fx.store, 'client', String(clientId), { from: NOW - HOUR, to: NOW }, NOW)).filter((i) => i.ongoing).length;
  t.equal(listed, 2, 'incidents lists two ongoing');
  t.equal(await ongoingIncidentCount(fx.store, checks, NOW - HOUR, NOW, 2), 2, 'counted in chunks of 2: two ongoing');
  t.equal(await ongoingIncidentCount(fx.store, checks, NOW - HOUR, NOW), 2, 'counted in one chunk: two ongoing');

  await flushRollups(fx.store);
  const [from, to] = windows.month;
  t.same(await totalsOfChecks(fx.store, checks, from, to, 4), await Promise.all(checks.map((c) => checkTotals(fx.store, c, from, to))), 'after the flush: the same');
});

t.test('no checks, or an empty window', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const clientId = await fx.client('acme');
  const agentId = await fx.agent(clientId, 'pc-1');
  await fx.check(agentId, 'web', MIN);
  await fx.ingest(agentId, [res(1, 'web', T0, 'CRIT')]);
  const checks = await checksOfClient(fx.store, clientId);
  t.same(await totalsOfChecks(fx.store, [], T0, NOW), [], 'no checks: no totals');
  t.same(await totalsOfChecks(fx.store, checks, T0, T0), [{ upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 }], 'an empty window: zero');
  t.equal(await ongoingIncidentCount(fx.store, checks, T0, T0), 0, 'an empty window: nothing ongoing');
  t.equal(await ongoingIncidentCount(fx.store, checks, T0, T0 + MIN), 1, 'down from its first result on');
});
