/**
 * A small business's estate for the status-page tests, fed through the real agent socket: a web shop with one
 * 1-minute outage two days ago and a 30-minute one yesterday (Berlin days), and a mail server down since 20
 * minutes ago. Internal names (host, check ids, messages) are chosen so a leak is easy to find.
 */
import type { Result } from '@nines/shared';
import { nextMessage, hello, sendAcked, startCollector, type TestCollector } from '../helpers/collector.ts';
import { fromLocal, toLocal } from '../../src/availability/zoned-time.ts';

export const TZ = 'Europe/Berlin';
/** Friday 20 November 2026, 13:00 in Berlin. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const STEP = 60_000;
const local = toLocal(NOW, TZ);
/** Local midnight `daysBack` days before today's. */
export const midnight = (daysBack: number) => fromLocal(local.year, local.month, local.day - daysBack, 0, 0, TZ);
/** The first result: three local days ago at midnight. */
export const FIRST = midnight(3);
export const WEB_OUTAGES = [
  { from: midnight(2) + 9 * 3_600_000, minutes: 1 }, // two days ago, 09:00
  { from: midnight(1) + 14 * 3_600_000, minutes: 30 }, // yesterday, 14:00
];
export const MAIL_DOWN_SINCE = NOW - 20 * STEP;
export const SECRETS = ['srv-dc01', '10.0.0.5', 'web-shop-internal', 'smtp-relay-check', 'HTTP 502', 'Connection refused', 'Kasse-Backoffice'];

export interface Estate {
  c: TestCollector;
  clientId: number;
  agentId: string;
  web: string;
  mail: string;
  /** A check of the same client that is not on the page. */
  hidden: string;
  /** A check of another client. */
  foreign: string;
}

async function feed(c: TestCollector, client: string, hostname: string, results: Result[]): Promise<string> {
  const creds = await c.addAgent(client);
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello({ hostname, sentAt: NOW })));
  await nextMessage(socket);
  for (let i = 0; i < results.length; i += 200) await sendAcked(socket, results.slice(i, i + 200));
  socket.close();
  return creds.agentId;
}

/** `dashboardDir`: serve a built dashboard too (the browser tests). */
export async function startEstate(options: { dashboardDir?: string } = {}): Promise<Estate> {
  const c = await startCollector({ clock: () => NOW, app: options.dashboardDir ? { dashboardDir: options.dashboardDir } : {} });
  const client = await c.store.ensureClient('Bäckerei Müller', FIRST - 86_400_000);
  await c.store.management.updateClient(client.id, { timezone: TZ });
  const results: Result[] = [];
  let seq = 0;
  const down = (at: number) => WEB_OUTAGES.some((o) => at >= o.from && at < o.from + o.minutes * STEP);
  // The last result starts half a step before NOW, so every result's span ends by NOW.
  for (let at = FIRST; at < NOW; at += STEP) {
    const start = Math.min(at, NOW - STEP / 2);
    results.push({ seq: ++seq, checkId: 'web-shop-internal', kind: 'http', name: 'HTTP intern 10.0.0.5', status: down(at) ? 'CRIT' : 'OK', message: down(at) ? 'HTTP 502 from 10.0.0.5:8443' : 'HTTP 200 in 40 ms', metrics: { latency_ms: 40 }, startedAt: start, finishedAt: start + 40, intervalMs: STEP });
    results.push({ seq: ++seq, checkId: 'smtp-relay-check', kind: 'tcp', name: 'SMTP relay', status: at >= MAIL_DOWN_SINCE ? 'CRIT' : 'OK', message: at >= MAIL_DOWN_SINCE ? 'Connection refused 10.0.0.5:25' : 'port 25 open', metrics: {}, startedAt: start, finishedAt: start + 3, intervalMs: STEP });
    results.push({ seq: ++seq, checkId: 'kasse', kind: 'http', name: 'Kasse-Backoffice', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: start, finishedAt: start + 3, intervalMs: STEP });
  }
  const agentId = await feed(c, 'Bäckerei Müller', 'srv-dc01.baeckerei.local', results);
  const other = await feed(c, 'Anderer Kunde', 'other-01', [{ seq: 1, checkId: 'site', kind: 'http', name: 'Site', status: 'OK', message: 'HTTP 200', metrics: {}, startedAt: NOW - STEP, finishedAt: NOW - STEP + 5, intervalMs: STEP }]);
  return { c, clientId: client.id, agentId, web: `${agentId}/web-shop-internal`, mail: `${agentId}/smtp-relay-check`, hidden: `${agentId}/kasse`, foreign: `${other}/site` };
}
