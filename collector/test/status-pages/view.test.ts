import t from 'tap';
import { dayLevel, overallOf } from '../../src/status-pages/view.ts';

t.test('the headline: the worst state of the services, and no service is not "all available"', async (t) => {
  t.equal(overallOf(['up', 'up']), 'up');
  t.equal(overallOf(['up', 'unknown']), 'unknown');
  t.equal(overallOf(['unknown', 'maintenance', 'up']), 'maintenance');
  t.equal(overallOf(['maintenance', 'down']), 'down');
  t.equal(overallOf([]), 'unknown', 'a page without services claims nothing');
});

t.test("a day's bar against the target (99.9 %: a day of 1,440 min allows 1.44 min down)", async (t) => {
  const MIN = 60_000;
  const day = (downMin: number, unknownMin = 0, maintenanceMin = 0) => ({ upMs: (1440 - downMin - unknownMin - maintenanceMin) * MIN, downMs: downMin * MIN, unknownMs: unknownMin * MIN, maintenanceMs: maintenanceMin * MIN });
  t.equal(dayLevel(day(0), 999_000), 'ok');
  t.equal(dayLevel(day(1), 999_000), 'partial', '1 min: within the target');
  t.equal(dayLevel(day(2), 999_000), 'down', '2 min: below');
  t.equal(dayLevel({ upMs: 0, downMs: 0, unknownMs: 1440 * MIN, maintenanceMs: 0 }, 999_000), 'none');
  t.equal(dayLevel({ upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 60 * MIN }, 999_000), 'maintenance', 'only maintenance measured');
});
