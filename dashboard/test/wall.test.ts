import t from 'tap';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { ARTIFACTS, loginAs, startBrowserWorld, type AgentHandle } from './helpers/world.ts';

// Real Chromium at TV size: the wall shows every client as a tile, worst first, in large type without the
// header; when they do not fit it turns pages by itself; a live change reorders the tiles without a request.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const CLIENTS = 14;
const agents: Array<{ client: string; agent: AgentHandle; socket: Awaited<ReturnType<AgentHandle['connect']>>; seq: number }> = [];
for (let i = 0; i < CLIENTS; i++) {
  const client = `Kunde ${String(i + 1).padStart(2, '0')}`;
  const agent = await c.addAgent(client, `pc-${i}`);
  agents.push({ client, agent: await agent, socket: await agent.connect(), seq: 0 });
}
t.teardown(() => agents.forEach((a) => a.socket.close()));
const send = async (i: number, status: Result['status']) => {
  const a = agents[i]!;
  const at = Date.now();
  await a.agent.send(a.socket, [{ seq: ++a.seq, checkId: 'web', kind: 'http', name: 'Webshop', status, message: status === 'OK' ? 'HTTP 200' : 'HTTP 502', metrics: {}, startedAt: at, finishedAt: at + 5, intervalMs: 60_000 }]);
};
for (let i = 0; i < CLIENTS; i++) await send(i, i === 9 ? 'CRIT' : 'OK');

t.test('TV: tiles worst first, large type, no header, pages turn; a live change reorders without a request', async (t) => {
  const context = await chromium.browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 720 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/wall?rotate=3`);
  const tiles = page.locator('#wall .tile');
  await tiles.first().waitFor();
  t.equal(await tiles.count(), CLIENTS, 'a tile per client');
  t.equal(await page.locator('header').isVisible(), false, 'no controls');
  t.equal(await tiles.first().getAttribute('data-worst'), 'CRIT');
  t.match(await tiles.first().textContent(), /Kunde 10.*Webshop.*HTTP 502/);
  // In one task in the page: a live update re-draws the tiles, and a detached element has no computed style.
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#wall .tile h2')!).fontSize));
  t.ok(size >= 24, `client names in ${size}px`);
  const pages = Number(await page.locator('#wall-pager').getAttribute('data-pages'));
  t.ok(pages > 1, `${CLIENTS} tiles do not fit 1280×720: ${pages} pages`);
  // As many tiles per page as fit: the visible ones end above the pager, and one more row would not.
  const shown = await page.locator('#wall .tile:not([hidden])').count();
  t.equal(pages, Math.ceil(CLIENTS / shown));
  const box = await page.evaluate(() => {
    const tiles = [...document.querySelectorAll<HTMLElement>('#wall .tile:not([hidden])')];
    const bottom = Math.max(...tiles.map((e) => e.getBoundingClientRect().bottom));
    const height = tiles[0]!.offsetHeight;
    const top = document.querySelector('#wall')!.getBoundingClientRect().top;
    const columns = new Set(tiles.map((e) => Math.round(e.getBoundingClientRect().left))).size;
    const width = tiles[0]!.offsetWidth;
    const gridWidth = document.querySelector<HTMLElement>('#wall')!.clientWidth;
    return { bottom, height, top, columns, width, gridWidth };
  });
  t.ok(box.bottom <= 720, `the page's tiles end at ${Math.round(box.bottom)} px, inside 720`);
  t.ok(box.bottom + 16 + box.height > 720 - 48, `another row (${box.height} px) would not fit above the pager`);
  t.ok(box.columns > 1 && (box.columns + 1) * box.width + box.columns * 16 > box.gridWidth, `${box.columns} columns: one more would not fit`);
  const visibleFirst = await page.locator('#wall .tile:not([hidden])').evaluateAll((n) => n.map((e) => e.getAttribute('data-client')));
  await page.screenshot({ path: join(ARTIFACTS, 'wall-de.png') });
  await page.waitForFunction(() => document.querySelector('#wall-pager')?.getAttribute('data-page') === '2', undefined, { timeout: 6_000 });
  const visibleSecond = await page.locator('#wall .tile:not([hidden])').evaluateAll((n) => n.map((e) => e.getAttribute('data-client')));
  t.same(visibleFirst.filter((id) => visibleSecond.includes(id)), [], 'the next page shows other clients');

  const requests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
  });
  await send(2, 'WARN');
  await page.locator('#wall .tile[data-worst="WARN"]').waitFor({ state: 'attached', timeout: 5_000 });
  const order = await tiles.evaluateAll((n) => n.map((e) => e.getAttribute('data-worst')));
  t.same(order.slice(0, 2), ['CRIT', 'WARN'], 'the warning moved up behind the outage');
  t.same(requests, [], 'no request: the row came over the live socket');
  await page.goto(`${c.url}/#/`);
  await page.locator('header').waitFor();
  t.equal(await page.locator('header').isVisible(), true, 'leaving the wall brings the header back');
});
