import t from 'tap';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium against a real collector: the admin view creates API tokens with a scope and an expiry.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');

t.test('an admin creates a read-only API token valid for 30 days; the list shows its scope and expiry', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#token-name').waitFor();
  t.equal(await page.locator('#token-scope').inputValue(), 'read', 'least privilege is the default');
  await page.locator('#token-name').fill('wall display');
  await page.locator('#token-expiry').selectOption('30');
  const before = Date.now();
  await page.locator('#admin-tokens button[type=submit]').click();
  const secret = await page.locator('#token-outcome code').textContent();
  const after = Date.now();
  t.ok(secret && secret.length > 20, 'the token is shown once');

  const row = page.locator('#admin-tokens tr', { hasText: 'wall display' });
  t.equal(await row.locator('[data-scope]').getAttribute('data-scope'), 'read');
  const expires = Number(await row.locator('[data-expires]').getAttribute('data-expires'));
  t.ok(expires >= before + 30 * 86_400_000 && expires <= after + 30 * 86_400_000, 'expires 30 days after it was made');

  const status = async (method: string, path: string) => (await fetch(`${c.url}${path}`, { method, headers: { authorization: `Bearer ${secret}` } })).status;
  t.equal(await status('GET', '/api/v1/overview'), 200, 'the token reads');
  t.equal(await status('DELETE', '/api/v1/agents/x'), 403, 'and changes nothing');
});

t.test('an admin token without expiry says so in the list', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#token-name').fill('backup script');
  await page.locator('#token-scope').selectOption('admin');
  await page.locator('#token-expiry').selectOption('0');
  await page.locator('#admin-tokens button[type=submit]').click();
  await page.locator('#token-outcome code').waitFor();
  const row = page.locator('#admin-tokens tr', { hasText: 'backup script' });
  t.equal(await row.locator('[data-scope]').textContent(), 'alles, auch Benutzer und Tokens');
  t.equal(await row.locator('[data-expires]').textContent(), 'nie');
});
