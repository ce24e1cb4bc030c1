import t from 'tap';
import { localTimeSchedule } from '../../src/schedule/rule.ts';

// Local-time rules across DST transitions and month ends: each expected instant is written out in UTC.

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
/** The first `n` slots after `from`. */
function slots(schedule: ReturnType<typeof localTimeSchedule>, from: string, n: number): string[] {
  const out: string[] = [];
  let after = at(from);
  for (let i = 0; i < n; i++) out.push(iso((after = schedule.next(after))));
  return out;
}

t.test('Europe/Berlin, spring forward 2026-03-29 (02:00 → 03:00)', async (t) => {
  const early = localTimeSchedule({ at: '02:30', timezone: 'Europe/Berlin' });
  t.same(slots(early, '2026-03-28T12:00:00Z', 2), ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    '02:30 does not exist that night: it runs once, at 03:00 CEST, then at 02:30 CEST again');
  const morning = localTimeSchedule({ at: '08:00', timezone: 'Europe/Berlin' });
  t.same(slots(morning, '2026-03-28T12:00:00Z', 1), ['2026-03-29T06:00:00.000Z'], '08:00 CEST is 06:00Z');
});

t.test('Europe/Berlin, fall back 2026-10-25 (03:00 → 02:00)', async (t) => {
  const early = localTimeSchedule({ at: '02:30', timezone: 'Europe/Berlin' });
  t.same(slots(early, '2026-10-24T12:00:00Z', 2), ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    '02:30 happens twice that night; the job runs once, at the first (CEST), and next at 02:30 CET the day after');
  const morning = localTimeSchedule({ at: '08:00', timezone: 'Europe/Berlin' });
  t.same(slots(morning, '2026-10-24T12:00:00Z', 1), ['2026-10-25T07:00:00.000Z'], '08:00 CET is 07:00Z');
});

t.test('America/New_York, spring forward 2026-03-08: 02:30 runs once at 03:00 EDT', async (t) => {
  const s = localTimeSchedule({ at: '02:30', timezone: 'America/New_York' });
  t.same(slots(s, '2026-03-07T12:00:00Z', 2), ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
});

t.test('Australia/Sydney (southern DST), fall back 2026-04-05: 02:30 runs once, at the AEDT one', async (t) => {
  const s = localTimeSchedule({ at: '02:30', timezone: 'Australia/Sydney' });
  t.same(slots(s, '2026-04-04T00:00:00Z', 2), ['2026-04-04T15:30:00.000Z', '2026-04-05T16:30:00.000Z']);
});

t.test('month boundary: the 1st at 08:00 Berlin after 2026-11-30T23:30Z is 2026-12-01T07:00Z', async (t) => {
  const s = localTimeSchedule({ at: '08:00', timezone: 'Europe/Berlin', dayOfMonth: 1 });
  t.same(slots(s, '2026-11-30T23:30:00Z', 2), ['2026-12-01T07:00:00.000Z', '2027-01-01T07:00:00.000Z']);
  t.equal(s.description, 'day 1 of the month 08:00 Europe/Berlin');
});

t.test('weekday: monday 07:00 Berlin, strictly after the given instant', async (t) => {
  const s = localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', weekday: 'monday' });
  t.same(slots(s, '2026-11-25T12:00:00Z', 2), ['2026-11-30T06:00:00.000Z', '2026-12-07T06:00:00.000Z'], 'Mondays, 07:00 CET');
  t.equal(s.next(at('2026-11-30T06:00:00Z')), at('2026-12-07T06:00:00Z'), 'a slot is not its own successor');
  t.equal(s.description, 'monday 07:00 Europe/Berlin');
});

t.test('bad rules are refused with a clear error', async (t) => {
  t.throws(() => localTimeSchedule({ at: '7:00', timezone: 'Europe/Berlin' }), /invalid time "7:00" \(use HH:MM/);
  t.throws(() => localTimeSchedule({ at: '24:00', timezone: 'Europe/Berlin' }), /invalid time "24:00"/);
  t.throws(() => localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlinn' }), /unknown time zone "Europe\/Berlinn"/);
  t.throws(() => localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', dayOfMonth: 31 }), /invalid day of the month 31 \(use 1–28/);
  t.throws(() => localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', dayOfMonth: 1, weekday: 'monday' }), /not both/);
  t.throws(() => localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', weekday: 'montag' as 'monday' }), /invalid weekday "montag"/);
});
