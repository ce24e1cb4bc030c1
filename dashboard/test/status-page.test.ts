import t from 'tap';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, PASSWORD, buildDashboard, launchChromium, loginAs } from './helpers/world.ts';
import { hashPassword } from '../../collector/src/auth/secrets.ts';
import { MAIL_DOWN_SINCE, SECRETS, startEstate } from '../../collector/test/status-pages/scenario.ts';
import { STATUS_PAGE_DAYS } from '@nines/shared';

// Real Chromium, a real collector fed through the agent socket (the status-page scenario: the mail server down
// for 20 minutes, the web shop up): the consultant sets up the client's status page on the client page, writes a
// notice, and opens the link as the client would, without a login — light, dark and on a phone. Then a new link.
const e = await startEstate({ dashboardDir: buildDashboard() });
const chromium = await launchChromium();
t.teardown(async () => {
  await chromium.close();
  await e.c.close();
});
const hash = await hashPassword(PASSWORD);
await e.c.store.createUser({ username: 'admin', passwordHash: hash, role: 'admin', clientId: null }, 0);
await e.c.store.createUser({ username: 'mueller', passwordHash: hash, role: 'client', clientId: e.clientId }, 0);
mkdirSync(ARTIFACTS, { recursive: true });
const berlin = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(ms).replace(' ', 'T');

t.test('German: set up, notice, open as the client; light, dark, phone; a new link ends the old', async (t) => {
  const context = await chromium.browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, e.c.url, 'admin');
  await page.goto(`${e.c.url}/#/client/${e.clientId}`);
  const card = page.locator('#status-page');
  await card.waitFor();
  t.equal(await card.locator('h2').first().textContent(), 'Statusseite');
  t.equal(await page.locator('#sp-link').count(), 0, 'no link before it is saved');
  t.equal(await card.locator('tr[data-check]').count(), 3, "one row per check of the client's hosts");

  await page.fill('#sp-title-de', 'Status der Bäckerei Müller');
  await card.locator(`[data-pick="${e.web}"]`).check();
  await card.locator(`[data-name-de="${e.web}"]`).fill('Webshop');
  await card.locator(`[data-name-en="${e.web}"]`).fill('Web shop');
  await card.locator(`[data-pick="${e.mail}"]`).check();
  await card.locator(`[data-name-de="${e.mail}"]`).fill('E-Mail');
  await card.locator('#sp-form button[type="submit"]').click();
  await page.locator('#sp-link').waitFor();
  const link = await page.locator('#sp-link').inputValue();
  t.match(link, new RegExp(`^${e.c.url}/status/[A-Za-z0-9_-]{24}$`));
  // The page lists the services in the card's order.
  const order = await card.locator('tr[data-check]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.check!));
  const typed = new Map([[e.web, { de: 'Webshop', en: 'Web shop', state: 'verfügbar' }], [e.mail, { de: 'E-Mail', state: 'Störung' }]]);
  const expected = order.filter((k) => typed.has(k)).map((k) => typed.get(k)!);
  t.same((await e.c.store.statusPages.get(e.clientId))!.config.services.map((s) => s.name), expected.map(({ state: _, ...name }) => name), 'saved as typed');

  // The notice's start typed as the consultant's wall clock in Berlin: when the mail server went down.
  await page.selectOption('#spn-kind', 'incident');
  await page.fill('#spn-title-de', 'E-Mail gestört');
  await page.fill('#spn-body-de', 'Wir arbeiten daran.');
  await page.fill('#spn-from', berlin(MAIL_DOWN_SINCE));
  await page.click('#spn-form button[type="submit"]');
  await page.locator('#sp-notices tr[data-notice]').waitFor();
  t.equal((await e.c.store.statusPages.notices(e.clientId))[0]!.from, MAIL_DOWN_SINCE, 'the local time became the right instant');

  // The client: no login, their own browser.
  const visitor = await chromium.browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
  t.teardown(() => visitor.close());
  const status = await visitor.newPage();
  const response = await status.goto(link);
  t.equal(response!.status(), 200);
  t.equal(await status.locator('h1').textContent(), 'Status der Bäckerei Müller');
  t.equal(await status.locator('.banner').textContent(), 'Es gibt eine Störung.');
  t.same(await status.locator('.service h2 > span:first-child').allTextContents(), expected.map((x) => x.de));
  t.same(await status.locator('.service .state').allTextContents(), expected.map((x) => x.state));
  t.equal(await status.locator('.service').first().locator('.bars span').count(), STATUS_PAGE_DAYS);
  t.match(await status.locator('.notice[data-phase="current"]').textContent(), /Störung: E-Mail gestört.*Wir arbeiten daran\./);
  const bar = await status.locator('.service').first().locator('.bars span').last().boundingBox();
  await status.locator('.service').first().locator('.bars span').last().hover();
  t.ok(bar && bar.width >= 2 && bar.height >= 20, `a bar a person can see (${bar?.width?.toFixed(1)} × ${bar?.height} px)`);
  const html = await status.content();
  for (const secret of [...SECRETS, e.agentId]) t.notOk(html.includes(secret), `"${secret}" is not on the page`);
  await status.screenshot({ path: join(ARTIFACTS, 'status-page-de.png'), fullPage: true });

  await status.emulateMedia({ colorScheme: 'dark' });
  const background = await status.evaluate(() => getComputedStyle(document.body).backgroundColor);
  t.equal(background, 'rgb(18, 21, 27)', 'dark mode follows the system');
  await status.screenshot({ path: join(ARTIFACTS, 'status-page-dark.png'), fullPage: true });
  await status.emulateMedia({ colorScheme: 'light' });
  await status.setViewportSize({ width: 390, height: 844 });
  t.equal(await status.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true, 'nothing overflows on a phone');
  await status.screenshot({ path: join(ARTIFACTS, 'status-page-phone.png'), fullPage: true });

  page.once('dialog', (dialog) => void dialog.accept());
  await page.click('#sp-rotate');
  await page.waitForFunction((old) => (document.querySelector('#sp-link') as HTMLInputElement | null)?.value !== old, link);
  const fresh = await page.locator('#sp-link').inputValue();
  t.not(fresh, link);
  const old = await status.goto(link);
  t.equal(old!.status(), 404, 'the old link ends');
  t.equal(await status.locator('h1').textContent(), 'Statusseite nicht gefunden');
  t.equal((await status.goto(fresh))!.status(), 200);
});

t.test("the client's own login: no set-up card; its page by the login", async (t) => {
  const context = await chromium.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, e.c.url, 'mueller');
  await page.goto(`${e.c.url}/#/client/${e.clientId}`);
  await page.locator('#reports').waitFor();
  t.equal(await page.locator('#status-page').count(), 0);
  const own = await page.goto(`${e.c.url}/status-page/${e.clientId}`);
  t.equal(own!.status(), 200);
  t.equal(await page.locator('.banner').textContent(), 'There is an outage.', 'in the browser\'s language');
  const names = await page.locator('.service h2 > span:first-child').allTextContents();
  t.same([...names].sort(), ['E-Mail', 'Web shop'], 'English names, German where none');
});
