import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { loginAs, PASSWORD } from './helpers/world.ts';
import { startA11yEstate } from './helpers/a11y-estate.ts';

// Real Chromium, a real collector: one flow driven by the keyboard alone — log in, open a client, its host, the
// failing check, acknowledge its alert, go back — checking document.activeElement at every step, and that every
// element Tab lands on shows a focus ring with at least 3:1 contrast against the page, in light and in dark.
const e = await startA11yEstate(t);

interface Focused { tag: string; id: string; text: string; href: string | null; ring: { width: number; contrast: number } | null }

/** The focused element, and its focus ring: outline width and the outline colour's contrast with the page background. */
const focused = (page: Page) => page.evaluate(`(() => {
  const a = document.activeElement;
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (x, y) => { const [p, q] = [lum(x), lum(y)].sort((m, n) => n - m); return (p + 0.05) / (q + 0.05); };
  const style = a ? getComputedStyle(a) : null;
  const width = style && style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
  return { tag: a ? a.tagName.toLowerCase() : '', id: a ? a.id : '', text: a ? (a.textContent || '').trim().slice(0, 80) : '', href: a ? a.getAttribute('href') : null,
    ring: width > 0 ? { width, contrast: contrast(style.outlineColor, getComputedStyle(document.body).backgroundColor) } : null };
})()`) as Promise<Focused>;

/** Presses Tab (or Shift+Tab) until `selector` has focus, at most `max` times; every stop must show a ring. */
async function tabTo(t: Test, page: Page, selector: string, options: { back?: boolean; max?: number } = {}): Promise<number> {
  const max = options.max ?? 80;
  const ringless: string[] = [];
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (!f.ring || f.ring.width < 2 || f.ring.contrast < 3) ringless.push(`${f.tag}#${f.id} "${f.text}" ${JSON.stringify(f.ring)}`);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      t.same(ringless, [], `every stop on the way to ${selector} showed a focus ring ≥ 2 px at ≥ 3:1`);
      return presses;
    }
  }
  throw new Error(`${selector} not reached by ${max} × ${options.back ? 'Shift+Tab' : 'Tab'}`);
}

/** The view's heading has focus after a navigation, so the next Tab starts in the content. */
async function headingFocused(t: Test, page: Page, text: RegExp) {
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  const f = await focused(page);
  t.match(f.text, text, `focus on the new view's heading (${f.text})`);
}

for (const [scheme, checkId, checkName] of [['light', 'web', 'Webshop'], ['dark', 'till', 'Till']] as const) {
  const alertId = checkId === 'web' ? e.alertId : e.tillAlertId;
  t.test(`${scheme}: log in, client, host, check, acknowledge, back — keyboard only`, async (t) => {
    const context = await e.newContext({ locale: 'en-GB', colorScheme: scheme });
    t.teardown(() => context.close());
    const page = await context.newPage();
    await page.goto(e.c.url + '/');
    await page.waitForFunction(() => document.activeElement?.id === 'username');
    t.pass('the login form starts in the user name');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    t.equal((await focused(page)).id, 'password', 'Tab: the password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#overview table').waitFor();
    await headingFocused(t, page, /All clients/);

    const presses = await tabTo(t, page, `#overview a[href="#/client/${e.clientId}"]`);
    t.ok(presses > 1, `the client's link is ${presses} Tabs into the overview`);
    await page.keyboard.press('Enter');
    await page.locator('#availability-table').waitFor();
    await headingFocused(t, page, /Bäckerei Schmidt/);

    await tabTo(t, page, `a[href="#/host/${(await e.bakery).agentId}"]`);
    await page.keyboard.press('Enter');
    await page.locator('tr[data-check]').first().waitFor();
    await headingFocused(t, page, /kasse-01/);

    await tabTo(t, page, `a[href="#/check/${(await e.bakery).agentId}/${checkId}"]`);
    await page.keyboard.press('Enter');
    await page.locator('[data-alert-state=FIRING]').waitFor();
    await headingFocused(t, page, new RegExp(checkName));

    await tabTo(t, page, 'button.ack');
    await page.keyboard.press('Space');
    await page.locator('[data-acked=yes]').waitFor();
    t.equal((await e.c.app.alerting.engine.alerts.get(alertId))!.ackedBy, 'admin', 'Space on "acknowledge" acknowledged it');
    // The button is gone with the redraw: focus is on the alert's section, not thrown back to the top of the page.
    await page.waitForFunction((id) => document.activeElement?.closest(`#alert-${id}`) !== null, alertId);
    t.equal((await focused(page)).id, `alert-${alertId}`, 'focus stays on the alert');
    await tabTo(t, page, 'select.silence-for', { max: 3 });
    t.pass('the next Tab goes on from the alert: the silence choice');

    // The range choice redraws the whole view: focus stays on the choice. The old choice is marked, so the wait is
    // for the new one (the old one reads 7d, and has focus, before the redraw has come).
    await tabTo(t, page, '#range');
    await page.evaluate(() => { document.getElementById('range')!.dataset['before'] = 'yes'; });
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => { const range = document.getElementById('range') as HTMLSelectElement | null; return range?.value === '7d' && range.dataset['before'] === undefined; });
    await page.waitForFunction(() => document.activeElement?.id === 'range');
    t.equal(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value), '7d', 'the redrawn view, focus still on the range (now 7d)');

    await tabTo(t, page, `.crumbs a[href="#/host/${(await e.bakery).agentId}"]`, { back: true });
    await page.keyboard.press('Enter');
    await page.locator('tr[data-check]').first().waitFor();
    await headingFocused(t, page, /kasse-01/);
    t.match(page.url(), new RegExp(`#/host/${(await e.bakery).agentId}$`), 'back on the host');

    // The skip link is the first stop of the page and jumps to the content without changing the route.
    await tabTo(t, page, 'a.skip', { back: true });
    await page.keyboard.press('Enter');
    t.equal((await focused(page)).id, 'main', 'Enter on the skip link: focus on the content');
    t.match(page.url(), new RegExp(`#/host/${(await e.bakery).agentId}$`), 'the route stayed');
    t.equal(await page.locator('tr[data-check]').count(), 3, 'the host view is still shown, its three checks');
  });
}

t.test('a slow redraw: focus stays where the person tabbed to meanwhile, not where the redraw began', async (t) => {
  const context = await e.newContext({ locale: 'en-GB' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, e.c.url, 'admin');
  const agentId = (await e.bakery).agentId;
  const crumb = `.crumbs a[href="#/host/${agentId}"]`;
  await page.goto(`${e.c.url}/#/check/${agentId}/mail`);
  await page.locator('#range').waitFor();
  // The range's history request is held until the person has moved on, as on a slow line or a big estate.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested!: () => void;
  const asked = new Promise<void>((resolve) => (requested = resolve));
  await page.route(/\/history\?/, async (route) => {
    requested();
    await held;
    await route.continue();
  });
  await page.evaluate((sel) => {
    document.getElementById('range')!.dataset['before'] = 'yes';
    document.querySelector<HTMLElement>(sel)!.dataset['before'] = 'yes';
  }, crumb);
  await page.focus('#range');
  await page.keyboard.press('ArrowDown');
  await asked;
  await tabTo(t, page, crumb, { back: true });
  release();
  await page.waitForFunction(() => document.getElementById('range')?.dataset['before'] === undefined);
  const after = await page.evaluate((sel) => ({ on: document.activeElement?.matches(sel) ?? false, redrawn: (document.activeElement as HTMLElement | null)?.dataset['before'] === undefined }), crumb);
  t.same(after, { on: true, redrawn: true }, 'after the redraw focus is on the link the person went to, in the new DOM');
  await page.keyboard.press('Enter');
  await page.locator('tr[data-check]').first().waitFor();
  t.match(page.url(), new RegExp(`#/host/${agentId}$`), 'and Enter there opens the host');
});
