import t from 'tap';
import { join } from 'node:path';
import type { Status } from '@nines/shared';
import { ARTIFACTS, history, loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium: the dashboard follows the system's colour scheme. In dark, surfaces are dark and every status
// badge and the body text keep WCAG AA contrast (≥ 4.5:1), computed from the colours the browser applied.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const agent = await c.addAgent('Bäckerei Müller', 'pc-01');
const socket = await agent.connect();
t.teardown(() => socket.close());
const statuses: Status[] = ['OK', 'WARN', 'CRIT', 'UNKNOWN'];
let seq = 0;
for (const status of statuses) {
  const batch = history(status.toLowerCase(), 'http', `check ${status}`, seq + 1, 3, 60_000).map((r) => ({ ...r, status }));
  seq += batch.length;
  await agent.send(socket, batch);
}

const luminance = (rgb: string) => {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

for (const scheme of ['light', 'dark'] as const) {
  t.test(`${scheme}: surfaces, and every status badge and the text readable`, async (t) => {
    const context = await chromium.browser.newContext({ locale: 'de-DE', colorScheme: scheme, viewport: { width: 1280, height: 800 } });
    t.teardown(() => context.close());
    const page = await context.newPage();
    await loginAs(page, c.url, 'admin');
    await page.goto(`${c.url}/#/host/${agent.agentId}`);
    await page.locator('tr[data-check] [data-status="UNKNOWN"]').first().waitFor();
    const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    t.equal(body, scheme === 'dark' ? 'rgb(18, 21, 27)' : 'rgb(246, 247, 249)', 'the page background follows the scheme');
    // Each element found and read in one page task: a live update may redraw it between a lookup and a read.
    const card = await page.evaluate(() => getComputedStyle(document.querySelector('.card')!).backgroundColor);
    t.equal(card, scheme === 'dark' ? 'rgb(28, 32, 41)' : 'rgb(255, 255, 255)');
    const text = await page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]);
    t.ok(contrast(text[0]!, text[1]!) >= 4.5, `body text ${contrast(text[0]!, text[1]!).toFixed(1)}:1`);
    for (const status of statuses) {
      const [fg, bg] = await page.evaluate((sel) => {
        const badge = document.querySelector(sel)!;
        return [getComputedStyle(badge).color, getComputedStyle(badge).backgroundColor];
      }, `tr[data-check] [data-status="${status}"]`);
      t.ok(contrast(fg!, bg!) >= 4.5, `${status} badge ${contrast(fg!, bg!).toFixed(1)}:1`);
    }
    await page.screenshot({ path: join(ARTIFACTS, `host-${scheme}.png`) });
  });
}
