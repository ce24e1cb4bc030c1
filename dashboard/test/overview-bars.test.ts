/**
 * A client with more hosts than an overview row draws, in real Chromium against a real collector: the row shows the
 * worst hosts' bars and "+N hosts", a label filter the worst of that label's hosts (also one the unfiltered row
 * leaves out), the text filter finds a host without a bar, and the client page has every host's bar, a host's
 * change reaching its card over the live socket without a request. Every expected figure is derived from the
 * scenario below.
 */
import t from 'tap';
import { OVERVIEW_BARS_PER_ROW, type Result } from '@nines/shared';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 5, 14, 25); // a fixed Thursday afternoon
const { c, chromium } = await startBrowserWorld(t, () => now);
await c.addUser('admin', 'admin');

// The scenario: pc-06 failing (label web); pc-01 … pc-04 up (web); pc-05 up (db). Worst first, then by name.
const plan = [
  { name: 'pc-06', status: 'CRIT' as const, labels: ['web'] },
  ...['pc-01', 'pc-02', 'pc-03', 'pc-04'].map((name) => ({ name, status: 'OK' as const, labels: ['web'] })),
  { name: 'pc-05', status: 'OK' as const, labels: ['db'] },
];
const order = [plan[0]!, ...plan.slice(1).sort((a, b) => a.name.localeCompare(b.name))].map((p) => p.name);
const withLabel = (label: string) => order.filter((name) => plan.find((p) => p.name === name)!.labels.includes(label));
// What the list carries: the worst few, and the worst few of each label. The one host left out has no bar in it.
const carried = new Set([...order.slice(0, OVERVIEW_BARS_PER_ROW), ...withLabel('web').slice(0, OVERVIEW_BARS_PER_ROW), ...withLabel('db').slice(0, OVERVIEW_BARS_PER_ROW)]);
const hidden = order.find((name) => !carried.has(name))!;
const hosts = new Map<string, { agentId: string; send: (batch: Result[]) => Promise<void> }>();
for (const p of plan) {
  const agent = await c.addAgent('praxis', p.name);
  const socket = await agent.connect();
  t.teardown(() => socket.close());
  const one: Result = { seq: 1, checkId: 'web', kind: 'http', name: 'Web', status: p.status, message: p.status, metrics: {}, startedAt: now - MIN, finishedAt: now - MIN + 5, intervalMs: MIN, labels: p.labels };
  await agent.send(socket, [one]);
  hosts.set(p.name, { agentId: agent.agentId, send: (batch) => agent.send(socket, batch) });
}
const clientId = (await c.store.findClient('praxis'))!.id;

t.test('the row: the worst hosts, "+N hosts", a label filter and the text filter', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  const row = page.locator(`#overview tr[data-client="${clientId}"]`);
  await row.locator('.beat-host').first().waitFor();
  const bars = () => row.locator('.beat-host .beat-name').allTextContents();
  const more = () => row.locator('.beats > a').allTextContents();
  t.same(await bars(), order.slice(0, OVERVIEW_BARS_PER_ROW), `the ${OVERVIEW_BARS_PER_ROW} worst hosts, the failing one first`);
  t.same(await more(), [`+${order.length - OVERVIEW_BARS_PER_ROW} hosts`], `and the other ${order.length - OVERVIEW_BARS_PER_ROW} a link away`);

  await page.locator('#label-filter').selectOption('db');
  await row.locator('.beat-host[data-host="' + hosts.get('pc-05')!.agentId + '"]').waitFor();
  t.same(await bars(), withLabel('db'), "label db: its one host's bar, which the unfiltered row leaves out");
  t.same(await more(), [], 'no "+N": that is every db host');
  await page.locator('#label-filter').selectOption('web');
  await row.locator(`.beat-host[data-host="${hosts.get(order[0]!)!.agentId}"]`).waitFor();
  t.same(await bars(), withLabel('web').slice(0, OVERVIEW_BARS_PER_ROW), 'label web: the worst of its hosts');
  t.same(await more(), [`+${withLabel('web').length - OVERVIEW_BARS_PER_ROW} hosts`], 'and the rest of them counted');

  await page.locator('#label-filter').selectOption('');
  await page.locator('#search').fill(hidden);
  await row.waitFor();
  t.equal(await row.count(), 1, `the text ${hidden} finds the client by a host the list carries no bar of`);
  await page.locator('#search').fill('no-such-host');
  await page.locator('#overview tr[data-client]').waitFor({ state: 'detached' });
  t.equal(await row.count(), 0, 'and a name no host has finds nothing');
});

t.test("the client page: every host's bar; a host's change the overview row leaves out reaches its card in place", async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  const list = await page.evaluate(async () => (await fetch('/api/v1/overview')).json()) as { clients: Array<{ beats: Array<{ name: string }> }> };
  t.notOk(list.clients[0]!.beats.some((b) => b.name === hidden), `${hidden}: not in the list's bars`);
  await page.goto(`${c.url}/#/client/${clientId}`);
  await page.locator('.card.host .host-beats .beat-host').nth(order.length - 1).waitFor();
  t.equal(await page.locator('.card.host .host-beats .beat-host').count(), order.length, 'a bar on every host card');

  const agent = hosts.get(hidden)!;
  const card = page.locator(`.card.host[data-agent="${agent.agentId}"]`);
  const lateAt = Math.floor(now / HOUR) * HOUR - 2 * HOUR + 10 * MIN; // replayed: older than its newest result
  const cell = card.locator(`.beat[data-from="${Math.floor(lateAt / HOUR) * HOUR}"]`);
  t.equal(await cell.getAttribute('data-state'), 'NONE', `${hidden}: that hour has no data`);
  await card.evaluate((e) => e.setAttribute('data-before-push', ''));
  const requests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
  });
  // Up, as the check is now: a result in another state makes the page refetch (live-rows.ts), which is not the path
  // under test. A lone result measures 2 × its interval of the hour; the rest stays without data.
  await agent.send([{ seq: 2, checkId: 'web', kind: 'http', name: 'Web', status: 'OK', message: 'OK', metrics: {}, startedAt: lateAt, finishedAt: lateAt + 5, intervalMs: MIN, labels: ['db'] }]);
  await card.locator(`.beat[data-from="${Math.floor(lateAt / HOUR) * HOUR}"][data-state="UNKNOWN"]`).waitFor({ timeout: 5_000 });
  t.match(await cell.getAttribute('title'), new RegExp(`: Up 2 min, No data ${60 - 2} min$`), 'up for the 2 min the lone result counts, the rest without data');
  t.equal(await card.getAttribute('data-before-push'), '', 'the same card: the bar was replaced in place');
  t.same(requests, [], 'no REST request: the bar came with the pushed row');
});
