import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, loginAs } from './helpers/world.ts';
import { apiFrom, startA11yEstate } from './helpers/a11y-estate.ts';

// axe-core (the npm package, injected as the browser would load it) run in real Chromium on every view of the
// dashboard, the public status page and the login, in German and English, light and dark: no violation of impact
// serious or critical. The rules axe applied are printed per view and kept under test-artifacts.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const e = await startA11yEstate(t);

interface AxeNode { target: string[]; html: string; failureSummary?: string }
interface AxeRule { id: string; impact: string | null; help: string; nodes: AxeNode[] }
interface AxeResults { violations: AxeRule[]; passes: AxeRule[]; incomplete: AxeRule[]; inapplicable: AxeRule[] }

async function runAxe(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  // The WCAG 2.x A/AA rules and axe's best practices (landmarks, one main, headings), as the issue asks "every view".
  // A string, not a function: tsx's transform would wrap named functions in a helper the page does not have.
  return page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    const slim = (list) => list.map((x) => ({ id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })) }));
    return { violations: slim(r.violations), passes: slim(r.passes), incomplete: slim(r.incomplete), inapplicable: slim(r.inapplicable) };
  })()`) as Promise<AxeResults>;
}

// The status page's link, set up once through the API as the consultant's card does.
const setup = await e.newContext({ locale: 'en-GB' });
const setupPage = await setup.newPage();
await loginAs(setupPage, e.c.url, 'admin');
const put = await apiFrom(setupPage, 'PUT', `/api/v1/clients/${e.clientId}/status-page`,
  { enabled: true, title: { de: 'Status der Bäckerei', en: 'Bakery status' }, services: [{ check: `${(await e.bakery).agentId}/web`, name: { de: 'Webshop', en: 'Web shop' } }, { check: `${(await e.bakery).agentId}/mail`, name: { de: 'E-Mail' } }] });
const statusPath = (put.json as { path?: string } | null)?.path ?? '';
const windowAnswer = await apiFrom(setupPage, 'POST', '/api/v1/maintenance', { clientId: e.clientId, title: 'Windows updates', recurrence: 'weekly', startsAt: e.clock() - 86_400_000, localTime: '02:00', durationMs: 7_200_000, weekdays: 1 });
const recipientAnswer = await apiFrom(setupPage, 'POST', '/api/v1/recipients', { name: 'Frau Schmidt', channel: 'email', target: { address: 'schmidt@baeckerei.example' }, audience: 'plain', language: 'de', timezone: 'Europe/Berlin', minSeverity: 'CRIT', reminders: true, resolved: true, escalationOnly: false, client: 'Bäckerei Schmidt' });
await setup.close();

t.test('the estate has what the views show: a status-page link, a maintenance window, a recipient', async (t) => {
  t.equal(put.status, 200, JSON.stringify(put.json));
  t.match(statusPath, /^\/status\/[A-Za-z0-9_-]{20,}$/);
  t.ok(windowAnswer.status >= 200 && windowAnswer.status < 300, `maintenance window: ${windowAnswer.status} ${JSON.stringify(windowAnswer.json)}`);
  t.ok(recipientAnswer.status >= 200 && recipientAnswer.status < 300, `recipient: ${recipientAnswer.status} ${JSON.stringify(recipientAnswer.json)}`);
});

/** Each view: where it is, what shows it is drawn, who looks at it. */
const views: Array<{ name: string; path: string; ready: string; user: 'admin' | 'anna' | null }> = [
  { name: 'login', path: '/', ready: 'form.login', user: null },
  { name: 'overview', path: '/#/', ready: '#overview table', user: 'admin' },
  { name: 'client (availability, reports, incidents, maintenance, status-page admin, hosts)', path: `/#/client/${e.clientId}`, ready: '#status-page #sp-link', user: 'admin' },
  { name: 'host', path: `/#/host/${(await e.bakery).agentId}`, ready: 'tr[data-check]', user: 'admin' },
  { name: 'check', path: `/#/check/${(await e.bakery).agentId}/web`, ready: '[data-alert-state=FIRING]', user: 'admin' },
  { name: 'alert', path: `/#/alerts/${e.alertId}`, ready: `[data-alert="${e.alertId}"]`, user: 'admin' },
  { name: 'admin (enrol, clients, channels, recipients, users, tokens, report settings, schedules)', path: '/#/admin', ready: '#recipients tr[data-recipient]', user: 'admin' },
  { name: 'wall', path: '/#/wall', ready: '#wall article', user: 'admin' },
  { name: 'client login: overview', path: '/#/', ready: '#overview table', user: 'anna' },
  { name: 'client login: client', path: `/#/client/${e.clientId}`, ready: '#availability-table', user: 'anna' },
  { name: 'public status page', path: statusPath, ready: '.service', user: null },
];

const checked: Record<string, string[]> = {};
for (const language of ['en', 'de'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    t.test(`${language}, ${scheme}: no serious or critical axe violation on any view`, async (t) => {
      const contexts = new Map<string | null, Page>();
      t.teardown(async () => Promise.all([...contexts.values()].map((p) => p.context().close())));
      for (const view of views) {
        let page = contexts.get(view.user);
        if (!page) {
          const context = await e.newContext({ locale: language === 'de' ? 'de-DE' : 'en-GB', colorScheme: scheme });
          page = await context.newPage();
          if (view.user) await loginAs(page, e.c.url, view.user);
          contexts.set(view.user, page);
        }
        await page.goto(`${e.c.url}${view.path}${view.path.startsWith('/status/') ? `?lang=${language}` : ''}`);
        await page.locator(view.ready).first().waitFor();
        t.equal(await page.evaluate(() => document.documentElement.lang), language, `${view.name}: <html lang> is the page's language`);
        // Whatever shows a pointer is something to click: it must be a control Tab reaches (or a label of one).
        const unreachable = await page.evaluate(`[...document.querySelectorAll('body *')]
          .filter((e) => getComputedStyle(e).cursor === 'pointer' && !e.closest('a[href], button:not([disabled]), input, select, textarea, summary, label, [tabindex="0"]'))
          .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))`) as string[];
        const clickable = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => getComputedStyle(e).cursor === 'pointer').length`) as number;
        t.same(unreachable, [], `${view.name}: all ${clickable} things with a pointer cursor are controls Tab reaches`);
        const r = await runAxe(page);
        const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        t.same(bad.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`).join(' | ')}`), [], `${view.name}: no serious or critical violation`);
        const applied = [...new Set([...r.passes, ...r.violations, ...r.incomplete].map((x) => x.id))].sort();
        t.ok(applied.length > 0, `${view.name}: axe applied ${applied.length} rules`);
        t.comment(`${language}/${scheme} ${view.name}: ${applied.length} rules applied (${applied.join(', ')}); ${r.violations.length} minor/moderate violation(s)${r.violations.length ? ': ' + r.violations.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ') : ''}; for a person to review: ${r.incomplete.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; ') || 'nothing'}`);
        checked[`${language}/${scheme} ${view.name}`] = applied;
      }
    });
  }
}

t.test('the check can fail: a nameless button and grey-on-grey text are reported as serious or critical', async (t) => {
  const context = await e.newContext({ locale: 'en-GB' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await loginAs(page, e.c.url, 'admin');
  await page.evaluate(() => {
    const main = document.getElementById('main')!;
    main.insertAdjacentHTML('beforeend', '<button type="button"></button><p style="color:#bbb;background:#ccc">faint</p>');
  });
  const r = await runAxe(page);
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id).sort();
  t.same(bad, ['button-name', 'color-contrast']);
});

t.teardown(() => writeFileSync(join(ARTIFACTS, 'axe-rules-per-view.json'), JSON.stringify(checked, null, 1)));
