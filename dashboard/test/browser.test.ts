import t from 'tap';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, PASSWORD, history, startBrowserWorld } from './helpers/world.ts';
import { rawRun } from '../../collector/test/helpers/raw-sql.ts';

// Real Chromium against a real collector, fed over real agent sockets.
const { c, chromium } = await startBrowserWorld(t);

await c.addUser('admin', 'admin');
await c.addUser('anna', 'client', 'Bäckerei Schmidt');
const bakery = await c.addAgent('Bäckerei Schmidt', 'kasse-01');
const lawyer = await c.addAgent('Kanzlei Weber', 'server-01');
const now = Date.now();
const bakerySocket = await bakery.connect();
await bakery.send(bakerySocket, [
  ...history('web', 'http', 'Webshop', 1, 288, 300_000, now),
  { seq: 289, checkId: 'patch', kind: 'patch', name: 'Updates', status: 'WARN', message: '2 updates, 1 security', metrics: { pending: 2, security: 1, reboot_required: 1 },
    details: [{ name: 'openssl', from: '3.0.13-1', to: '3.0.15-1', security: true }, { name: 'tzdata', from: '2024a-0', to: '2024b-0', security: false }], startedAt: now - 50_000, finishedAt: now - 49_000 },
  { seq: 290, checkId: 'backup', kind: 'backup', name: 'restic nightly', status: 'OK', message: 'last snapshot 6 h ago', metrics: { age_s: 21_600, size_bytes: 52_428_800_000 }, startedAt: now - 40_000, finishedAt: now - 39_000 },
]);
const lawyerSocket = await lawyer.connect();
// The lawyer's agent was stopped for a while: results 41–50 of the 10-minute DMS check never happened.
const DMS_STEP = 600_000;
const dms = history('dms', 'http', 'DMS', 1, 100, DMS_STEP, now);
const stopped = { lastBefore: dms[39]!.startedAt, firstAfter: dms[50]!.startedAt };
await lawyer.send(lawyerSocket, [...dms.slice(0, 40), ...dms.slice(50)].map((r, i) => ({ ...r, seq: i + 1 })));
t.teardown(() => (bakerySocket.close(), lawyerSocket.close()));

async function loginAs(page: Page, username: string): Promise<void> {
  await page.goto(c.url + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form.login button[type=submit]').click();
  await page.locator('#overview table').waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

t.test('an admin logs in, sees every client, and a check going down shows up live without a reload', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  t.same(await page.locator('#overview tbody tr th').allTextContents(), ['Bäckerei Schmidt', 'Kanzlei Weber'], 'the bakery (patch warning) sorts above the all-OK lawyer');
  await page.locator('#live[data-state=live]').waitFor();
  await shot(page, 'overview');

  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await lawyer.send(lawyerSocket, [{ seq: 91, checkId: 'dms', kind: 'http', name: 'DMS', status: 'CRIT', message: 'connection refused', metrics: {}, startedAt: Date.now() - 1000, finishedAt: Date.now() }]);
  const lawyerRow = page.locator('#overview tbody tr', { hasText: 'Kanzlei Weber' });
  await lawyerRow.locator('[data-status=CRIT]').first().waitFor({ timeout: 5_000 });
  t.match(await lawyerRow.textContent(), /connection refused/);
  t.equal(await page.locator('#overview tbody tr th').first().textContent(), 'Kanzlei Weber', 'now the worst, so first');
  t.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'no page reload happened');
  await shot(page, 'overview-crit');

  await page.locator('#search').fill('kasse');
  t.same(await page.locator('#overview tbody tr th').allTextContents(), ['Bäckerei Schmidt'], 'search finds a client by its host names');
});

t.test('the live indicator says so when the socket drops, and comes back by itself', async (t) => {
  const context = await chromium.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.locator('#live[data-state=live]').waitFor();
  for (const socket of c.app.websocketServer.clients) socket.terminate();
  await page.locator('#live[data-state=reconnecting]').waitFor({ timeout: 5_000 });
  t.pass('reconnecting shown');
  await page.locator('#live[data-state=live]').waitFor({ timeout: 10_000 });
  t.pass('live again');
});

t.test('host and check views: connection facts, patch list, backup, status band and latency chart', async (t) => {
  const context = await chromium.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/host/${bakery.agentId}`);
  await page.locator('[data-section=patch]').waitFor();
  t.match(await page.locator('dl.facts').textContent(), /connected/);
  t.match(await page.locator('[data-section=patch]').textContent(), /Reboot required/);
  t.match(await page.locator('[data-section=patch] ul.packages').innerHTML(), /openssl/);
  t.match(await page.locator('[data-section=backup]').textContent(), /48[.,]8 GiB/);
  await shot(page, 'host');

  await page.goto(`${c.url}/#/check/${bakery.agentId}/web`);
  await page.locator('.uplot').waitFor();
  t.ok((await page.locator('.band .seg.UP').count()) >= 1, 'status band drawn');
  t.equal(await page.locator('#recent tbody tr').count(), 50, 'the newest 50 results listed');
  await shot(page, 'check');
});

t.test("the status band shows a stopped agent as no data, as the figures count it, not as the last result stretched on", async (t) => {
  const context = await chromium.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/check/${lawyer.agentId}/dms`);
  await page.locator('.band').waitFor();
  const unknown = await page.locator('.band .seg[data-state=UNKNOWN]').evaluateAll((spans) =>
    spans.map((s) => ({ from: Number(s.getAttribute('data-from')), to: Number(s.getAttribute('data-to')) })));
  const coveredUntil = stopped.lastBefore + 2 * DMS_STEP; // the last result before the stop counts for 2 × its interval
  t.same(unknown.filter((s) => s.from >= stopped.lastBefore), [{ from: coveredUntil, to: stopped.firstAfter }], 'the stop is one no-data span');
  t.match(await page.locator(`.band .seg[data-from="${coveredUntil}"]`).getAttribute('title'), /^No data: /);
});

t.test('an admin creates an enrollment token and gets the install commands', async (t) => {
  const context = await chromium.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/admin`);
  await page.locator('#admin-enroll button[type=submit]').click();
  const linux = await page.locator('code[data-os=linux]').textContent();
  t.match(linux, new RegExp(`^cd "\\$\\(mktemp -d\\)" && .* && curl -fsSLO ${c.url}/download/"\\$f" && .*sha256sum -c - && .*sudo \\./"\\$f" install --url ${c.url} --token \\S+$`));
  t.match(await page.locator('code[data-os=windows]').textContent(), /Get-FileHash \$f -Algorithm SHA256/);
  t.match(await page.locator('.command[data-os=macos] .note').textContent(), /The macOS executables are unsigned and untested on a Mac/);
  await shot(page, 'admin');
});

t.test('a client user sees only its own client, in German when the browser is German', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(c.url + '/');
  t.equal(await page.locator('form.login h1').textContent(), 'Anmelden');
  await loginAs(page, 'anna');
  t.same(await page.locator('#overview tbody tr th').allTextContents(), ['Bäckerei Schmidt']);
  t.notMatch(await page.content(), /Kanzlei|server-01/);
  await page.goto(`${c.url}/#/host/${lawyer.agentId}`);
  await page.locator('[role=alert]').waitFor();
  t.match(await page.locator('main').textContent(), /Nicht gefunden/);
  t.equal(await page.locator('a[href="#/admin"]').count(), 0, 'no management link for a client user');
  await page.goto(`${c.url}/#/`);
  await page.locator('#overview table').waitFor();
  await shot(page, 'client-user-de');
});

t.test('a right-to-left override in a host name stays inside the name', async (t) => {
  const original = 'server-01';
  await rawRun(c.store, `UPDATE agents SET name = ? WHERE id = ?`, 'server\u202E-01', lawyer.agentId);
  t.teardown(async () => void (await rawRun(c.store, `UPDATE agents SET name = ? WHERE id = ?`, original, lawyer.agentId)));
  const context = await chromium.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  await page.goto(`${c.url}/#/check/${lawyer.agentId}/dms`);
  await page.locator('p.crumbs').waitFor();
  // The crumbs end "… › server‮-01 › DMS": without isolation the override runs on to the end of the line and
  // the check's name is drawn reversed, left of the host name's end.
  const { hostRight, checkLeft } = await page.locator('p.crumbs').evaluate((crumbs) => {
    const links = crumbs.querySelectorAll('a');
    const host = links[links.length - 1]!;
    const last = crumbs.lastChild!;
    const range = document.createRange();
    range.selectNodeContents(last);
    return { hostRight: host.getBoundingClientRect().right, checkLeft: range.getBoundingClientRect().left };
  });
  t.ok(checkLeft >= hostRight, `the check name (x ${checkLeft}) stays right of the host name (ends at x ${hostRight})`);
});

t.test('on a phone the overview stays readable', async (t) => {
  const context = await chromium.newContext('en-GB', { width: 390, height: 844 });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, 'admin');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(width <= 390, `no horizontal scrolling (${width}px)`);
  // Nor inside the table's own scroll box, where a too wide value would be cut off at the screen's edge.
  const [table, wrap] = await page.locator('#overview .table-wrap').evaluate((w) => [w.querySelector('table')!.scrollWidth, w.clientWidth]);
  t.ok(table! <= wrap!, `the overview table (${table} px) fits its box (${wrap} px)`);
  const cut = await page.locator('#overview td, #overview tbody th').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).length);
  t.equal(cut, 0, 'no cell runs over its edge');
  await shot(page, 'overview-phone');
});
