import t from 'tap';
import { loginAs, startBrowserWorld } from './helpers/world.ts';

// Real Chromium, German browser: result messages, unnamed checks and the skip link follow the language.
const { c, chromium } = await startBrowserWorld(t);
await c.addUser('admin', 'admin');
const host = await c.addAgent('Bäckerei Schmidt', 'kasse-01');
const now = Date.now();
const socket = await host.connect();
t.teardown(() => socket.close());
await host.send(socket, [
  { seq: 1, checkId: 'mail', kind: 'tcp', name: 'Mailserver', status: 'CRIT', message: 'Connection to 127.0.0.1:18511 refused', code: 'net.refused', params: { target: '127.0.0.1:18511' }, metrics: {}, startedAt: now - 30_000, finishedAt: now - 29_000 },
  // the agent's own patch check has no name: the dashboard names it in the user's language
  { seq: 2, checkId: 'patches', kind: 'patch', status: 'OK', message: 'apt: no updates pending', code: 'patch.pending', params: { manager: 'apt', pending: 0, security: 0 }, metrics: { pending: 0 }, startedAt: now - 20_000, finishedAt: now - 19_000 },
  // an agent from before codes: its text as it was sent
  { seq: 3, checkId: 'web', kind: 'http', name: 'Webshop', status: 'OK', message: 'HTTP 200 in 12 ms', metrics: { latency_ms: 12 }, startedAt: now - 10_000, finishedAt: now - 9_000 },
]);

t.test('German: coded messages, default check names and the skip link are German; uncoded messages stay as sent', async (t) => {
  const context = await chromium.newContext('de-DE');
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, c.url, 'admin');
  t.equal(await page.locator('a.skip').textContent(), 'Zum Inhalt springen');
  t.match(await page.locator('#overview').textContent(), /Verbindung zu 127\.0\.0\.1:18511 abgelehnt/, 'the overview problem list');

  await page.goto(`${c.url}/#/host/${encodeURIComponent(host.agentId)}`);
  const mail = page.locator(`tr[data-check="${host.agentId}/mail"]`);
  await mail.waitFor();
  t.match(await mail.textContent(), /Verbindung zu 127\.0\.0\.1:18511 abgelehnt/);
  t.notMatch(await page.locator('main').textContent(), /Connection to|ECONNREFUSED/);
  const patch = page.locator(`tr[data-check="${host.agentId}/patches"]`);
  t.match(await patch.textContent(), /Patchstand/);
  t.match(await patch.textContent(), /apt: keine Updates ausstehend/);
  t.match(await page.locator(`tr[data-check="${host.agentId}/web"]`).textContent(), /HTTP 200 in 12 ms/);
  // Points in time as German writes them: 02.12.2026, 14:05 — two-digit day and month, minutes, no seconds.
  const seen = (await page.locator('main').textContent()) ?? '';
  t.match(seen, /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}(?!:)/, 'a German date and time');
  t.notMatch(seen, /\d{1,2}\.\d{1,2}\.\d{4}, \d{1,2}:\d{2}:\d{2}/, 'no seconds');

  await page.locator('#language').selectOption('en');
  await page.locator(`tr[data-check="${host.agentId}/mail"]`, { hasText: 'Connection to 127.0.0.1:18511 refused' }).waitFor();
  t.equal(await page.locator('a.skip').textContent(), 'Skip to content', 'switching the language switches the skip link');
  t.match(await page.locator(`tr[data-check="${host.agentId}/patches"]`).textContent(), /Patch status/);
});
