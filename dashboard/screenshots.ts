/**
 * `npm run screenshots`: the README's screenshots, made from a real collector and real Chromium.
 *
 * It builds the dashboard, starts a collector on 127.0.0.1:0 with a fresh SQLite file, feeds it a small German
 * consultant's estate over real agent sockets (scenario below: the month so far, 90 days behind the two services on
 * the bakery's status page, the last day at 5-minute resolution; one real outage, a backup warning, a maintenance
 * night, pending security updates), and photographs the overview (German, light and dark, and on a phone), a check
 * page, the client page as the client's login sees it, the wall and the bakery's status page. Every time comes from one injected clock, so the pictures do not depend on the day
 * they are made. This script is the only thing that writes docs/screenshots; tests write to test-artifacts/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import type { Result, Status } from '@nines/shared';
import { createMaintenance } from '../collector/src/availability/index.ts';
import { fromLocal, toLocal } from '../collector/src/availability/zoned-time.ts';
import { DASHBOARD_DIR, buildDashboard, launchChromium, loginAs, startDashboardCollector, type AgentHandle } from './test/helpers/world.ts';

const HELP = `Usage: npm run screenshots [-- --out <dir>]

Starts a real collector with a seeded estate and writes the README screenshots with Chromium:
  overview-de.png, overview-dark.png, overview-phone.png, check.png, client.png, wall.png, status-page.png
  --out <dir>   where to write them (default: docs/screenshots)
  --help        this text`;

let args: { out?: string; help?: boolean };
try {
  args = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean' } } }).values;
} catch (err) {
  // An unknown flag or `--out` without a directory: say which, and write nothing.
  console.error(`screenshots: ${(err as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const OUT = resolve(args.out ?? join(DASHBOARD_DIR, '..', 'docs', 'screenshots'));

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TZ = 'Europe/Berlin';
const STEP = 5 * MIN; // the last day's checks run every 5 minutes
const OLD_STEP = HOUR; // the 90 days before it at an hour: enough for the status page's day bars, and cheap to feed
/** Wednesday 17 June 2026, 14:32 in Berlin: mid-month, so the month figure has two weeks behind it. */
const NOW = Date.UTC(2026, 5, 17, 12, 32);
const realStart = Date.now();
const clock = () => NOW + (Date.now() - realStart);
const local = toLocal(NOW, TZ);
/** Berlin wall-clock time `daysBack` days before today. */
const at = (daysBack: number, hour: number, minute = 0) => fromLocal(local.year, local.month, local.day - daysBack, hour, minute, TZ);

// The scenario, every time derived from NOW.
const OUTAGE = { from: at(0, 9, 40), to: at(0, 10, 25) }; // the bakery's web shop: 45 min down this morning
const OLD_OUTAGE = { from: at(23, 18, 0), to: at(23, 20, 0) }; // and two hours three weeks ago, for the day bars
const MAINTENANCE = { from: at(0, 2, 0), to: at(0, 3, 0) }; // the dentist's server: Windows updates last night
const REBOOT = { from: at(0, 2, 15), to: at(0, 2, 30) }; // down during the reboot, inside the window
// The law firm's backup: last night's run did not happen (nightly(t, true) below).

type Kind = 'http' | 'tcp' | 'disk' | 'backup' | 'patch';
interface Fields { status: Status; message: string; code: string; params: Record<string, string | number>; metrics: Record<string, number> }
/** `days` of history (default HISTORY_DAYS), the last at `every` (default STEP), the older ones at OLD_STEP. */
interface CheckSpec { id: string; kind: Kind; name: string; fields: (at: number, i: number) => Fields; days?: number; every?: number }
/** Back to before the month's first day: the month figure rests on the whole month so far, not on partial data. */
const HISTORY_DAYS = local.day + 1;

const latency = (i: number, base: number) => base + Math.round(9 * Math.sin(i / 7) + (i % 5) * 2);
function web(base: number, down?: (at: number) => boolean): CheckSpec['fields'] {
  return (t, i) => down?.(t)
    ? { status: 'CRIT', message: 'HTTP 503 in 120 ms: status not accepted', code: 'http.status', params: { statusCode: 503, latencyMs: 120, redirects: 0 }, metrics: { latency_ms: 120 } }
    : { status: 'OK', message: `HTTP 200 in ${latency(i, base)} ms`, code: 'http.ok', params: { statusCode: 200, latencyMs: latency(i, base), redirects: 0 }, metrics: { latency_ms: latency(i, base) } };
}
function tcp(target: string): CheckSpec['fields'] {
  return (_t, i) => ({ status: 'OK', message: `${target} accepted in ${1 + (i % 3)} ms`, code: 'tcp.connected', params: { target, latencyMs: 1 + (i % 3) }, metrics: { latency_ms: 1 + (i % 3) } });
}
function disk(path: string, usedPercent: number, totalGiB: number): CheckSpec['fields'] {
  const totalBytes = totalGiB * 2 ** 30;
  const freeBytes = Math.round(totalBytes * (1 - usedPercent / 100));
  return () => ({ status: 'OK', message: `${path}: ${usedPercent} % used`, code: 'disk.usage', params: { path, usedPercent, freeBytes, totalBytes }, metrics: { used_percent: usedPercent, free_bytes: freeBytes } });
}
function patches(pending: number, security: number, names: string): CheckSpec['fields'] {
  const status: Status = security > 0 ? 'WARN' : 'OK';
  return () => ({ status, message: `apt: ${pending} updates pending, ${security} security`, code: 'patch.pending', params: { manager: 'apt', pending, security, ...(names ? { names } : {}) }, metrics: { pending, security, reboot_required: 0 } });
}
function backup(subject: string, ageMs: (t: number) => number, sizeBytes: number, everyMs = DAY, graceMs = 2 * HOUR): CheckSpec['fields'] {
  return (t) => {
    const age = ageMs(t);
    const late = age > everyMs + graceMs;
    return { status: late ? 'WARN' : 'OK', message: `${subject}, ${Math.round(age / HOUR)} h old`, code: 'backup.age',
      params: { subject, ageMs: age, sizeBytes, ...(late ? { everyMs, graceMs } : {}) }, metrics: { age_s: Math.round(age / 1000), size_bytes: sizeBytes } };
  };
}
/** A nightly backup at 01:30 Berlin: its age at `t`; with `missedToday`, this night's run did not happen. */
function nightly(t: number, missedToday = false): number {
  for (let d = missedToday ? 1 : 0; d < 400; d++) if (at(d, 1, 30) <= t) return t - at(d, 1, 30);
  return 0;
}

interface HostSpec { client: string; name: string; checks: CheckSpec[]; maintenance?: boolean }
const inside = (span: { from: number; to: number }) => (t: number) => t >= span.from && t < span.to;
const ESTATE: HostSpec[] = [
  { client: 'Bäckerei Müller', name: 'kasse-01', checks: [
    { id: 'webshop', kind: 'http', name: 'Webshop', days: 90, fields: web(48, (t) => inside(OUTAGE)(t) || inside(OLD_OUTAGE)(t)) },
    { id: 'kasse', kind: 'tcp', name: 'Kassensystem', days: 90, fields: tcp('kasse-01:9100') },
    { id: 'disk', kind: 'disk', name: 'Festplatte C:', fields: disk('C:\\', 58, 476) },
  ] },
  { client: 'Bäckerei Müller', name: 'buero-pc', checks: [
    { id: 'disk', kind: 'disk', name: 'Festplatte C:', fields: disk('C:\\', 37, 238) },
    { id: 'patch', kind: 'patch', name: 'Updates', every: HOUR, fields: patches(0, 0, '') },
    { id: 'backup', kind: 'backup', name: 'Datensicherung NAS', every: HOUR, fields: backup('restic nas:/backup/buero', (t) => nightly(t), 38_600_000_000) },
  ] },
  { client: 'Kanzlei Berger', name: 'kanzlei-srv', checks: [
    { id: 'dms', kind: 'http', name: 'DMS', fields: web(35) },
    { id: 'smb', kind: 'tcp', name: 'Dateifreigabe', fields: tcp('kanzlei-srv:445') },
    { id: 'backup', kind: 'backup', name: 'Sicherung Mandantenakten', every: HOUR, fields: backup('borg /srv/akten', (t) => nightly(t, true), 212_000_000_000) },
  ] },
  { client: 'Zahnarztpraxis Dr. Schneider', name: 'praxis-server', maintenance: true, checks: [
    { id: 'praxis', kind: 'tcp', name: 'Praxissoftware', fields: (t, i) => inside(REBOOT)(t)
      ? { status: 'CRIT', message: 'connection refused', code: 'net.refused', params: { target: 'praxis-server:1433' }, metrics: {} }
      : tcp('praxis-server:1433')(t, i) },
    { id: 'disk', kind: 'disk', name: 'Datenträger D:', fields: disk('D:\\', 71, 931) },
  ] },
  { client: 'Zahnarztpraxis Dr. Schneider', name: 'empfang-pc', checks: [
    { id: 'disk', kind: 'disk', name: 'Festplatte C:', fields: disk('C:\\', 52, 238) },
    { id: 'patch', kind: 'patch', name: 'Updates', every: HOUR, fields: patches(0, 0, '') },
  ] },
  { client: 'Steuerbüro Hoffmann', name: 'stb-server', checks: [
    { id: 'datev', kind: 'tcp', name: 'DATEV-Server', fields: tcp('stb-server:3389') },
    { id: 'patch', kind: 'patch', name: 'Updates', every: HOUR, fields: patches(7, 2, 'openssl, libssl3') },
  ] },
  { client: 'Autohaus Krüger', name: 'werkstatt-pc', checks: [
    { id: 'web', kind: 'http', name: 'Website', fields: web(62) },
  ] },
  { client: 'Autohaus Krüger', name: 'verkauf-pc', checks: [
    { id: 'disk', kind: 'disk', name: 'Festplatte C:', fields: disk('C:\\', 44, 238) },
  ] },
];

/** A check's results, oldest first: the older days at OLD_STEP, the last day at the check's own interval. */
function resultsOf(spec: CheckSpec): Result[] {
  const every = spec.every ?? STEP;
  const times: Array<[number, number]> = [];
  const dayAgo = NOW - DAY;
  for (let t = dayAgo - (spec.days ?? HISTORY_DAYS) * DAY + DAY; t < dayAgo; t += OLD_STEP) times.push([t, OLD_STEP]);
  // The newest result starts 2 min before NOW: every span it covers ends after NOW only by its interval.
  for (let t = NOW - 2 * MIN - Math.floor((DAY - 2 * MIN) / every) * every; t < NOW; t += every) times.push([t, every]);
  return times.map(([t, intervalMs], i) => {
    const f = spec.fields(t, i);
    return { seq: 0, checkId: spec.id, kind: spec.kind, name: spec.name, status: f.status, message: f.message, code: f.code, params: f.params, metrics: f.metrics, startedAt: t, finishedAt: t + 50, intervalMs };
  });
}

async function seed(c: Awaited<ReturnType<typeof startDashboardCollector>>) {
  const sockets: Array<{ close(): void }> = [];
  const hosts = new Map<string, AgentHandle>();
  for (const host of ESTATE) {
    const agent = await c.addAgent(host.client, host.name);
    hosts.set(host.name, await agent);
    const clientId = (await c.store.findClient(host.client))!.id;
    if (host.maintenance) {
      await createMaintenance(c.store, { clientId, agentId: agent.agentId, checkId: null, title: 'Windows-Updates', recurrence: 'once', startsAt: MAINTENANCE.from, endsAt: MAINTENANCE.to, localTime: null, durationMs: null, weekdays: null }, NOW - 2 * DAY);
    }
    // All of a host's results in time order, numbered as its agent's spool would number them.
    const results = host.checks.flatMap(resultsOf).sort((a, b) => a.startedAt - b.startedAt).map((r, i) => ({ ...r, seq: i + 1 }));
    const socket = await agent.connect();
    sockets.push(socket);
    for (let i = 0; i < results.length; i += 500) await agent.send(socket, results.slice(i, i + 500));
  }
  return { hosts, close: () => sockets.forEach((s) => s.close()) };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const c = await startDashboardCollector(buildDashboard(), clock);
  const chromium = await launchChromium();
  let estate: Awaited<ReturnType<typeof seed>> | undefined;
  try {
    await c.app.alerting.start({ alerting: { failuresToFire: 2 } });
    await c.addUser('berater', 'admin');
    await c.addUser('mueller', 'client', 'Bäckerei Müller');
    estate = await seed(c);
    const bakery = (await c.store.findClient('Bäckerei Müller'))!.id;
    const till = estate.hosts.get('kasse-01')!.agentId;
    const page = await c.store.statusPages.put(bakery, {
      enabled: true, title: { de: 'Status der Bäckerei Müller', en: 'Bäckerei Müller status' },
      services: [{ check: `${till}/webshop`, name: { de: 'Webshop', en: 'Web shop' } }, { check: `${till}/kasse`, name: { de: 'Kassensystem', en: 'Tills' } }],
    }, randomBytes(18).toString('base64url'), NOW, 'berater');
    await c.store.statusPages.addNotice({ clientId: bakery, kind: 'maintenance', title: { de: 'Wartung der Kasse', en: 'Till maintenance' },
      body: { de: 'Am Montag ab 19 Uhr wird die Kasse aktualisiert, etwa 30 Minuten.', en: 'On Monday from 7 pm the tills are updated, about 30 minutes.' },
      from: at(-5, 19, 0), to: at(-5, 19, 30), createdAt: NOW, createdBy: 'berater' });

    const context = async (options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<BrowserContext> => {
      const ctx = await chromium.browser.newContext({ locale: 'de-DE', timezoneId: TZ, colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1366, height: options.height ?? 768 } });
      await ctx.clock.install({ time: clock() });
      return ctx;
    };
    const shot = async (p: Page, name: string, fullPage = true) => {
      await p.screenshot({ path: join(OUT, name), fullPage });
      console.log(join(OUT, name));
    };
    const overview = async (ctx: BrowserContext) => {
      const p = await ctx.newPage();
      await loginAs(p, c.url, 'berater');
      await p.locator('#overview tr[data-client] .beat-bar').first().waitFor();
      return p;
    };

    const light = await context();
    const main = await overview(light);
    await shot(main, 'overview-de.png');
    await main.goto(`${c.url}/#/check/${till}/webshop`);
    await main.locator('#check-availability').waitFor();
    await main.locator('.chart canvas, .chart svg').first().waitFor();
    await shot(main, 'check.png');
    await main.goto(`${c.url}/#/wall`);
    await main.locator('#wall .tile').first().waitFor();
    await shot(main, 'wall.png', false);
    await light.close();

    // The client page as the bakery's owner sees it (read-only: none of the admin's forms).
    const owner = await context();
    const own = await owner.newPage();
    await loginAs(own, c.url, 'mueller');
    await own.goto(`${c.url}/#/client/${bakery}`);
    await own.locator(`.card.host[data-agent="${till}"] .host-beats .beat`).first().waitFor();
    await shot(own, 'client.png');
    await owner.close();

    const dark = await context({ colorScheme: 'dark' });
    await shot(await overview(dark), 'overview-dark.png');
    await dark.close();
    const phone = await context({ width: 390, height: 844 });
    await shot(await overview(phone), 'overview-phone.png');
    await phone.close();

    const visitor = await context();
    const status = await visitor.newPage();
    const response = await status.goto(`${c.url}/status/${page.token}`);
    if (response?.status() !== 200) throw new Error(`status page answered ${response?.status()}`);
    await shot(status, 'status-page.png');
    await visitor.close();
  } finally {
    estate?.close();
    await chromium.close();
    await c.close();
  }
}

await main();
