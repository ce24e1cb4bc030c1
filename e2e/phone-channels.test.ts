/**
 * Issue 20's "done when", driven from outside: the collector runs as its own process with ntfy, Telegram, Teams and
 * a signed webhook configured in its YAML (channels: and alerting.recipients:), each service a real HTTP server on
 * loopback standing in at the address the YAML names. A real agent's target goes down: every contact point gets ONE
 * message for the incident; the acknowledge link from the ntfy push, opened in Chromium at a phone's size and its
 * button tapped, acknowledges the alert in the consultant's name; the target comes back: one recovery each, nothing more.
 */
import t from 'tap';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startService, type ReceivedRequest } from '../collector/test/notify/channels/helpers/service.ts';
import { startHttpTarget } from './helpers/targets.ts';
import { startWorld } from './helpers/world.ts';
import { waitUntil } from './helpers/processes.ts';
import { table } from './helpers/expect.ts';

t.setTimeout(240_000);

const WEB_INTERVAL = 10_000;
const FAILURES_TO_FIRE = 3;
const SUCCESSES_TO_RESOLVE = 2;
const CHROMIUM = process.env.NINES_CHROMIUM ?? '/usr/bin/chromium';
const BOT_TOKEN = '7000001:AAE-e2e-token-for-loopback-only';
const WEBHOOK_SECRET = 'e2e-webhook-secret';
const CONSULTANT = 'Karin Berger';

interface PublicAlert { id: number; agentId: string; checkId: string | null; state: string; ackedAt: number | null; ackedBy: string | null }

/** Which contact point a request reached, by the path the YAML gave each service. */
function channelOf(request: ReceivedRequest): string {
  if (request.url === '/') return 'ntfy';
  if (request.url === `/bot${BOT_TOKEN}/sendMessage`) return 'telegram';
  if (request.url.startsWith('/teams/')) return 'teams';
  if (request.url === '/hooks/nines') return 'webhook';
  return `unexpected ${request.method} ${request.url}`;
}

const CHANNELS = ['ntfy', 'telegram', 'teams', 'webhook'];

t.test('ntfy, Telegram, Teams and a webhook from the YAML: one message per incident each, acknowledged from the phone', async (t) => {
  // Telegram's Bot API answers {ok:true,…}; ntfy, Teams and webhook receivers take any 2xx.
  const phone = await startService({ status: 200, body: { ok: true, result: { message_id: 1 } } });
  const web = await startHttpTarget();
  t.teardown(() => Promise.all([phone.close(), web.close()]));
  const recipient = (channel: string, target: string) =>
    `    - { name: ${CONSULTANT}, channel: ${channel}, target: ${target}, audience: technical, language: de }`;
  const world = await startWorld(t, {
    client: 'Steuerbüro Lang', host: 'e2e-kanzlei', publicUrl: true,
    checksYaml: [`- { kind: http, id: dms, name: DMS-Portal, url: "${web.url}", interval: 10s, timeout: 5s }`],
    collectorYaml: [
      'channels:',
      `  ntfy: { server: "${phone.url}" }`,
      `  telegram: { botToken: "${BOT_TOKEN}", apiUrl: "${phone.url}" }`,
      'alerting:', `  failuresToFire: ${FAILURES_TO_FIRE}`, `  successesToResolve: ${SUCCESSES_TO_RESOLVE}`, '  groupWindow: 1s', '  brand: Berger IT',
      '  recipients:',
      recipient('ntfy', '{ topic: karin-nines }'),
      recipient('telegram', '{ chatId: 4711 }'),
      recipient('teams', `{ url: "${phone.url}/teams/workflows/abc123" }`),
      recipient('webhook', `{ url: "${phone.url}/hooks/nines", secret: ${WEBHOOK_SECRET} }`),
    ],
  });
  const { api, agent, collector } = world;
  const listed = (await api.get<{ recipients: Array<{ channel: string; contact: string; ready: boolean }> }>('/api/v1/recipients')).recipients;
  t.same(listed.map((r) => r.channel).sort(), [...CHANNELS].sort(), 'the four contact points from the YAML are stored');
  t.ok(listed.every((r) => r.ready), 'each channel is set up');
  t.notMatch(JSON.stringify(listed), new RegExp(`${BOT_TOKEN}|${WEBHOOK_SECRET}|abc123`), 'no token or credential URL path in the API');

  const downAt = web.setUp(false);
  await waitUntil('one message on each channel', async () => (new Set(phone.requests.map(channelOf)).size >= CHANNELS.length ? true : undefined), (FAILURES_TO_FIRE + 4) * WEB_INTERVAL);
  const firedAt = Date.now();
  // Two more check intervals: a second message per incident would show up here.
  await new Promise((resolve) => setTimeout(resolve, 2 * WEB_INTERVAL));
  const fired = phone.requests.slice();
  const count = (requests: ReceivedRequest[], channel: string) => requests.filter((r) => channelOf(r) === channel).length;
  t.comment(table('messages after the outage', CHANNELS.map((c) => [c, 1, count(fired, c)])));
  for (const channel of CHANNELS) t.equal(count(fired, channel), 1, `${channel}: one message for the incident`);
  t.same(fired.map(channelOf).filter((c) => !CHANNELS.includes(c)), [], 'nothing else was called');
  t.ok(firedAt - downAt >= (FAILURES_TO_FIRE - 1) * WEB_INTERVAL, `not before the ${FAILURES_TO_FIRE}rd failing result`);

  const byChannel = (channel: string, requests = fired) => requests.find((r) => channelOf(r) === channel)!;
  const ntfy = JSON.parse(byChannel('ntfy').text) as { topic: string; title: string; message: string; priority: number; actions: Array<{ action: string; label: string; url: string }> };
  t.equal(ntfy.topic, 'karin-nines');
  t.equal(ntfy.priority, 5, 'a CRIT outage is an urgent push');
  t.match(ntfy.title, /DMS-Portal/);
  t.match(ntfy.title, /e2e-kanzlei/);
  const telegram = JSON.parse(byChannel('telegram').text) as { chat_id: number; text: string };
  t.equal(telegram.chat_id, 4711);
  t.match(telegram.text, /DMS-Portal/);
  const teams = JSON.parse(byChannel('teams').text) as { type: string; attachments: Array<{ contentType: string; content: { type: string } }> };
  t.equal(teams.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  const hook = byChannel('webhook');
  const expectedSignature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook.body).digest('hex')}`;
  t.equal(hook.headers['x-nines-signature'], expectedSignature, 'the webhook body is signed with the secret from the YAML');
  const payload = JSON.parse(hook.text) as { severity: string; alerts: Array<{ check: string; agent: string; event: string; acknowledgeUrl: string | null }> };
  t.match(payload, { severity: 'critical', alerts: [{ check: 'DMS-Portal', event: 'firing' }] });

  const alert = (await api.get<{ alerts: PublicAlert[] }>('/api/v1/alerts?active=true')).alerts.find((a) => a.agentId === agent.agentId && a.checkId === 'dms');
  t.ok(alert, 'the alert is listed');
  const ack = ntfy.actions.find((a) => a.url.includes('/ack/'));
  t.ok(ack, 'the push carries an acknowledge action');
  t.match(ack?.url ?? '', new RegExp(`^${collector.url.replace(/[.]/g, '\\.')}/ack/alerts/${alert?.id}\\?`), 'to this alert on the public URL');
  t.equal(payload.alerts[0]?.acknowledgeUrl?.split('?')[0], ack?.url.split('?')[0], 'the webhook names the same acknowledge page');

  // The consultant taps the action on his phone: a phone-sized Chromium opens the page, he taps the button.
  const profile = mkdtempSync(join(tmpdir(), 'nines-e2e-phone-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'de-DE',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  await page.goto(ack!.url);
  t.equal((await api.get<{ alert: PublicAlert }>(`/api/v1/alerts/${alert!.id}`)).alert.ackedAt, null, 'opening the action alone acknowledges nothing');
  const [response] = await Promise.all([page.waitForNavigation(), page.tap('button[type=submit]')]);
  t.equal(response?.status(), 200);
  t.match(await page.textContent('body'), /Bestätigt/);
  const acked = await waitUntil('the alert to be acknowledged', async () => {
    const current = (await api.get<{ alert: PublicAlert }>(`/api/v1/alerts/${alert!.id}`)).alert;
    return current.ackedAt === null ? undefined : current;
  }, 5_000);
  t.equal(acked.ackedBy, CONSULTANT, 'acknowledged in the name of the contact point the push went to');

  // Back up: one recovery on each channel, and nothing after it.
  web.setUp(true);
  await waitUntil('a recovery on each channel', async () => (CHANNELS.every((c) => count(phone.requests, c) >= 2) ? true : undefined), (SUCCESSES_TO_RESOLVE + 4) * WEB_INTERVAL);
  await new Promise((resolve) => setTimeout(resolve, 2 * WEB_INTERVAL));
  const all = phone.requests.slice();
  t.comment(table('messages in all', CHANNELS.map((c) => [c, 2, count(all, c)])));
  for (const channel of CHANNELS) t.equal(count(all, channel), 2, `${channel}: the outage and its recovery, nothing more`);
  const recovered = JSON.parse(all.filter((r) => channelOf(r) === 'ntfy')[1]!.text) as { priority: number; title: string; actions: Array<{ url: string }> };
  t.equal(recovered.priority, 3, 'a recovery is a normal push');
  t.match(recovered.title, /BEHOBEN/);
  t.notOk(recovered.actions.some((a) => a.url.includes('/ack/')), 'nothing to acknowledge once resolved');
});
