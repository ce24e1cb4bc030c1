import t from 'tap';
import type { Result } from '@nines/shared';
import { join } from 'node:path';
import { ARTIFACTS, loginAs, startBrowserWorld } from './helpers/world.ts';

// Issue 15, item 8: locale formats on the chart, the overview at 1400 px in German, host links, no internal ids.
// Real Chromium against a real collector with alerting, fed over real agent sockets.
const { c, chromium } = await startBrowserWorld(t);
await c.app.alerting.start({ alerting: { failuresToFire: 2 } });
await c.addUser('admin', 'admin');
const shop = await c.addAgent('Steuerberatung Müller-Lüdenscheidt', 'dateiserver-buchhaltung-01');
const other = await c.addAgent('Zahnarztpraxis Dr. Hoffmann', 'praxis-server');

/** Two hours of a check a minute apart, the last `failing` of them CRIT with a long message. */
function series(checkId: string, name: string, failing: number): Result[] {
  const now = Date.now();
  return Array.from({ length: 120 }, (_, i): Result => {
    const at = now - (122 - i) * 60_000;
    const down = i >= 120 - failing;
    return { seq: i + 1, checkId, kind: 'http', name, status: down ? 'CRIT' : 'OK',
      message: down ? 'connect ECONNREFUSED 127.0.0.1:8443 (Verbindung vom Server abgelehnt, Dienst antwortet nicht)' : `HTTP 200 in ${20 + (i % 9)} ms`,
      metrics: down ? {} : { latency_ms: 20 + (i % 9) } as Record<string, number>, startedAt: at, finishedAt: at + 20 };
  });
}
const shopSocket = await shop.connect();
await shop.send(shopSocket, series('web', 'Mandantenportal Zugang', 3));
// Security checks as the agent's probes report them: the overview's security mark must fit beside the rest.
const at = Date.now() - 30_000;
await shop.send(shopSocket, [
  { seq: 121, checkId: 'fw', kind: 'firewall', status: 'CRIT', message: 'the firewall is off (nftables)', code: 'firewall.inactive', params: { backend: 'nftables' }, metrics: {}, startedAt: at, finishedAt: at + 5 },
  { seq: 122, checkId: 'av', kind: 'antivirus', status: 'WARN', message: 'antivirus ClamAV 1.4.6: clamd is not running (no on-access scanning)', code: 'antivirus.state', params: { product: 'ClamAV 1.4.6', daemonStopped: 1 }, metrics: {}, startedAt: at, finishedAt: at + 5 },
  { seq: 123, checkId: 'admins', kind: 'admins', status: 'OK', message: '1 administrator (sudo): anna', code: 'admins.state', params: { group: 'sudo', members: 1, names: 'anna' }, metrics: {}, startedAt: at, finishedAt: at + 5 },
]);
const otherSocket = await other.connect();
await other.send(otherSocket, series('dms', 'Dokumentenverwaltung', 0));
t.teardown(() => (shopSocket.close(), otherSocket.close()));
const alerts = c.app.alerting.engine.alerts;
for (let i = 0; i < 200 && (await alerts.find(shop.agentId, 'check', 'web'))?.state !== 'FIRING'; i++) await new Promise((r) => setTimeout(r, 25));

async function open(locale: string, viewport = { width: 1280, height: 800 }) {
  const context = await chromium.newContext(locale, viewport);
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  return { page, close: () => context.close() };
}

/** The legend's time while the pointer is over the middle of the chart. */
async function hoveredTime(locale: string): Promise<string> {
  const { page, close } = await open(locale);
  try {
    await page.goto(`${c.url}/#/check/${shop.agentId}/web`);
    const over = page.locator('.uplot .u-over');
    await over.waitFor();
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    const value = page.locator('.u-legend .u-series').first().locator('.u-value');
    const before = await value.textContent();
    // uPlot follows the pointer on the next frame: move, then wait (bounded) for the legend to change.
    for (let i = 0; i < 20 && (await value.textContent()) === before; i++) {
      await page.mouse.move(box.x + box.width / 2 + i, box.y + box.height / 2);
      await page.waitForTimeout(50);
    }
    return (await value.textContent()) ?? '';
  } finally {
    await close();
  }
}

t.test('the chart legend shows times in the user\'s format, day first like the tables', async (t) => {
  t.match(await hoveredTime('de-DE'), /^\d\d\.\d\d\. \d\d:\d\d$/, 'German: 02.12. 14:00');
  t.match(await hoveredTime('en-GB'), /^\d\d\/\d\d \d\d:\d\d$/, 'English: 02/12 14:00');
});

t.test('at 1400 px in German the overview fits: no horizontal scrolling of the page or the table', async (t) => {
  const { page, close } = await open('de-DE', { width: 1400, height: 900 });
  t.teardown(close);
  t.equal(await page.locator('#overview thead th').first().textContent(), 'Zustand', 'German');
  const sizes = await page.evaluate(() => {
    const wrap = document.querySelector('#overview .table-wrap')!;
    const table = wrap.querySelector('table')!;
    return { page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth, table: table.scrollWidth, wrap: wrap.clientWidth };
  });
  t.ok(sizes.page <= sizes.viewport, `page ${sizes.page} px within ${sizes.viewport} px`);
  t.ok(sizes.table <= sizes.wrap, `table ${sizes.table} px within its ${sizes.wrap} px container`);
  const security = page.locator('#overview tbody tr', { hasText: 'Müller-Lüdenscheidt' }).locator('td.security');
  t.equal(await security.getAttribute('data-security'), 'CRIT');
  t.equal((await security.textContent())?.trim(), '✕ 2', 'one mark and the count not OK');
  t.equal(await security.getAttribute('title'), 'Sicherheit: 2 von 3 Prüfungen nicht in Ordnung (1 kritisch, 1 Warnung)', 'the words in the tooltip');
  t.equal(await page.locator('#overview tbody tr', { hasText: 'Hoffmann' }).locator('td.security').getAttribute('title'), 'Keine Sicherheitsprüfungen');
  await page.screenshot({ path: join(ARTIFACTS, 'overview-de-1400.png'), fullPage: true });
});

t.test('each host named in the overview links to its host page', async (t) => {
  const { page, close } = await open('en-GB');
  t.teardown(close);
  const row = page.locator('#overview tbody tr', { hasText: 'Müller-Lüdenscheidt' });
  const host = row.locator(`a[href="#/host/${shop.agentId}"]`).first(); // one per problem of the host: web, firewall, antivirus
  t.equal(await host.textContent(), 'dateiserver-buchhaltung-01');
  await host.click();
  await page.locator('h1', { hasText: 'dateiserver-buchhaltung-01' }).waitFor();
  t.match(page.url(), new RegExp(`#/host/${shop.agentId}$`));
});

t.test('the check page shows no internal row ids, only words, times and durations', async (t) => {
  const { page, close } = await open('de-DE');
  t.teardown(close);
  await page.goto(`${c.url}/#/check/${shop.agentId}/web`);
  await page.locator('[data-alert-state=FIRING]').waitFor();
  const main = (await page.locator('main').textContent()) ?? '';
  t.notMatch(main, /#\d+/, 'no "#3"');
  t.notMatch(main, /Vorfall \d|incident \d/i, 'no incident counter');
  t.match(await page.locator('[data-alert-for]').textContent(), /^seit \d+ Min\.$/, 'how long it has been firing');
  const alert = (await alerts.find(shop.agentId, 'check', 'web'))!;
  await page.goto(`${c.url}/#/alerts/${alert.id}`);
  await page.locator('section.alert details summary').click();
  t.notMatch(await page.locator('main').textContent(), /#\d+|Vorfall \d/, 'the alert page neither');
  t.notMatch(await page.locator('ul.transitions').textContent(), /PENDING|FIRING/, 'transition states in words');
});
