import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium against a real collector: Management's Reports card. Changing the monthly time moves its next run;
// a logo is uploaded (a real PNG from the repository, docs/samples, read only), a wrong one is refused with the
// reason; "use the config file" goes back. The clock is injected: Monday 30 November 2026, 07:00 in Berlin.
const NOW = Date.parse('2026-11-30T06:00:00Z');
const PNG = readFileSync(join(import.meta.dirname, '../../docs/samples/report-de-page1.png'));
const { c, chromium } = await startBrowserWorld(t, () => NOW);
await c.addUser('admin', 'admin');

t.test('German: the monthly time changed in the form, its next run moves; logo upload and its limits; back to the file', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  const monthly = page.locator('#admin-reports [data-part="monthly"]');
  await monthly.waitFor();
  t.equal(await page.locator('#admin-reports h2').textContent(), 'Berichte');
  t.equal(await monthly.getAttribute('data-source'), 'default');
  // No client yet: the consultant's zone (Berlin); 08:00 on 1 December is 07:00Z.
  t.equal(await monthly.locator('[data-next-run]').getAttribute('data-next-run'), String(Date.parse('2026-12-01T07:00:00Z')));

  await page.fill('#rs-monthly-at', '10:30');
  await page.fill('#rs-monthly-day', '2');
  await page.click('#rs-monthly button[type="submit"]');
  await page.locator('#admin-reports [data-part="monthly"][data-source="stored"]').waitFor();
  // 10:30 on 2 December in Berlin is 09:30Z; the hourly job sends at 10:00Z.
  t.equal(await monthly.locator('[data-next-run]').getAttribute('data-next-run'), String(Date.parse('2026-12-02T10:00:00Z')), 'the next run moved');
  t.match(await monthly.locator('h3').textContent(), /Monatsbericht \(hier gespeichert\)/);
  t.match(await c.store.reportSettings.list(), [{ part: 'monthly', settings: { at: '10:30', day: 2 } }], 'saved');

  await page.setInputFiles('#rs-brand-logo', { name: 'logo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
  await page.click('#rs-branding button[type="submit"]');
  await page.locator('#rs-outcome.error').waitFor();
  t.equal(await page.locator('#rs-outcome').textContent(), 'Das Logo muss ein PNG- oder JPEG-Bild sein.', 'a GIF is refused in the browser');
  await page.setInputFiles('#rs-brand-logo', { name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('this is no image at all') });
  await page.click('#rs-branding button[type="submit"]');
  await page.locator('#rs-outcome', { hasText: 'neither a PNG nor a JPEG' }).waitFor();
  t.pass('a file that only claims to be PNG is refused by the collector, with the reason');
  t.same((await c.store.reportSettings.list()).map((s) => s.part), ['monthly'], 'and nothing was saved');

  await page.fill('#rs-brand-name', 'Berger IT-Service');
  await page.setInputFiles('#rs-brand-logo', { name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await page.click('#rs-branding button[type="submit"]');
  await page.locator('#admin-reports [data-part="branding"][data-source="stored"]').waitFor();
  t.equal(await page.locator('#rs-brand-logo-now').textContent(), `gespeichert: image/png, ${Math.ceil(PNG.length / 1024)} KiB`);
  t.same(c.app.reports.delivery.branding.logo, PNG, 'the PDFs carry the uploaded logo');
  // The texts changed again without choosing the file again: the logo stays.
  await page.fill('#rs-brand-footer', 'Vertraulich');
  await page.click('#rs-branding button[type="submit"]');
  await page.locator('#rs-brand-footer[value="Vertraulich"]').waitFor();
  t.same(c.app.reports.delivery.branding.logo, PNG, 'kept');
  t.equal(c.app.reports.delivery.branding.footer, 'Vertraulich');

  await page.click('#rs-monthly-reset');
  await page.locator('#admin-reports [data-part="monthly"][data-source="default"]').waitFor();
  t.equal(await monthly.locator('[data-next-run]').getAttribute('data-next-run'), String(Date.parse('2026-12-01T07:00:00Z')), 'back to the defaults, next run too');
});

t.test('English: "Reports", "Monthly report"', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#admin-reports [data-part="monthly"]').waitFor();
  t.equal(await page.locator('#admin-reports h2').textContent(), 'Reports');
  t.match(await page.locator('#admin-reports [data-part="monthly"] h3').textContent(), /Monthly report \(defaults\)/);
  t.match(await page.locator('#admin-reports [data-part="branding"] h3').textContent(), /Branding of the PDFs \(saved here\)/);
});
