import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { OverviewResponse, Result } from '@nines/shared';
import { monthOf, monthRange } from '../../collector/src/availability/index.ts';
import { ARTIFACTS, PASSWORD, buildDashboard, launchChromium, startDashboardCollector } from './helpers/world.ts';

// Real Chromium against a real collector with alerting running, fed over real agent sockets. The collector's
// clock runs from a fixed mid-June noon: the three hours of history below always lie inside one month, so the
// month figure equals the 24 h one whatever day the suite runs (it planned no test in a month's first 3 h).
const CLOCK_START = Date.UTC(2026, 5, 15, 10, 0);
const realStart = Date.now();
const clock = () => CLOCK_START + (Date.now() - realStart);
const dist = buildDashboard();
const c = await startDashboardCollector(dist, clock);
const browser = await launchChromium();
/** Every page's clock starts at the collector's, so "since", "until" and "ago" agree with the figures. */
const chromium = {
  close: () => browser.close(),
  async newContext(locale?: string, viewport?: { width: number; height: number }) {
    const context = await browser.newContext(locale, viewport);
    await context.clock.install({ time: clock() });
    return context;
  },
};
t.teardown(async () => {
  await chromium.close();
  await c.close();
});
await c.app.alerting.start({ alerting: { failuresToFire: 2 } });

await c.addUser('admin', 'admin');
await c.addUser('anna', 'client', 'Bäckerei Schmidt');
const bakery = await c.addAgent('Bäckerei Schmidt', 'kasse-01');
const lawyer = await c.addAgent('Kanzlei Weber', 'server-01');

/**
 * Three hours of a check, one result a minute (its interval), the last `failing` of them CRIT. The newest result is
 * 3 min old, so no span reaches now and the figures stay put while the test reads them from several places.
 */
function series(checkId: string, name: string, failing: number): Result[] {
  const now = clock();
  return Array.from({ length: 180 }, (_, i): Result => {
    const at = now - (182 - i) * 60_000;
    const down = i >= 180 - failing;
    return { seq: i + 1, checkId, kind: 'http', name, status: down ? 'CRIT' : 'OK', message: down ? 'connection refused' : `HTTP 200 in ${20 + (i % 9)} ms`,
      metrics: down ? {} : { latency_ms: 20 + (i % 9) } as Record<string, number>, startedAt: at, finishedAt: at + 20 };
  });
}
const bakerySocket = await bakery.connect();
await bakery.send(bakerySocket, series('web', 'Webshop', 3));
const lawyerSocket = await lawyer.connect();
await lawyer.send(lawyerSocket, series('dms', 'DMS', 2));
t.teardown(() => (bakerySocket.close(), lawyerSocket.close()));
const alerts = c.app.alerting.engine.alerts;
// Alerting evaluates after the ack, coalesced per agent: wait (bounded) until both alerts have fired.
async function firing(agentId: string, checkId: string) {
  for (let i = 0; i < 200; i++) {
    const alert = await alerts.find(agentId, 'check', checkId);
    if (alert?.state === 'FIRING') return alert;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`alert ${agentId}/${checkId} did not fire`);
}
const bakeryAlert = await firing(bakery.agentId, 'web');
const lawyerAlert = await firing(lawyer.agentId, 'dms');
const bakeryId = (await c.store.findClient('Bäckerei Schmidt'))!.id;

async function loginAs(page: Page, username: string): Promise<void> {
  await page.goto(c.url + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form.login button[type=submit]').click();
  await page.locator('#overview table').waitFor();
}
const getJson = <T>(page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;

t.test('the alerts exist: the bakery web check and the lawyer DMS are firing', async (t) => {
  t.equal(bakeryAlert.state, 'FIRING');
  t.equal(lawyerAlert.state, 'FIRING');
});

t.test('the overview shows this month vs target and the error budget, as the collector computed them', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  const overview = await getJson<OverviewResponse>(page, '/api/v1/overview');
  const row = overview.clients.find((r) => r.id === bakeryId)!;
  t.equal(row.availabilityMonthPercent, '97.790', '177 of 181 measured minutes up (the last CRIT result covers 2 × its interval), rounded down');
  const cell = page.locator(`#overview tr[data-client="${bakeryId}"] td[data-month]`);
  t.equal(await cell.getAttribute('data-month'), '97.790');
  // Three hours of a month are partial data — unless the month began less than 3 h 21 min ago (coverage ≥ 90 %).
  t.match(await cell.textContent(), /✕ 97\.790 %( · partial data)?\s*target 99\.9 %/);
  t.equal(await cell.locator('[data-partial]').count(), row.monthPartialData ? 1 : 0, 'the partial-data mark follows the collector');
  // The budget column is the whole month's budget (its length in Berlin × 0.1 %) less the 4 min down so far.
  const [monthFrom, monthTo] = monthRange(monthOf(overview.generatedAt, 'Europe/Berlin'), 'Europe/Berlin');
  const monthBudgetMs = Math.floor((monthTo - monthFrom) / 1000);
  t.equal(row.errorBudgetLeftMs, monthBudgetMs - 4 * 60_000);
  t.match(await page.locator(`#overview tr[data-client="${bakeryId}"] td[data-budget-left]`).textContent(),
    `${Math.round((monthBudgetMs - 4 * 60_000) / 60_000)} min of ${Math.round(monthBudgetMs / 60_000)} min`, "what is left of the month's budget, of how much");
});

t.test('client view: availability per window, incidents, and the monthly report downloads with the month figures', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/client/${bakeryId}`);
  await page.locator('#availability-table').waitFor();
  const clientRow = page.locator('#availability-table tr[data-scope=client]');
  t.same(await clientRow.locator('td').allTextContents(), ['97.790 %', '97.790 %', '97.790 %', '97.790 %'], '24 h, 7 d, 30 d, month');
  t.equal(await page.locator('#availability-table tr[data-scope=host]').count(), 1);
  t.match(await page.locator('#incidents').textContent(), /Webshop.*connection refused/s);
  await page.screenshot({ path: join(ARTIFACTS, 'client.png'), fullPage: true });

  const month = await page.locator('#report-month').inputValue();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#reports a[data-lang=en]').click()]);
  const html = readFileSync((await download.path())!, 'utf8');
  const figures = await getJson<{ month: string; figure: { availabilityPercent: string } }>(page, `/api/v1/reports/monthly?client=${bakeryId}&month=${month}&format=json`);
  t.equal(figures.figure.availabilityPercent, '97.790');
  t.match(html, /97\.790/, 'the downloaded report carries the month figure');
  t.match(html, new RegExp(month), 'of the chosen month');
  t.match(download.suggestedFilename(), new RegExp(`${month}-en\\.html$`));
  const [german] = await Promise.all([page.waitForEvent('download'), page.locator('#reports a[data-lang=de]').click()]);
  t.match(readFileSync((await german.path())!, 'utf8'), /97,790/, 'German report, German decimal comma');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('#reports a[data-pdf-lang=de]').click()]);
  t.equal(readFileSync((await pdf.path())!).subarray(0, 5).toString(), '%PDF-', 'the PDF of the month');
  t.match(pdf.suggestedFilename(), new RegExp(`${month}-de\\.pdf$`));
  // the admin's preview: who would get the month's mail (nobody here has `reports`), nothing sent
  await page.locator('#report-preview-button').click();
  const preview = await getJson<{ recipients: Array<{ address: string }> }>(page, `/api/v1/reports/${bakeryId}/${month}/preview`);
  await page.locator('#report-preview li').first().waitFor();
  t.equal(await page.locator('#report-preview li').count(), Math.max(preview.recipients.length, 1), 'one line per recipient, or the none line');
  for (const r of preview.recipients) t.equal(await page.locator(`#report-preview li[data-address="${r.address}"]`).count(), 1);
});

t.test('admins create and delete a maintenance window in the client view', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/client/${bakeryId}`);
  await page.locator('#maint-form').waitFor();
  await page.locator('#maint-title').fill('Windows updates');
  await page.locator('#maint-recurrence').selectOption('weekly');
  await page.locator('#maint-start').fill('2026-01-01T00:00');
  await page.locator('#maint-form button[type=submit]').click();
  const row = page.locator('#maintenance tr[data-window]');
  await Promise.race([row.waitFor(), page.locator('#maint-outcome.error').waitFor()]);
  t.equal(await page.locator('#maint-outcome.error').count(), 0, await page.locator('#maint-outcome').textContent() ?? '');
  t.match(await row.textContent(), /Windows updates.*Su 02:00 \(Europe\/Berlin\), 2 h.*all hosts/s);
  await page.locator('#maint-start').fill('');
  await page.locator('#maint-form button[type=submit]').click();
  t.equal(await page.locator('#maint-start').evaluate((input) => (input as HTMLInputElement).validity.valueMissing), true, 'no start: the form is not sent');
  t.equal(await page.locator('#maintenance tr[data-window]').count(), 1, 'nothing new was created');
  await row.locator('button.danger').click();
  await page.locator('#maintenance', { hasText: 'No maintenance windows.' }).waitFor();
  t.pass('deleted');
});

t.test('check view: alert state, and an admin acknowledges it', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/check/${bakery.agentId}/web`);
  await page.locator('[data-alert-state=FIRING]').waitFor();
  t.equal(await page.locator('[data-acked]').getAttribute('data-acked'), 'no');
  t.equal(await page.locator('#check-availability dd[data-window=month]').textContent(), '97.790 %');
  await page.screenshot({ path: join(ARTIFACTS, 'check.png'), fullPage: true });
  await page.locator('button.ack').click();
  await page.locator('[data-acked=yes]').waitFor();
  t.match(await page.locator('[data-acked]').textContent(), /by admin/);
  t.equal(await page.locator('button.ack').count(), 0, 'nothing left to acknowledge');
  const stored = (await alerts.get(bakeryAlert.id))!;
  t.equal(stored.ackedBy, 'admin', 'the collector recorded it');
  t.equal(stored.state, 'FIRING', 'acknowledging stops reminders, not the alert');

  await page.locator('.silence-for').selectOption('4h');
  await page.locator('button.silence').click();
  await page.locator('text=/Silenced.*until/').first().waitFor();
  const silenced = (await alerts.get(bakeryAlert.id))!.silencedUntil!;
  t.ok(silenced > clock() + 3.9 * 3_600_000 && silenced <= clock() + 4 * 3_600_000, 'silenced for 4 h');
});

t.test('the alert mail link #/alerts/:id shows the alert and leads to its check', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/alerts/${lawyerAlert.id}`);
  await page.locator(`[data-alert="${lawyerAlert.id}"]`).waitFor();
  t.match(await page.locator('h1').textContent(), /server-01 · DMS/);
  t.match(await page.locator('[data-alert-state]').textContent(), /firing/);
  await page.locator('text=Open the check').click();
  await page.locator('#check-availability').waitFor();
  t.match(page.url(), new RegExp(`#/check/${lawyer.agentId}/dms$`));
});

t.test('a client user sees its alert without ack/silence buttons and cannot reach another client\'s alert', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'anna');
  await page.goto(`${c.url}/#/check/${bakery.agentId}/web`);
  await page.locator('[data-alert-state=FIRING]').waitFor();
  t.equal(await page.locator('button.ack, button.silence').count(), 0, 'no ack or silence buttons');
  await page.goto(`${c.url}/#/alerts/${bakeryAlert.id}`);
  await page.locator(`[data-alert="${bakeryAlert.id}"]`).waitFor();
  t.equal(await page.locator('button.ack, button.silence').count(), 0);
  await page.goto(`${c.url}/#/alerts/${lawyerAlert.id}`);
  await page.locator('[role=alert]').waitFor();
  t.match(await page.locator('main').textContent(), /Nicht gefunden/);
  t.notMatch(await page.content(), /Kanzlei|server-01|DMS/);
  const direct = await page.evaluate(async (id) => (await fetch(`/api/v1/alerts/${id}/ack`, { method: 'POST', headers: { 'x-nines-csrf': decodeURIComponent(/nines_csrf=([^;]+)/.exec(document.cookie)![1]!) } })).status, bakeryAlert.id);
  t.equal(direct, 403, 'and the collector refuses the action itself');
});

t.test('admins manage alert recipients', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#rcp-form').waitFor();
  await page.locator('#rcp-name').fill('Frau Schmidt');
  await page.locator('#rcp-channel').selectOption('email');
  await page.locator('#rcp-target-address').fill('schmidt@baeckerei.example');
  await page.locator('#rcp-client').selectOption('Bäckerei Schmidt');
  await page.locator('#rcp-audience').selectOption('plain');
  await page.locator('#rcp-severity').selectOption('CRIT');
  await page.locator('#rcp-quiet-from').fill('22:00');
  await page.locator('#rcp-form button[type=submit]').click();
  await page.locator('#admin-recipients .outcome.error').waitFor();
  t.match(await page.locator('#admin-recipients .outcome').textContent(), /both a start and an end/);
  await page.locator('#rcp-quiet-to').fill('07:00');
  await page.locator('#rcp-form button[type=submit]').click();
  const row = page.locator('#recipients tr[data-recipient="schmidt@baeckerei.example"]');
  await row.waitFor();
  t.match(await row.textContent(), /Bäckerei Schmidt.*plain.*Critical.*22:00–07:00/s);
  await page.locator('#rcp-name').fill('Bad');
  await page.locator('#rcp-target-address').fill('bad@example.com');
  await page.locator('#rcp-zone').fill('Mars/Base');
  await page.locator('#rcp-form button[type=submit]').click();
  await page.locator('#admin-recipients .outcome.error', { hasText: 'time zone' }).waitFor();
  t.pass('the collector\'s refusal is shown in place');
  await page.screenshot({ path: join(ARTIFACTS, 'admin-recipients.png'), fullPage: true });
  await row.locator('button.danger').click();
  await row.waitFor({ state: 'detached' });
  t.equal((await c.app.alerting.engine.recipients.list()).length, 0);
});

t.test('overview screenshot for the docs', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
  await page.screenshot({ path: join(ARTIFACTS, 'overview-month.png'), fullPage: true });
  t.pass();
});

/**
 * Every view and mode once more, photographed into test-artifacts/dashboard/views/ (looked at, never over the docs):
 * light and dark at desktop width, and on a phone. Each view must have drawn its own content, and on a phone nothing
 * may run past the screen's edge, neither the page nor a table inside its scroll box.
 */
t.test('each view and mode, light, dark and on a phone: drawn, nothing cut off, photographed', async (t) => {
  const dir = join(ARTIFACTS, 'views');
  mkdirSync(dir, { recursive: true });
  const token = randomBytes(18).toString('base64url');
  await c.store.statusPages.put(bakeryId, { enabled: true, title: { de: 'Status der Bäckerei Schmidt' }, services: [{ check: `${bakery.agentId}/web`, name: { de: 'Webshop', en: 'Web shop' } }] }, token, clock(), 'admin');
  const views: Array<{ name: string; path: string; ready: string }> = [
    { name: 'overview', path: '/#/', ready: '#overview tr[data-client] .beat-bar' },
    { name: 'client', path: `/#/client/${bakeryId}`, ready: '.card.host .host-beats .beat' },
    { name: 'host', path: `/#/host/${bakery.agentId}`, ready: 'tr[data-check] [data-status]' },
    { name: 'check', path: `/#/check/${bakery.agentId}/web`, ready: '#check-availability' },
    { name: 'alert', path: `/#/alerts/${bakeryAlert.id}`, ready: `[data-alert="${bakeryAlert.id}"]` },
    { name: 'admin', path: '/#/admin', ready: '#rcp-form' },
    { name: 'wall', path: '/#/wall', ready: '#wall .tile' },
    { name: 'status-page', path: `/status/${token}`, ready: '.service .bars span' },
  ];
  const modes = [
    { mode: 'light', colorScheme: 'light', viewport: { width: 1366, height: 768 } },
    { mode: 'dark', colorScheme: 'dark', viewport: { width: 1366, height: 768 } },
    { mode: 'phone', colorScheme: 'light', viewport: { width: 390, height: 844 } },
  ] as const;
  // One login for all three modes (the collector allows 10 a minute, and this suite logs in often): its cookies go along.
  const first = await chromium.newContext('de-DE');
  await loginAs(await first.newPage(), 'admin');
  const storageState = await first.storageState();
  await first.close();
  for (const { mode, colorScheme, viewport } of modes) {
    const context = await browser.browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', colorScheme, viewport, storageState });
    t.teardown(() => context.close());
    await context.clock.install({ time: clock() });
    const page = await context.newPage();
    for (const view of views) {
      // The public status page needs no login; the admin's cookie changes nothing on it (status-page.test.ts has the visitor).
      const target = page;
      await target.goto(c.url + view.path);
      await target.locator(view.ready).first().waitFor();
      const dark = await target.evaluate(() => getComputedStyle(document.body).backgroundColor);
      t.equal(dark === 'rgb(18, 21, 27)', colorScheme === 'dark', `${view.name} ${mode}: the background follows the scheme (${dark})`);
      if (mode === 'phone') {
        const over = await target.evaluate(() => ({
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          tables: [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).length,
        }));
        // What sticks out, named in the failure: the first elements whose right edge passes the screen's.
        const culprits = await target.evaluate(() => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && e.children.length === 0)
          .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}`));
        t.same(over, { page: 0, tables: 0 }, `${view.name} on a phone: no horizontal overflow, not even inside a table's box (${culprits.join(', ') || 'none'})`);
      }
      await target.screenshot({ path: join(dir, `${view.name}-${mode}.png`), fullPage: view.name !== 'wall' });
    }
  }
});
