import type { Test } from 'tap';
import type { Page } from 'playwright-core';
import type { Result } from '@nines/shared';
import { buildDashboard, launchChromium, startDashboardCollector } from './world.ts';

/**
 * The estate the accessibility tests walk through: two clients fed over real agent sockets, one check of each
 * failing long enough for its alert to fire (so the alert and check views have actions to reach), a client login.
 * The collector's clock runs from a fixed mid-month noon, so no figure depends on today's date.
 */
export const CLOCK_START = Date.UTC(2026, 5, 15, 10, 0);

function series(checkId: string, name: string, failing: number, now: number): Result[] {
  return Array.from({ length: 60 }, (_, i): Result => {
    const at = now - (62 - i) * 60_000;
    const down = i >= 60 - failing;
    return { seq: i + 1, checkId, kind: 'http', name, status: down ? 'CRIT' : 'OK', message: down ? 'connection refused' : `HTTP 200 in ${20 + (i % 9)} ms`,
      metrics: down ? {} : ({ latency_ms: 20 + (i % 9) } as Record<string, number>), startedAt: at, finishedAt: at + 20, intervalMs: 60_000 };
  });
}

export async function startA11yEstate(t: Test) {
  const realStart = Date.now();
  const clock = () => CLOCK_START + (Date.now() - realStart);
  const c = await startDashboardCollector(buildDashboard(), clock);
  const browser = await launchChromium();
  t.teardown(async () => {
    await browser.close();
    await c.close();
  });
  await c.app.alerting.start({ alerting: { failuresToFire: 2 } });
  await c.addUser('admin', 'admin');
  await c.addUser('anna', 'client', 'Bäckerei Schmidt');
  const bakery = await c.addAgent('Bäckerei Schmidt', 'kasse-01');
  const lawyer = await c.addAgent('Kanzlei Weber', 'server-01');
  const sockets = [await bakery.connect(), await lawyer.connect()];
  t.teardown(() => sockets.forEach((s) => s.close()));
  // Two failing checks: each keyboard run acknowledges one alert of its own.
  await bakery.send(sockets[0]!, [...series('web', 'Webshop', 3, clock()), ...series('mail', 'Mail', 0, clock()).map((r) => ({ ...r, seq: r.seq + 60 })),
    ...series('till', 'Till', 3, clock()).map((r) => ({ ...r, seq: r.seq + 120 }))].sort((a, b) => a.seq - b.seq));
  await lawyer.send(sockets[1]!, series('dms', 'DMS', 0, clock()));
  // Alerting evaluates after the ack, coalesced per agent: wait (bounded) until the alerts have fired.
  const firing = async (checkId: string) => {
    for (let i = 0; i < 200; i++) {
      const alert = await c.app.alerting.engine.alerts.find(bakery.agentId, 'check', checkId);
      if (alert?.state === 'FIRING') return alert.id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the bakery ${checkId} alert did not fire`);
  };
  const alertId = await firing('web');
  const tillAlertId = await firing('till');
  const clientId = (await c.store.findClient('Bäckerei Schmidt'))!.id;
  /** Every page's clock starts at the collector's, so "since", "until" and "ago" agree with the figures. */
  const newContext = async (options: { locale: string; colorScheme?: 'light' | 'dark' }) => {
    const context = await browser.browser.newContext({ locale: options.locale, colorScheme: options.colorScheme ?? 'light', viewport: { width: 1280, height: 800 } });
    await context.clock.install({ time: clock() });
    return context;
  };
  return { c, browser, clock, bakery, lawyer, alertId, tillAlertId, clientId, newContext };
}

/** A request as the dashboard makes it (session cookie, CSRF header), for setting up what the views then show. */
export async function apiFrom(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return page.evaluate(async ([m, p, b]) => {
    const csrf = decodeURIComponent(/nines_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '');
    const response = await fetch(p as string, { method: m as string, headers: { 'x-nines-csrf': csrf, ...(b === undefined ? {} : { 'content-type': 'application/json' }) }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: response.status, json: response.status === 204 ? null : await response.json().catch(() => null) };
  }, [method, path, body] as const);
}
