/**
 * The overview (collectStatus) computes 24 h availability for all checks of an agent with what it read once
 * per agent; these cases pin it to availabilityFor, the one engine reports and the dashboard use.
 */
import t from 'tap';
import type { Result, Status } from '@nines/shared';
import { availabilityFor, createMaintenance, flushRollups, setCheckSla } from '../src/availability/index.ts';
import { collectStatus } from '../src/status.ts';
import { availabilityFixture, res, MIN, HOUR, DAY } from './availability/helpers.ts';

const START = Date.UTC(2026, 5, 1, 0, 0, 0);

/** Results every `step` ms in [from, to), status by `statusAt`. */
function series(checkId: string, from: number, to: number, step: number, seq: { next: number }, statusAt: (at: number) => Status): Result[] {
  const out: Result[] = [];
  for (let at = from; at < to; at += step) out.push(res(seq.next++, checkId, at, statusAt(at)));
  return out;
}

t.test('availability24h of every check equals availabilityFor: rollups, dirty hours, gaps, maintenance, time zones, no data', async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const berlin = await fx.client('berlin', 'Europe/Berlin');
  const tokyo = await fx.client('tokyo', 'Asia/Tokyo');
  const a = await fx.agent(berlin, 'srv-a');
  const b = await fx.agent(tokyo, 'srv-b');
  await fx.check(a, 'web', MIN);
  await fx.check(a, 'mail', 5 * MIN);
  await fx.check(a, 'never', MIN); // configured, no result yet: null, never 100 %
  await fx.check(b, 'web', MIN);
  await fx.check(b, 'backup', HOUR, 'backup');
  await setCheckSla(fx.store, { agentId: b, checkId: 'web' }, { critical: false, weight: 2 }, START);

  const seqA = { next: 1 };
  const seqB = { next: 1 };
  const end = START + 2 * DAY;
  // Two days of history with outages and a flapping check; rolled up like a collector that has run for days.
  await fx.ingest(a, series('web', START, end - 3 * HOUR, MIN, seqA, (at) => ((at - START) % (7 * HOUR) < 17 * MIN ? 'CRIT' : 'OK')));
  await fx.ingest(a, series('mail', START, end - 3 * HOUR, 5 * MIN, seqA, (at) => ((at / (5 * MIN)) % 3 === 0 ? 'WARN' : 'OK')));
  await fx.ingest(b, series('web', START, end - 3 * HOUR, MIN, seqB, (at) => ((at - START) % (5 * HOUR) < 41 * MIN ? 'CRIT' : 'OK')));
  await fx.ingest(b, series('backup', START, end - 3 * HOUR, HOUR, seqB, () => 'OK'));
  await flushRollups(fx.store);
  await fx.gap(a, { fromSeq: seqA.next, toSeq: seqA.next + 9, from: end - 3 * HOUR, to: end - 2 * HOUR - 20 * MIN, reason: 'spool full' });
  seqA.next += 10;
  await createMaintenance(fx.store, { clientId: tokyo, agentId: b, checkId: null, title: 'patching', recurrence: 'once', startsAt: end - 150 * MIN, endsAt: end - 100 * MIN, localTime: null, durationMs: null, weekdays: null }, end);
  // The newest hours arrive after the flush: dirty hours and queued marks, computed from raw results.
  await fx.ingest(a, series('web', end - 2 * HOUR, end, MIN, seqA, (at) => (at % (13 * MIN) === 0 ? 'CRIT' : 'OK')));
  await fx.ingest(b, series('web', end - 3 * HOUR, end, MIN, seqB, () => 'OK'));

  const ctx = { store: fx.store, clock: () => now };
  let now = 0;
  for (const at of [end, end + 17 * MIN + 123, end + 59 * MIN + 59_999, end + 3 * HOUR + 1]) {
    now = at;
    const status = await collectStatus(ctx);
    const figures = status.agents.flatMap((agent) => agent.checks.map((check) => ({ id: `${agent.id}/${check.id}`, got: check.availability24h })));
    t.equal(figures.length, 5, 'every check is in the overview');
    for (const { id, got } of figures) {
      t.equal(got, (await availabilityFor(fx.store, 'check', id, '24h', now)).availability, `${id} at end + ${at - end} ms`);
    }
    t.equal(figures.find((f) => f.id === `${a}/never`)!.got, null, 'a check without results has no figure');
    t.ok(figures.filter((f) => f.got !== null && f.got < 1).length >= 2, 'the outages show (the comparison is not all 100 %)');
  }
  now = end;
  t.same((await collectStatus(ctx, tokyo)).agents.map((agent) => agent.id), [b], 'one client: only its agents');
});
