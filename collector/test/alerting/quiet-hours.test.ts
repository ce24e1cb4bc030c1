import t from 'tap';
import { inQuietHours, quietHoursEnd } from '../../src/alerting/quiet-hours.ts';

const berlinNight = { from: '22:00', to: '07:00' };

t.test('quiet hours across midnight in the recipient\'s time zone', async (t) => {
  // 2025-01-15 21:59 UTC = 22:59 in Berlin (CET, UTC+1)
  const at = Date.UTC(2025, 0, 15, 21, 59, 30);
  t.ok(inQuietHours(at, berlinNight, 'Europe/Berlin'));
  t.notOk(inQuietHours(at, berlinNight, 'UTC'), '21:59 UTC is before 22:00 UTC');
  t.equal(quietHoursEnd(at, berlinNight, 'Europe/Berlin'), Date.UTC(2025, 0, 16, 6, 0, 0), 'ends 07:00 Berlin = 06:00 UTC');
  t.equal(quietHoursEnd(at, berlinNight, 'UTC'), at, 'outside quiet hours: now');
  t.equal(quietHoursEnd(at, null, 'Europe/Berlin'), at);
});

t.test('summer time: 07:00 Berlin is 05:00 UTC', async (t) => {
  const at = Date.UTC(2025, 6, 1, 1, 0, 0); // 03:00 CEST
  t.equal(quietHoursEnd(at, berlinNight, 'Europe/Berlin'), Date.UTC(2025, 6, 1, 5, 0, 0));
});

t.test('the night of the clock change still ends at 07:00 local', async (t) => {
  const at = Date.UTC(2025, 2, 29, 23, 0, 0); // 00:00 CET on 30 March; clocks jump 02:00 → 03:00
  t.equal(quietHoursEnd(at, berlinNight, 'Europe/Berlin'), Date.UTC(2025, 2, 30, 5, 0, 0), '07:00 CEST');
});

t.test('a daytime window and an empty window', async (t) => {
  const lunch = { from: '12:00', to: '13:00' };
  t.ok(inQuietHours(Date.UTC(2025, 0, 1, 12, 30), lunch, 'UTC'));
  t.notOk(inQuietHours(Date.UTC(2025, 0, 1, 13, 0), lunch, 'UTC'), 'the end is exclusive');
  t.notOk(inQuietHours(Date.UTC(2025, 0, 1, 3, 0), { from: '08:00', to: '08:00' }, 'UTC'));
});
