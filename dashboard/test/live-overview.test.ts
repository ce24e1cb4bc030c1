import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import type { Result } from '@nines/shared';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium, a real collector, an agent streaming results over its socket every 50 ms (a big estate's pace):
// the overview takes a state change in place, with no REST request at all; the client page, which still
// refreshes, refreshes while the stream goes on (a debounce restarted by every result never would).
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const agent = await c.addAgent('acme', 'pc-01');
const CHECKS = ['web', 'mail', 'dns', 'disk', 'backup'];
const STREAM_MS = 50;
let seq = 0;
const batch = (failing: string | null): Result[] => CHECKS.map((id) => {
  const at = Date.now();
  return { seq: ++seq, checkId: id, kind: 'http', name: id, status: id === failing ? 'CRIT' : 'OK', message: id === failing ? 'HTTP 502' : 'HTTP 200', metrics: {}, startedAt: at, finishedAt: at + 5, intervalMs: 20_000 };
});
const socket = await agent.connect();
t.teardown(() => socket.close());
await agent.send(socket, batch(null));

/** Streams batches until `stop` is set; `failing` is read at every batch. */
function stream(state: { failing: string | null; stop: boolean }): Promise<number> {
  return (async () => {
    let frames = 0;
    while (!state.stop && frames < 400) {
      await agent.send(socket, batch(state.failing));
      frames++;
      await new Promise((r) => setTimeout(r, STREAM_MS));
    }
    return frames;
  })();
}

/** A page of its own, logged in as the consultant; closed with the test. */
async function adminPage(t: Test): Promise<Page> {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  return page;
}

t.test('overview: a live state change is applied in place, without a REST request, while results stream', async (t) => {
  const page = await adminPage(t);
  const row = page.locator('#overview tr[data-client]');
  await row.first().waitFor();
  t.equal(await row.first().getAttribute('data-worst'), 'OK');
  const requests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
  });
  const state = { failing: null as string | null, stop: false };
  const streaming = stream(state);
  await new Promise((r) => setTimeout(r, 10 * STREAM_MS));
  state.failing = 'mail';
  await page.locator('#overview tr[data-client][data-worst="CRIT"]').waitFor({ timeout: 5_000 });
  t.pass('the row turned CRIT while the stream went on');
  t.match(await row.first().textContent(), /HTTP 502/, 'its problem, in place');
  state.failing = null;
  await page.locator('#overview tr[data-client][data-worst="OK"]').waitFor({ timeout: 5_000 });
  state.stop = true;
  const frames = await streaming;
  t.ok(frames >= 10, `${frames} frames streamed meanwhile`);
  t.same(requests, [], 'no REST request: the rows came over the live socket');
});

t.test('overview: a keyboard user on a client link keeps the focus while that client\'s row is pushed', async (t) => {
  const page = await adminPage(t);
  const clientId = (await c.store.findClient('acme'))!.id;
  const link = `#overview a[href="#/client/${clientId}"]`;
  await page.locator(`#overview tr[data-client][data-worst="OK"]`).waitFor();
  await page.focus(link);
  const state = { failing: 'web' as string | null, stop: false };
  const streaming = stream(state);
  // The row is redrawn when it turns CRIT and again when it turns OK: each time a new link element.
  await page.locator('#overview tr[data-client][data-worst="CRIT"]').waitFor({ timeout: 5_000 });
  const onCrit = await page.evaluate((sel) => ({ on: document.activeElement?.matches(sel) ?? false, tag: document.activeElement?.tagName }), link);
  state.failing = null;
  await page.locator('#overview tr[data-client][data-worst="OK"]').waitFor({ timeout: 5_000 });
  state.stop = true;
  await streaming;
  const onOk = await page.evaluate((sel) => ({ on: document.activeElement?.matches(sel) ?? false, tag: document.activeElement?.tagName }), link);
  t.same(onCrit, { on: true, tag: 'A' }, 'after the row turned CRIT the focus is on the client\'s link in the new row');
  t.same(onOk, { on: true, tag: 'A' }, 'and after it turned OK again');
});

t.test('client page: its refresh is throttled, not starved, while results stream', async (t) => {
  const page = await adminPage(t);
  const clientId = (await c.store.findClient('acme'))!.id;
  await page.goto(`${c.url}/#/client/${clientId}`);
  await page.locator(`.host tr[data-check="${agent.agentId}/dns"]`).waitFor();
  let overviewRequests = 0;
  let ownRowRequests = 0;
  let clientRequests = 0;
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === `/api/v1/clients/${clientId}`) clientRequests++;
    // A refresh reads the client's own overview row too (its hosts' heartbeat bars); never the whole overview.
    if (url.pathname === '/api/v1/overview') (url.searchParams.get('client') === String(clientId) ? ownRowRequests++ : overviewRequests++);
  });
  const state = { failing: 'dns' as string | null, stop: false };
  const started = Date.now();
  const streaming = stream(state);
  await page.locator(`.host tr[data-check="${agent.agentId}/dns"] [data-status="CRIT"]`).waitFor({ timeout: 6_000 });
  const seenAfter = Date.now() - started;
  t.pass(`the check row showed CRIT ${seenAfter} ms into the stream`);
  // From now on the state stays: each result only moves the row's message and time, in place, without a fetch.
  const last = page.locator(`.host tr[data-check="${agent.agentId}/dns"] [data-last]`);
  const before = Number(await last.getAttribute('data-last'));
  const requestsBefore = clientRequests;
  await page.waitForFunction(([selector, at]) => Number(document.querySelector(selector as string)?.getAttribute('data-last')) > (at as number) + 500,
    [`.host tr[data-check="${agent.agentId}/dns"] [data-last]`, before] as const, { timeout: 5_000 });
  t.equal(clientRequests, requestsBefore, 'the same state again: the row moved in place, no request');
  state.stop = true;
  await streaming;
  const elapsed = Date.now() - started;
  // At most one refresh per 2 s (plus the first): the stream's ~20 messages a second do not each cost a fetch.
  t.ok(clientRequests >= 1 && clientRequests <= Math.ceil(elapsed / 2_000) + 1, `${clientRequests} refreshes in ${elapsed} ms`);
  t.equal(overviewRequests, 0, 'the whole overview is never fetched');
  t.equal(ownRowRequests, clientRequests, 'one own overview row (the bars) per refresh, no more');
});
