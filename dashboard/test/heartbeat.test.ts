/**
 * The overview's heartbeat bars and filters in real Chromium against a real collector whose clock is fixed (and
 * moved by the test): a check that fails for a number of intervals colours exactly the hours those intervals touch,
 * an hour the agent's spool dropped is grey, a new failure reaches the bar over the live socket without a request,
 * and the client / label / state filters show the right clients, survive a reload through the hash, and show a
 * hostile label as text. Every expected figure is derived from the scenario below.
 */
import t from 'tap';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { createMaintenance } from '../../collector/src/availability/index.ts';
import { ARTIFACTS, loginAs, startBrowserWorld } from './helpers/world.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const CELLS = 24;
const INTERVAL = 10 * MIN;
let now = Date.UTC(2026, 10, 5, 14, 25); // a fixed Thursday afternoon, 25 min into the running hour
const { c, chromium } = await startBrowserWorld(t, () => now);
await c.addUser('admin', 'admin');

// The scenario: a result every interval over the whole bar; one hour dropped by the spool (a gap frame); a run of
// FAILING failures starting 20 min into an hour.
const currentHour = Math.floor(now / HOUR) * HOUR;
const barFrom = currentHour - (CELLS - 1) * HOUR;
const gapHour = barFrom + 3 * HOUR;
const maintenanceHour = barFrom + 6 * HOUR; // a whole hour of planned work on the host
const downFrom = barFrom + 10 * HOUR + 20 * MIN;
const FAILING = 9;
const downTo = downFrom + FAILING * INTERVAL;
const hoursTouched = (from: number, to: number) => Math.floor((to - 1) / HOUR) - Math.floor(from / HOUR) + 1;
const expectedDown = hoursTouched(downFrom, downTo);

const acme = await c.addAgent('acme', 'pc-01');
const acmeSocket = await acme.connect();
t.teardown(() => acmeSocket.close());
let seq = 0;
const history: Result[] = [];
const gapSeqs: number[] = [];
for (let at = barFrom - INTERVAL; at < now; at += INTERVAL) {
  seq++;
  if (at >= gapHour && at < gapHour + HOUR) {
    gapSeqs.push(seq);
    continue;
  }
  const failing = at >= downFrom && at < downTo;
  history.push({ seq, checkId: 'web', kind: 'http', name: 'Web', status: failing ? 'CRIT' : 'OK', message: failing ? 'HTTP 502' : 'HTTP 200', metrics: {}, startedAt: at, finishedAt: at + 5, intervalMs: INTERVAL, labels: ['web'] });
}
const before = history.filter((r) => r.seq < gapSeqs[0]!);
await acme.send(acmeSocket, before);
acmeSocket.send(JSON.stringify({ type: 'gap', fromSeq: gapSeqs[0], toSeq: gapSeqs.at(-1), from: gapHour, to: gapHour + HOUR, reason: 'spool full' }));
await acme.send(acmeSocket, history.filter((r) => r.seq > gapSeqs.at(-1)!)); // acked after the gap: the gap is stored
await createMaintenance(c.store, {
  clientId: (await c.store.findClient('acme'))!.id, agentId: acme.agentId, checkId: null, title: 'RAM', recurrence: 'once',
  startsAt: maintenanceHour, endsAt: maintenanceHour + HOUR, localTime: null, durationMs: null, weekdays: null,
}, now);

// Two more clients for the filters: one with a critical database check, one whose label is hostile markup.
const HOSTILE = '<script>window.__pwned=1</script>';
const bakery = await c.addAgent('bakery', 'kasse');
const bakerySocket = await bakery.connect();
const cafe = await c.addAgent('café', 'tresen');
const cafeSocket = await cafe.connect();
t.teardown(() => (bakerySocket.close(), cafeSocket.close()));
const one = (s: number, status: 'OK' | 'CRIT', labels: string[]): Result => ({ seq: s, checkId: 'db', kind: 'tcp', name: 'DB', status, message: status, metrics: {}, startedAt: now - MIN, finishedAt: now - MIN + 5, intervalMs: MIN, labels });
await bakery.send(bakerySocket, [one(1, 'CRIT', ['db'])]);
await cafe.send(cafeSocket, [one(1, 'OK', [HOSTILE])]);

// Every client exists by now: their ids, read once, for the selectors below.
const clientIds = new Map((await c.store.listClients()).map((client) => [client.name, client.id]));
const clientId = (name: string): number => clientIds.get(name)!;
/** Hours turned down by live failures the tests below send, in order (each test adds its own). */
let liveDown = 0;

t.test('the bar: exactly the hours of the failing run are down, the dropped hour is grey, words for screen readers', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  const host = page.locator(`#overview tr[data-client="${clientId('acme')}"] .beat-host[data-host="${acme.agentId}"]`);
  await host.waitFor();
  t.equal(await host.locator('.beat').count(), CELLS, 'one cell per hour of the last 24 h');
  const down = host.locator('.beat[data-state="DOWN"]');
  t.equal(await down.count(), expectedDown, `${expectedDown} down cells: ${FAILING} failures × ${INTERVAL / MIN} min from ${new Date(downFrom).toISOString()}`);
  t.equal(Number(await down.first().getAttribute('data-from')), Math.floor(downFrom / HOUR) * HOUR, 'starting with the hour of the first failure');
  t.match(await down.first().getAttribute('title'), /Down \d+ min/, 'its tooltip says how long');
  const gap = host.locator(`.beat[data-from="${gapHour}"]`);
  t.equal(await gap.getAttribute('data-state'), 'NONE', 'the dropped hour has no data');
  // Found and read in one page task: a live update may redraw the bar between a locator's lookup and its read, and a
  // detached cell has no computed style (it read as '').
  const colour = (selector: string) => page.evaluate((sel) => {
    const cell = document.querySelector(sel);
    return cell ? getComputedStyle(cell).backgroundColor : `no element matches ${sel}`;
  }, selector);
  const grey = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.background = 'var(--soft)';
    document.body.append(probe);
    const value = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return value;
  });
  t.equal(await colour(`.beat-host[data-host="${acme.agentId}"] .beat[data-from="${gapHour}"]`), grey, 'and is drawn grey');
  const upColour = await colour(`.beat-host[data-host="${acme.agentId}"] .beat[data-state="UP"]`);
  t.not(upColour, grey, 'unlike an up hour');
  t.equal(await host.locator(`.beat[data-from="${maintenanceHour}"]`).getAttribute('data-state'), 'MAINTENANCE', 'the hour of planned work is maintenance');
  const maintenanceColour = await colour(`.beat-host[data-host="${acme.agentId}"] .beat[data-from="${maintenanceHour}"]`);
  t.ok(![grey, upColour].includes(maintenanceColour), `drawn apart from up and no data (${maintenanceColour})`);
  t.match(await host.locator(`.beat[data-from="${maintenanceHour}"]`).getAttribute('title'), /Maintenance 60 min/);
  t.equal(await host.locator(`.beat:not([data-state="DOWN"]):not([data-from="${gapHour}"]):not([data-from="${maintenanceHour}"])`).evaluateAll((cells) => cells.every((c) => c.getAttribute('data-state') === 'UP')), true, 'every other hour is up');
  const label = await host.locator('.beat-bar').getAttribute('aria-label');
  t.match(label, new RegExp(`^pc-01 · 24 h: [\\d.]+ % up, down in ${expectedDown} of ${CELLS} hours$`), `screen readers hear: ${label}`);
  await page.screenshot({ path: join(ARTIFACTS, 'overview-heartbeat.png'), fullPage: true });

  // Live: a failure in the running hour turns that cell down, pushed as the row, without any REST request.
  const requests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
  });
  now += 30_000;
  await acme.send(acmeSocket, [{ ...history.at(-1)!, seq: ++seq, status: 'CRIT', message: 'HTTP 502', startedAt: now - 1_000, finishedAt: now - 995 }]);
  await host.locator(`.beat[data-from="${currentHour}"][data-state="DOWN"]`).waitFor({ timeout: 5_000 });
  t.equal(await down.count(), expectedDown + 1, 'one more down cell: the running hour');
  t.same(requests, [], 'no REST request: the bar came over the live socket');
  liveDown++;
});

t.test("the client page: the host's bar from the client's overview row, and a replayed hour reaches it in place", async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/client/${clientId('acme')}`);
  const card = page.locator(`.card.host[data-agent="${acme.agentId}"]`);
  const host = card.locator(`.host-beats .beat-host[data-host="${acme.agentId}"]`);
  await host.waitFor();
  t.equal(await host.locator('.beat').count(), CELLS, 'one cell per hour of the last 24 h, as on the overview');
  const down = host.locator('.beat[data-state="DOWN"]');
  t.equal(await down.count(), expectedDown + liveDown, `${expectedDown} hours of the failing run + ${liveDown} running hour failed live`);
  t.equal(Number(await down.first().getAttribute('data-from')), Math.floor(downFrom / HOUR) * HOUR, 'the first down cell is the hour of the first failure');
  t.equal(await host.locator(`.beat[data-from="${gapHour}"]`).getAttribute('data-state'), 'NONE', 'the dropped hour has no data');
  t.equal(await host.locator(`.beat[data-from="${maintenanceHour}"]`).getAttribute('data-state'), 'MAINTENANCE');
  t.equal(await host.locator('.beat-name').count(), 0, 'no second name: the card is headed by the host');
  t.match(await host.locator('.beat-bar').getAttribute('aria-label'), new RegExp(`^pc-01 · 24 h: [\\d.]+ % up, down in ${expectedDown + liveDown} of ${CELLS} hours$`));
  const widths = await host.locator('.beat').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
  t.ok(Math.min(...widths) > 5, `cells wider than the overview's 5 px (${Math.min(...widths).toFixed(1)} px): the card's width`);
  await page.screenshot({ path: join(ARTIFACTS, 'client-heartbeat.png'), fullPage: true });

  // A replayed result of an up hour (older than the newest, so no check's state changes) turns that hour down in
  // place: the row is pushed over the live socket, the page is not rebuilt and asks nothing.
  const replayHour = barFrom + 15 * HOUR;
  t.equal(await host.locator(`.beat[data-from="${replayHour}"]`).getAttribute('data-state'), 'UP', 'the replayed hour was up');
  await card.evaluate((e) => e.setAttribute('data-before-push', ''));
  const requests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
  });
  const at = replayHour + 15 * MIN + 2 * MIN;
  await acme.send(acmeSocket, [{ ...history.at(-1)!, seq: ++seq, status: 'CRIT', message: 'HTTP 502', startedAt: at, finishedAt: at + 5 }]);
  await host.locator(`.beat[data-from="${replayHour}"][data-state="DOWN"]`).waitFor({ timeout: 5_000 });
  liveDown++;
  t.equal(await down.count(), expectedDown + liveDown, 'one more down cell: the replayed hour');
  t.equal(await card.getAttribute('data-before-push'), '', 'the same card: the bar was replaced in place');
  t.same(requests, [], 'no REST request');
});

t.test('filters: client text, label and state show the right clients, the hash keeps them, a hostile label is text', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  const shown = async () => (await page.locator('#overview tr[data-client] th > a').allTextContents()).sort();
  await page.locator('#overview tr[data-client]').nth(2).waitFor();
  t.same(await shown(), ['acme', 'bakery', 'café']);

  t.same((await page.locator('#label-filter option').allTextContents()).slice(1), ['<script>window.__pwned=1</script>', 'db', 'web'].sort((a, b) => a.localeCompare(b)), 'every label is offered, as text');
  t.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined, 'the hostile label ran nothing');
  t.equal(await page.locator('#label-filter script').count(), 0, 'and made no element');

  await page.locator('#label-filter').selectOption('db');
  t.same(await shown(), ['bakery'], 'label db: the client with the database check');
  t.match(page.url(), /#\/\?label=db$/, 'the filter is in the hash');
  await page.reload();
  await page.locator('#overview tr[data-client]').first().waitFor();
  t.equal(await page.locator('#label-filter').inputValue(), 'db', 'after a reload the filter stands');
  t.same(await shown(), ['bakery']);

  await page.locator('#label-filter').selectOption(HOSTILE);
  t.same(await shown(), ['café'], 'the hostile label filters like any other');
  await page.locator('#label-filter').selectOption('');
  await page.locator('#state-filter').selectOption('CRIT');
  t.same(await shown(), ['acme', 'bakery'], 'CRIT: both clients with a critical check (acme failed last)');
  await page.locator('#state-filter').selectOption('problems');
  t.same(await shown(), ['acme', 'bakery']);
  await page.locator('#state-filter').selectOption('all');
  await page.locator('#search').fill('tresen');
  t.same(await shown(), ['café'], "a host's name finds its client");
  t.match(page.url(), /#\/\?client=tresen$/);
  await page.locator('#search').fill('');
  t.equal(new URL(page.url()).hash, '#/', 'no filter: the plain overview address');

  // The host page shows a check's labels as text, each leading to the overview filtered by it.
  await page.goto(`${c.url}/#/host/${cafe.agentId}`);
  const chip = page.locator(`tr[data-check="${cafe.agentId}/db"] .label-chip`);
  t.equal(await chip.textContent(), HOSTILE, "the host page shows the check's label as text");
  await chip.click();
  await page.locator('#overview tr[data-client]').first().waitFor();
  t.equal(await page.locator('#label-filter').inputValue(), HOSTILE, 'its link opens the overview filtered by it');
  t.same(await shown(), ['café']);
  t.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined, 'still nothing ran');
});
