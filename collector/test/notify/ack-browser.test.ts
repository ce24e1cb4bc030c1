import t from 'tap';
import { alertingRig, CONSULTANT } from './helpers/alerting.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../../dashboard/test/helpers/world.ts';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'ack'); // untracked (.gitignore)
mkdirSync(ARTIFACTS, { recursive: true });

// The acknowledge link of a real mail (real SMTP server on loopback), opened and clicked in real Chromium (issue 15, item 2).
const chromium = await launchChromium();
t.teardown(() => chromium.close());

t.test('the Acknowledge link in the consultant\'s mail works in a browser: page in the recipient\'s language, button, confirmation', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [{ ...CONSULTANT, language: 'de' }] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT'], { name: 'Webshop', message: 'HTTP 500 in 4 ms' });
  await rig.step(30_000);
  const [mail] = await rig.smtp.waitFor(1);
  const link = /href="([^"]*\/ack\/alerts\/[^"]*)"/.exec(mail!.html)![1]!.replace(/&amp;/g, '&');
  const alert = (await rig.service.engine.alerts.find(rig.agentId, 'check', 'web'))!;

  const context = await chromium.newContext('en-GB'); // the browser's language is not the recipient's: the link's wins
  t.teardown(() => context.close());
  const page = await context.newPage();
  const shown = await page.goto(link);
  t.equal(shown!.status(), 200);
  t.equal(await page.locator('html').getAttribute('lang'), 'de');
  const facts = await page.locator('table').innerText();
  t.match(facts, /Prüfung\s+Webshop/);
  t.match(facts, /Rechner\s+host-\w+ \(pc-empfang\)/);
  t.match(facts, /Kunde\s+acme/);
  t.match(facts, /Seit\s+15\.01\.2025, 10:00 MEZ/, 'since when, in the recipient\'s zone');
  t.match(facts, /HTTP 500 in 4 ms/);
  t.equal((await rig.service.engine.alerts.get(alert.id))!.ackedAt, null, 'opening the page acknowledges nothing');
  await page.screenshot({ path: join(ARTIFACTS, 'confirm.png') });

  await page.getByRole('button', { name: 'Bestätigen' }).click();
  await page.locator('.note.done').waitFor();
  t.match(await page.locator('.note.done').innerText(), /^Bestätigt von Karin Berger am 15\.01\.2025, 10:01 MEZ\.$/);
  t.match(await rig.service.engine.alerts.get(alert.id), { ackedBy: 'Karin Berger', ackedAt: rig.now() }, 'acknowledged in the store');
  await page.screenshot({ path: join(ARTIFACTS, 'acknowledged.png') });

  await page.goto(link);
  t.match(await page.locator('.note').innerText(), /bereits bestätigt: von Karin Berger/);

  await rig.step(8 * 86_400_000);
  const expired = await page.goto(link);
  t.equal(expired!.status(), 410);
  t.match(await page.locator('.note.refused').innerText(), /abgelaufen/);

  const forged = await page.goto(link.replace(/sig=.{4}/, 'sig=AAAA'));
  t.equal(forged!.status(), 403);
  t.match(await page.locator('.note.refused').innerText(), /ungültig/);
  const cut = await page.goto(link.replace(/&sig=.*$/, ''));
  t.equal(cut!.status(), 403, 'a cut-off link gets the page, not a JSON error');
});
