/**
 * Scenario 4 of issue 15: a real SMTP server on loopback configured in the collector's YAML, a recipient
 * added through the API, a target down long enough to fire; the mail arrives naming check and host; its
 * Acknowledge link opened in real Chromium and the button clicked acknowledges the alert (seen in the API).
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSmtp } from '../collector/test/notify/helpers/smtp.ts';
import { startHttpTarget } from './helpers/targets.ts';
import { startWorld } from './helpers/world.ts';
import { waitUntil } from './helpers/processes.ts';
import { table } from './helpers/expect.ts';

t.setTimeout(180_000);

const WEB_INTERVAL = 10_000;
const FAILURES_TO_FIRE = 3;
const CHROMIUM = process.env.NINES_CHROMIUM ?? '/usr/bin/chromium';

interface PublicAlert {
  id: number;
  agentId: string;
  checkId: string | null;
  state: string;
  ackedAt: number | null;
  ackedBy: string | null;
}

t.test('an outage mails the consultant; the mail\'s acknowledge link, clicked in Chromium, acknowledges the alert', async (t) => {
  const smtp = await startSmtp();
  const web = await startHttpTarget();
  t.teardown(() => Promise.all([smtp.close(), web.close()]));
  const world = await startWorld(t, {
    client: 'Autohaus Klein', host: 'e2e-autohaus', publicUrl: true,
    checksYaml: [`- { kind: http, id: shop, name: Autohaus-Shop, url: "${web.url}", interval: 10s, timeout: 5s }`],
    collectorYaml: [
      'smtp:', '  host: 127.0.0.1', `  port: ${smtp.port}`, '  secure: false', '  from: "Nines E2E <nines@e2e.test>"',
      'alerting:', `  failuresToFire: ${FAILURES_TO_FIRE}`, '  groupWindow: 1s', '  brand: E2E-Service',
    ],
  });
  const { api, agent, collector } = world;
  const RECIPIENT = 'Consultant';
  await api.post('/api/v1/recipients', { name: RECIPIENT, email: 'ops@e2e.test', audience: 'technical', language: 'en' });
  // The client hears of it too, in plain German: no product tag, no severity, no jargon.
  await api.post('/api/v1/recipients', { name: 'Herr Klein', email: 'chef@autohaus.test', client: 'Autohaus Klein', audience: 'plain', language: 'de' });

  // The scheduled reports (Monday overview, last month's report) may reach the same mailboxes meanwhile: count alert mail only.
  const REPORT_MAIL = /^(Wochenüberblick|Weekly overview|Verfügbarkeitsbericht|Availability report|Jahresübersicht|Annual availability)/;
  const alertMails = (count: number, timeoutMs: number) =>
    waitUntil(`${count} alert mails`, () => {
      const found = smtp.mails.filter((m) => !REPORT_MAIL.test(m.subject));
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  const downAt = web.setUp(false);
  const mails = await alertMails(2, (FAILURES_TO_FIRE + 3) * WEB_INTERVAL);
  const mailAt = Date.now();
  const mail = mails.find((m) => /ops@e2e\.test/.test(m.to))!;
  const clientMail = mails.find((m) => /chef@autohaus\.test/.test(m.to));
  const alerts = (await api.get<{ alerts: PublicAlert[] }>('/api/v1/alerts?active=true')).alerts;
  const alert = alerts.find((a) => a.agentId === agent.agentId && a.checkId === 'shop');
  const link = new RegExp(`${collector.url.replace(/[.]/g, '\\.')}/ack/alerts/\\d+\\?[^\\s"<>]+`).exec(mail.text)?.[0]?.replace(/&amp;/g, '&');
  t.comment(table('alert mail', [
    ['recipient', 'ops@e2e.test', mail.to.replace(/^.*<|>$/g, '')],
    ['subject names check', 'Autohaus-Shop', mail.subject.includes('Autohaus-Shop') ? 'Autohaus-Shop' : mail.subject],
    ['subject names host', 'e2e-autohaus', mail.subject.includes('e2e-autohaus') ? 'e2e-autohaus' : mail.subject],
    ['fired after (ms), at least', (FAILURES_TO_FIRE - 1) * WEB_INTERVAL, mailAt - downAt],
    ['alert state', 'FIRING', alert?.state ?? null],
  ]));
  t.match(mail.to, /ops@e2e\.test/);
  t.ok(mailAt - downAt >= (FAILURES_TO_FIRE - 1) * WEB_INTERVAL, `not before the ${FAILURES_TO_FIRE}rd failing result`);
  t.match(mail.subject, /Autohaus-Shop/, 'the subject names the check');
  t.match(mail.subject, /e2e-autohaus/, 'the subject names the host');
  t.match(mail.subject, /^\[CRIT\] /, 'the consultant sees the severity first');
  t.equal(clientMail?.subject, 'Störung: Autohaus-Shop auf e2e-autohaus', 'the client subject says what happened, to what, in German');
  t.ok(alert, 'the alert is listed in the API');
  t.equal(alert?.state, 'FIRING');
  t.equal(alert?.ackedAt, null, 'not acknowledged before the click');
  t.ok(link, 'the mail carries an acknowledge link to the public URL');
  t.match(link ?? '', new RegExp(`/ack/alerts/${alert?.id}\\?`), 'for this alert');

  const profile = mkdtempSync(join(tmpdir(), 'nines-e2e-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  await page.goto(link!);
  const afterGet = (await api.get<{ alert: PublicAlert }>(`/api/v1/alerts/${alert!.id}`)).alert;
  t.equal(afterGet.ackedAt, null, 'opening the link alone (as a mail scanner would) acknowledges nothing');
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  t.equal(response?.status(), 200, 'the form post is accepted');
  t.match(await page.textContent('body'), /Acknowledged/);
  const acked = await waitUntil('the alert to be acknowledged', async () => {
    const current = (await api.get<{ alert: PublicAlert }>(`/api/v1/alerts/${alert!.id}`)).alert;
    return current.ackedAt === null ? undefined : current;
  }, 5_000);
  t.comment(table('after the click', [['ackedBy', RECIPIENT, acked.ackedBy], ['acked after mail', 'yes', acked.ackedAt !== null && acked.ackedAt >= mailAt - 1000 ? 'yes' : 'no']]));
  t.equal(acked.ackedBy, RECIPIENT, 'acknowledged in the name of the recipient the link was mailed to');

  // Back up: both hear that it is resolved, with how long it lasted.
  web.setUp(true);
  // Each recipient's recovery mail, whatever else arrived meanwhile (the subjects are printed when one is missing).
  const resolved = await waitUntil('both recovery mails', () => {
    const client = smtp.mails.find((m) => /chef@autohaus\.test/.test(m.to) && /^Behoben/.test(m.subject));
    const consultant = smtp.mails.find((m) => /ops@e2e\.test/.test(m.to) && /^\[RESOLVED\]/.test(m.subject));
    return client && consultant ? [client, consultant] : undefined;
  }, 6 * WEB_INTERVAL).catch((error: Error) => {
    throw new Error(`${error.message}; mails: ${JSON.stringify(smtp.mails.map((m) => [m.to, m.subject]))}`);
  });
  const history = await api.get<{ points: Array<{ at: number; status: string }> }>(
    `/api/v1/agents/${agent.agentId}/checks/shop/history?from=${downAt - 60_000}&to=${Date.now()}`,
  );
  const firstFailure = history.points.find((p) => p.at >= downAt - WEB_INTERVAL && p.status === 'CRIT')!;
  const firstOkAfter = history.points.find((p) => p.at > firstFailure.at && p.status === 'OK')!;
  // The documented rule (docs/alerting.md): from the first failed result to the result that resolved it, started minutes.
  const minutes = Math.ceil((firstOkAfter.at - firstFailure.at) / 60_000);
  const lastedDe = firstOkAfter.at - firstFailure.at < 60_000 ? 'weniger als 1 Min.' : `${minutes} Min.`;
  const lastedEn = firstOkAfter.at - firstFailure.at < 60_000 ? 'less than 1 min' : `${minutes} min`;
  const clientResolved = resolved.find((m) => /chef@autohaus\.test/.test(m.to));
  const consultantResolved = resolved.find((m) => /ops@e2e\.test/.test(m.to));
  t.comment(table('resolved mails', [
    ['client subject', `Behoben nach ${lastedDe}: Autohaus-Shop auf e2e-autohaus`, clientResolved?.subject ?? null],
    ['consultant subject ends', `after ${lastedEn}`, consultantResolved?.subject ?? null],
  ]));
  t.equal(clientResolved?.subject, `Behoben nach ${lastedDe}: Autohaus-Shop auf e2e-autohaus`);
  t.match(consultantResolved?.subject ?? '', new RegExp(`^\\[RESOLVED\\] Autohaus Klein · e2e-autohaus · Autohaus-Shop after ${lastedEn}$`));
  t.notMatch(clientResolved?.text ?? '', /CRIT|Nines|Severity/, 'no jargon for the client');
});
