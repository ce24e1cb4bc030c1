import t from 'tap';
import { startCollector } from '../helpers/collector.ts';
import { resolveSettings } from '../../src/settings.ts';
import { scheduledJobs } from '../../src/schedule/start.ts';

// Which jobs the YAML's reports: section starts, and the clear error of a bad one.

const smtp = { host: '127.0.0.1', port: 2525, from: 'nines@consult.example' };

t.test('the client reports (hourly) and the weekly overview (Monday 07:00 Berlin) are scheduled by default, and as configured', async (t) => {
  const c = await startCollector({ clock: () => 0 });
  t.teardown(() => c.close());
  const settings = resolveSettings({ dataDir: c.dir }, {});
  const jobs = (file: Parameters<typeof scheduledJobs>[2]) => {
    const made = scheduledJobs(c.app, settings, file);
    for (const job of made) job.close?.();
    return made;
  };
  const HOURLY = "hourly: monthly and yearly reports due in each client's zone";
  t.same(jobs({ smtp }).map((j) => [j.name, j.schedule.description]), [['client-reports', HOURLY], ['weekly-overview', 'monday 07:00 Europe/Berlin']]);
  const custom = jobs({ smtp, reports: { weekly: { weekday: 'friday', at: '16:30', timezone: 'America/New_York', language: 'en' } } });
  t.same(custom.map((j) => j.schedule.description), [HOURLY, 'friday 16:30 America/New_York']);
  t.same(jobs({ smtp, reports: { weekly: { enabled: false } } }).map((j) => j.name), ['client-reports'], 'weekly enabled: false');
  t.same(jobs({ smtp, reports: { weekly: { enabled: false }, monthly: { enabled: false }, yearly: { enabled: false } } }), [], 'everything off');
  t.same(jobs({ smtp, reports: { monthly: { enabled: false } } }).map((j) => j.name), ['client-reports', 'weekly-overview'], 'the yearly summary alone keeps the hourly job');
  t.same(jobs({}), [], 'no smtp: nothing to send with');
});

t.test('a bad zone or time in reports.weekly is refused with a clear error', async (t) => {
  const c = await startCollector({ clock: () => 0 });
  t.teardown(() => c.close());
  const settings = resolveSettings({ dataDir: c.dir }, {});
  t.throws(() => scheduledJobs(c.app, settings, { smtp, reports: { weekly: { timezone: 'Europe/Atlantis' } } }), /reports\.weekly: unknown time zone "Europe\/Atlantis"/);
  t.throws(() => scheduledJobs(c.app, settings, { smtp, reports: { weekly: { at: '7:00' } } }), /reports\.weekly: invalid time "7:00"/);
  await c.app.schedules.start([]);
  await t.rejects(c.app.schedules.start([]), /the schedules have started already/);
});
