import t from 'tap';
import { loginAs, startBrowserWorld } from './helpers/world.ts';
import { localTimeSchedule } from '../../collector/src/schedule/rule.ts';
import { clientReportsJob } from '../../collector/src/reports/job.ts';

// Real Chromium: Management's Schedules card lists each job with its rule, next run, last outcome and the error text.
const NOW = Date.parse('2026-11-30T06:00:00Z'); // Monday 07:00 in Berlin
const { c, chromium } = await startBrowserWorld(t, () => NOW);
await c.addUser('admin', 'admin');
await c.app.schedules.start([{
  name: 'weekly-overview', schedule: localTimeSchedule({ at: '07:00', timezone: 'Europe/Berlin', weekday: 'monday' }), lookBackMs: 86_400_000,
  async run() {
    throw new Error('SMTP 451 mailbox temporarily unavailable');
  },
}, clientReportsJob(() => c.app.reports.delivery)], { retryBaseMs: 60_000 });

t.test('German: "Zeitpläne" with the Monday overview, failed and retrying, and why', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  const row = page.locator('#admin-schedules tr[data-job="weekly-overview"]');
  await row.waitFor();
  t.equal(await page.locator('#admin-schedules h2').textContent(), 'Zeitpläne');
  t.equal(await row.locator('th').textContent(), 'Wochenüberblick');
  t.equal(await row.locator('[data-outcome]').getAttribute('data-outcome'), 'failed');
  const text = (await row.textContent()) ?? '';
  t.match(text, /monday 07:00 Europe\/Berlin/);
  t.match(text, /fehlgeschlagen, wird wiederholt/);
  t.match(text, /SMTP 451 mailbox temporarily unavailable/, 'the error text, for the admin');
  t.equal(await row.locator('[data-next-at]').getAttribute('data-next-at'), String(NOW + 60_000), 'next run: the retry a minute later');
  const reports = page.locator('#admin-schedules tr[data-job="client-reports"]');
  t.equal(await reports.locator('th').textContent(), 'Monatsberichte und Jahresübersichten', 'named, not its id');
  t.equal(await reports.locator('[data-next-at]').getAttribute('data-next-at'), String(NOW + 3_600_000), 'the next full hour');
});

t.test('English: "Schedules"', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  const row = page.locator('#admin-schedules tr[data-job="weekly-overview"]');
  await row.waitFor();
  t.equal(await page.locator('#admin-schedules h2').textContent(), 'Schedules');
  t.equal(await row.locator('th').textContent(), 'Monday overview');
  t.match((await row.textContent()) ?? '', /failed, retrying/);
});
