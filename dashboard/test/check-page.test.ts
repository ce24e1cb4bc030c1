import t from 'tap';
import type { Result } from '@nines/shared';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium: a check's page lists its state changes (not every result) and the latency's p50/p95/max; the raw
// results are one click away. The scenario: 20 results up, 5 down, 10 up, one a minute, latencies known.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const agent = await c.addAgent('acme', 'pc-01');
const STEP = 60_000;
const plan: Array<'OK' | 'CRIT'> = [...Array(20).fill('OK'), ...Array(5).fill('CRIT'), ...Array(10).fill('OK')];
const start = Date.now() - plan.length * STEP;
const latency = (i: number) => 10 + ((i * 37) % 90);
const results: Result[] = plan.map((status, i) => ({
  seq: i + 1, checkId: 'web', kind: 'http', name: 'Webshop', status, message: status === 'OK' ? 'HTTP 200' : 'HTTP 502',
  metrics: { latency_ms: latency(i) }, startedAt: start + i * STEP, finishedAt: start + i * STEP + 5, intervalMs: STEP,
}));
const socket = await agent.connect();
t.teardown(() => socket.close());
await agent.send(socket, results);

t.test('state changes newest first with their durations; percentiles of the latency; raw results behind a click', async (t) => {
  const context = await chromium.newContext('en-GB');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  await page.goto(`${c.url}/#/check/${agent.agentId}/web`);
  await page.locator('#transitions tr[data-state]').first().waitFor();
  // Before the first result the range has no data; then up 20 min, down 5, up since.
  t.same(await page.locator('#transitions tr[data-state]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))), ['UP', 'DOWN', 'UP', 'UNKNOWN']);
  t.match(await page.locator('#transitions tr[data-state="DOWN"]').textContent(), /5 min/, 'down for the 5 failing minutes');
  const sorted = results.map((r) => r.metrics.latency_ms!).sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
  const spread = page.locator('#percentiles');
  t.same([await spread.getAttribute('data-p50'), await spread.getAttribute('data-p95'), await spread.getAttribute('data-max')].map(Number), [rank(50), rank(95), sorted.at(-1)]);
  t.match(await spread.textContent(), new RegExp(`of ${results.length} results`));
  t.equal(await page.locator('#recent').isVisible(), false, 'the raw results are folded away');
  await page.locator('#raw summary').click();
  t.equal(await page.locator('#recent').isVisible(), true);
  t.equal(await page.locator('#recent tbody tr').count(), results.length);
});
