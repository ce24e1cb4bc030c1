import t from 'tap';
import { chartTimeFormat } from '../src/chart-time.ts';

// Chart axes and legend follow the user's locale, like the tables: day first in German and British English.
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 11, day, hour, minute);
const HOUR = 3_600_000;

t.test('the legend shows one instant day first, in the user\'s format', async (t) => {
  t.equal(chartTimeFormat('de-DE', 'UTC').point(at(2, 14)), '02.12. 14:00');
  t.equal(chartTimeFormat('en-GB', 'UTC').point(at(2, 14)), '02/12 14:00');
  t.equal(chartTimeFormat('de-DE', 'Europe/Berlin').point(at(2, 14)), '02.12. 15:00', 'in the zone the browser is in');
});

t.test('hour ticks show the clock, and the date on the first tick and where the day changes', async (t) => {
  const ticks = [at(1, 20), at(1, 22), at(2, 0), at(2, 2)];
  t.same(chartTimeFormat('de-DE', 'UTC').ticks(ticks, 2 * HOUR), ['01.12. 20:00', '22:00', '02.12. 00:00', '02:00']);
  t.same(chartTimeFormat('en-GB', 'UTC').ticks(ticks, 2 * HOUR), ['01/12 20:00', '22:00', '02/12 00:00', '02:00']);
});

t.test('day ticks show the date alone; sub-minute ticks show seconds', async (t) => {
  t.same(chartTimeFormat('de-DE', 'UTC').ticks([at(1, 0), at(2, 0)], 24 * HOUR), ['01.12.', '02.12.']);
  t.same(chartTimeFormat('de-DE', 'UTC').ticks([at(2, 14), at(2, 14) + 30_000], 30_000), ['02.12. 14:00:00', '14:00:30']);
});
