/**
 * A client's status page through the real HTTP API and the public link, on an estate fed through the agent socket
 * (scenario.ts). Every expected figure is derived from the scenario's outages; nothing internal may show.
 */
import t from 'tap';
import { apiTokenHeader } from '../helpers/collector.ts';
import { STATUS_PAGE_DAYS, type StatusPageView } from '@nines/shared';
import { FIRST, MAIL_DOWN_SINCE, NOW, SECRETS, STEP, TZ, WEB_OUTAGES, midnight, startEstate } from './scenario.ts';

const e = await startEstate();
t.teardown(() => e.c.close());
const { c, clientId } = e;
const token = (role: 'admin' | 'client', forClient: number | null) => apiTokenHeader(c.store, role, forClient);
const admin = await token('admin', null);
const own = await token('client', clientId);
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
  const res = await fetch(`${c.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: (text.startsWith('{') ? JSON.parse(text) : null) as Record<string, unknown> & { path?: string } };
};
const base = `/api/v1/clients/${clientId}/status-page`;
const config = { enabled: true, title: { de: 'Status der Bäckerei Müller', en: 'Müller Bakery status' }, services: [{ check: e.web, name: { de: 'Webshop', en: 'Web shop' } }, { check: e.mail, name: { de: 'E-Mail' } }] };

t.test('bad input is a clear 400/404 and saves nothing', async (t) => {
  t.match(await call('GET', base), { status: 404, body: { message: /PUT one first/ } });
  t.match(await call('PUT', base, { ...config, colour: 'red' }), { status: 400, body: { message: /bad status page: .*colour/ } }, 'an unknown key');
  t.match(await call('PUT', base, { ...config, services: [{ check: e.foreign, name: { de: 'Fremd' } }] }), { status: 400, body: { message: /has no check/ } }, "another client's check");
  t.match(await call('PUT', base, { ...config, services: [config.services[0], config.services[0]] }), { status: 400, body: { message: /listed twice/ } });
  t.match(await call('PUT', base, { ...config, services: [{ check: e.web, name: { en: 'only English' } }] }), { status: 400 }, 'German is required');
  t.match(await call('POST', `${base}/notices`, { kind: 'info', title: { de: 'x' }, from: NOW }), { status: 404 }, 'no page, no notice');
  t.match(await call('PUT', base, config, own), { status: 403 }, "a client's login may not configure");
  t.equal(await c.store.statusPages.get(clientId), undefined, 'nothing saved');
});

t.test('the page: state now, 90 local days, uptime from the outages, notices by phase, no internal names', async (t) => {
  const saved = await call('PUT', base, config);
  t.equal(saved.status, 200);
  const path = saved.body.path!;
  t.match(path, /^\/status\/[A-Za-z0-9_-]{24}$/, 'an unguessable link (144 bits)');
  const notice = (body: unknown) => call('POST', `${base}/notices`, body);
  t.match(await notice({ kind: 'incident', title: { de: 'E-Mail gestört', en: 'Mail disrupted' }, body: { de: 'Wir arbeiten daran.' }, from: MAIL_DOWN_SINCE, to: null }), { status: 201 });
  t.match(await notice({ kind: 'maintenance', title: { de: 'Server-Updates' }, from: NOW + 2 * 86_400_000, to: NOW + 2 * 86_400_000 + 3_600_000 }), { status: 201 });
  t.match(await notice({ kind: 'info', title: { de: 'Umzug erledigt' }, from: NOW - 4 * 86_400_000, to: NOW - 3 * 86_400_000 }), { status: 201 });
  t.match(await notice({ kind: 'info', title: { de: 'Uralt' }, from: NOW - 30 * 86_400_000, to: NOW - 20 * 86_400_000 }), { status: 201 });
  t.match(await notice({ kind: 'info', title: { de: 'Zu früh' }, from: NOW + 30 * 86_400_000 }), { status: 201 });
  t.match(await notice({ kind: 'info', title: { de: 'rückwärts' }, from: NOW, to: NOW - 1 }), { status: 400, body: { message: /to must lie after from/ } });

  const json = await call('GET', `${path}/json`, undefined, { 'accept-language': 'de-DE,de;q=0.9' });
  t.equal(json.status, 200, 'public: no login');
  const view = json.body as unknown as StatusPageView;
  t.equal(view.title, 'Status der Bäckerei Müller');
  t.equal(view.overall, 'down', 'the mail server is down now');
  t.same(view.services.map((s) => [s.name, s.state]), [['Webshop', 'up'], ['E-Mail', 'down']]);
  const web = view.services[0]!;
  t.equal(web.days.length, STATUS_PAGE_DAYS);
  // Expected from the scenario: days before FIRST have no data; two days ago 1 minute down (within 99.9 % of a
  // day: 1,440 × 0.1 % = 1.44 min), yesterday 30 minutes (below), today none.
  const byDate = new Map(web.days.map((d) => [d.date, d]));
  const iso = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(ms);
  t.equal(web.days.at(-1)!.date, iso(NOW), 'the last bar is today in Berlin');
  t.match(byDate.get(iso(midnight(3))), { level: 'ok', downMs: 0 });
  t.match(byDate.get(iso(midnight(2))), { level: 'partial', downMs: WEB_OUTAGES[0]!.minutes * STEP });
  t.match(byDate.get(iso(midnight(1))), { level: 'down', downMs: WEB_OUTAGES[1]!.minutes * STEP });
  t.match(byDate.get(iso(NOW)), { level: 'ok', downMs: 0 });
  t.equal(web.days.filter((d) => d.level === 'none').length, STATUS_PAGE_DAYS - 4, 'no data before the first result');
  const measured = NOW - FIRST;
  const downMs = WEB_OUTAGES.reduce((sum, o) => sum + o.minutes * STEP, 0);
  const expected = (Math.floor(((measured - downMs) * 100_000) / measured) / 1000).toFixed(3);
  t.equal(web.uptimePercent, expected, `uptime over the days measured: ${expected} %`);
  t.equal(web.met, (downMs / measured) <= 0.001, 'met against 99.9 % as the figure says');
  t.same(view.notices.map((n) => [n.phase, n.title]), [['ended', 'Umzug erledigt'], ['current', 'E-Mail gestört'], ['upcoming', 'Server-Updates']],
    'current, upcoming within 14 days, ended within 7 days; the rest left out');

  const de = await call('GET', path, undefined, { 'accept-language': 'de-DE' });
  t.equal(de.status, 200);
  t.match(de.text, /<html lang="de">/);
  t.match(de.text, /Es gibt eine Störung\./);
  t.match(de.text, /Webshop<\/span><span class="state up">verfügbar/);
  t.match(de.text, new RegExp(`data-uptime>${expected.replace('.', ',')} %<`), 'the German decimal comma');
  t.equal((de.text.match(/<span class="(ok|partial|down|maintenance|none)" title=/g) ?? []).length, 2 * STATUS_PAGE_DAYS, 'a bar per day and service');
  t.match(de.text, /data-phase="current"><h2>Störung: E-Mail gestört/);
  const en = await call('GET', `${path}?lang=en`);
  t.match(en.text, /<html lang="en">/);
  t.match(en.text, /There is an outage\./);
  t.match(en.text, /Planned maintenance: Server-Updates/, 'a notice without English falls back to German');
  const badgeUptime = await call('GET', `${path}/badge/1/uptime.svg?lang=de`);
  t.equal(badgeUptime.status, 200);
  t.match(badgeUptime.text, new RegExp(`<title>Webshop · Verfügbarkeit: ${expected.replace('.', ',')} %</title>`));
  const badgeState = await call('GET', `${path}/badge/2/state.svg?lang=en`);
  t.match(badgeState.text, /<title>E-Mail: outage<\/title>/);
  t.match(await call('GET', `${path}/badge/3/state.svg`), { status: 404 }, 'no third service');

  for (const text of [json.text, de.text, en.text, badgeUptime.text, badgeState.text]) {
    for (const secret of [...SECRETS, e.agentId]) t.notOk(text.includes(secret), `"${secret}" does not leak`);
  }
});

t.test('the link: rotated, switched off, deleted → the same 404 page; a client login sees its own page only', async (t) => {
  const before = (await call('GET', base)).body.path!;
  const mine = await call('GET', `/status-page/${clientId}`, undefined, own);
  t.equal(mine.status, 200, "the client's login");
  t.match(mine.text, /Status der Bäckerei Müller/);
  const otherClient = await c.store.ensureClient('Anderer Kunde', 0);
  t.match(await call('GET', `/status-page/${otherClient.id}`, undefined, own), { status: 404 }, "another client's page is not found");
  t.match(await call('GET', `/status-page/${clientId}`, undefined, {}), { status: 401 }, 'without a login');

  const rotated = (await call('POST', `${base}/rotate`)).body.path!;
  t.not(rotated, before);
  const gone = await call('GET', before, undefined, { 'accept-language': 'de' });
  t.equal(gone.status, 404);
  t.match(gone.text, /Statusseite nicht gefunden/);
  t.equal((await call('GET', rotated)).status, 200);
  await call('PUT', base, { ...config, enabled: false });
  const off = await call('GET', rotated, undefined, { 'accept-language': 'de' });
  t.equal(off.text, gone.text, 'switched off looks like unknown');
  t.match(await call('GET', `/status-page/${clientId}`, undefined, own), { status: 404 }, "and is off for the client's login too");
  t.equal((await call('GET', '/status/not-a-token-at-all')).status, 404);
  t.equal((await call('DELETE', base)).status, 204);
  t.equal((await call('DELETE', base)).status, 404);
  t.same(await c.store.statusPages.notices(clientId), [], 'its notices went with it');
});

t.test('a public link hammered from one address is refused after STATUS_PAGE_REQUESTS_PER_MINUTE', async (t) => {
  const { STATUS_PAGE_REQUESTS_PER_MINUTE } = await import('../../src/http/routes/status-pages.ts');
  // A collector of its own: the counter is per address and minute, and the tests above used this one's.
  const { startCollector } = await import('../helpers/collector.ts');
  const fresh = await startCollector();
  t.teardown(() => fresh.close());
  const codes: number[] = [];
  for (let i = 0; i <= STATUS_PAGE_REQUESTS_PER_MINUTE; i++) codes.push((await fetch(`${fresh.url}/status/hammered-token`)).status);
  t.equal(codes.filter((s) => s === 404).length, STATUS_PAGE_REQUESTS_PER_MINUTE);
  t.equal(codes.at(-1), 429);
});
