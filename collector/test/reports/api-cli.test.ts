/** The report and availability through the real HTTP API (tenancy included) and the real CLI in a child process. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCollector } from '../helpers/collector.ts';
import { hashSecret, newSecret } from '../../src/auth/secrets.ts';
import { seedBakery, MONTH, TO, EXPECTED } from './bakery.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/nines-collector.mjs');

t.test('API: availability, incidents, maintenance and the monthly report, each only for the caller\'s clients', async (t) => {
  const now = TO + 86_400_000;
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const { clientId } = await seedBakery(c.store);
  const other = await c.store.ensureClient('Andere GmbH', 0);
  const token = async (role: 'admin' | 'client', clientId: number | null) => {
    const secret = newSecret();
    const user = await c.store.createUser({ username: `${role}-${clientId}`, passwordHash: 'x', role, clientId }, 0);
    await c.store.createApiToken(hashSecret(secret), user, 'test', 0);
    return { authorization: `Bearer ${secret}` };
  };
  const admin = await token('admin', null);
  const own = await token('client', clientId);
  const stranger = await token('client', other.id);
  const get = (url: string, headers: Record<string, string>) => fetch(`${c.url}${url}`, { headers });

  let res = await get(`/api/v1/availability?scope=client&id=${clientId}&window=${MONTH}`, own);
  t.equal(res.status, 200);
  t.match(await res.json(), { downMs: EXPECTED.downMs, availabilityPercent: EXPECTED.percent, met: true, budget: { allowedMs: EXPECTED.allowedMs } });
  res = await get(`/api/v1/availability?scope=check&id=srv-01/web&window=${MONTH}`, own);
  t.match(await res.json(), { downMs: EXPECTED.downMs, scope: 'check' });
  res = await get(`/api/v1/availability?scope=host&id=srv-01&window=${MONTH}`, stranger);
  t.match({ status: res.status, body: await res.json() }, { status: 404, body: { code: 'NINES_ERR_NOT_FOUND' } }, 'another tenant\'s host is not found');
  res = await get(`/api/v1/availability?scope=client&id=${clientId}&window=forever`, own);
  t.match({ status: res.status, body: await res.json() }, { status: 400, body: { code: 'NINES_ERR_BAD_REQUEST' } });
  res = await get(`/api/v1/availability?scope=galaxy&id=1`, admin);
  t.equal(res.status, 400);
  res = await fetch(`${c.url}/api/v1/availability?scope=client&id=${clientId}`);
  t.equal(res.status, 401);

  res = await get(`/api/v1/incidents?scope=host&id=srv-01&window=${MONTH}`, own);
  t.match(await res.json(), { incidents: [{ durationMs: EXPECTED.downMs, cause: 'Webshop: HTTP 502 Bad Gateway' }] });

  const html = await get(`/api/v1/reports/monthly?client=${encodeURIComponent('Bäckerei Müller')}&month=${MONTH}&lang=en`, own);
  t.equal(html.status, 200);
  t.match(html.headers.get('content-type'), /text\/html/);
  t.match(await html.text(), '99.953%');
  res = await get(`/api/v1/reports/monthly?client=${clientId}&month=${MONTH}`, stranger);
  t.equal(res.status, 404, 'a client user cannot read another client\'s report');
  res = await get(`/api/v1/reports/monthly?client=${clientId}&month=2026-13`, admin);
  t.equal(res.status, 400);

  // maintenance: a client may not create one, the admin may; the outage is then excluded
  const body = { clientId, agentId: 'srv-01', checkId: 'web', title: 'Umzug', recurrence: 'once', startsAt: Date.parse('2026-06-10T09:30:00Z'), endsAt: Date.parse('2026-06-10T11:30:00Z') };
  const post = (headers: Record<string, string>, payload: unknown) =>
    fetch(`${c.url}/api/v1/maintenance`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  t.equal((await post(own, body)).status, 403);
  t.equal((await post(admin, { ...body, endsAt: body.startsAt - 1 })).status, 400);
  // JSON nulls stay nulls: an open-ended, client-wide daily window (Ajv's coercion must not make them 0 or "")
  const open = { clientId, agentId: null, checkId: null, title: 'Nightly', recurrence: 'daily', startsAt: body.startsAt, endsAt: null, localTime: '03:00', durationMs: 1_800_000 };
  const openCreated = await post(admin, open);
  t.equal(openCreated.status, 201);
  const openId = ((await openCreated.json()) as { id: number }).id;
  t.match((await (await get(`/api/v1/maintenance?clientId=${clientId}`, own)).json()), { windows: [{ id: openId, agentId: null, endsAt: null }] });
  t.equal((await fetch(`${c.url}/api/v1/maintenance/${openId}`, { method: 'DELETE', headers: admin })).status, 204);
  const created = await post(admin, body);
  t.equal(created.status, 201);
  const window = (await created.json()) as { id: number };
  res = await get(`/api/v1/availability?scope=client&id=${clientId}&window=${MONTH}`, own);
  t.match(await res.json(), { downMs: 0, maintenanceMs: 2 * 3_600_000 });
  res = await get(`/api/v1/maintenance?clientId=${clientId}`, own);
  t.match(await res.json(), { windows: [{ id: window.id, title: 'Umzug' }] });
  t.equal((await get(`/api/v1/maintenance?clientId=${clientId}`, stranger)).status, 404);
  t.equal((await fetch(`${c.url}/api/v1/maintenance/${window.id}`, { method: 'DELETE', headers: admin })).status, 204);
  t.equal((await fetch(`${c.url}/api/v1/maintenance/${window.id}`, { method: 'DELETE', headers: admin })).status, 404);
});

t.test('CLI: report --client --month --lang --out writes the HTML; bad arguments exit 2 with the reason', async (t) => {
  const c = await startCollector();
  await seedBakery(c.store);
  await c.app.close();
  t.teardown(c.close);
  const out = join(c.dir, 'report.html');
  const { stderr } = await run(process.execPath, [bin, 'report', ...c.settings, '--client', 'Bäckerei Müller', '--month', MONTH, '--lang', 'en', '--out', out]);
  t.match(stderr, 'written to');
  const html = readFileSync(out, 'utf8');
  t.match(html, '99.953%');
  t.match(html, 'Target met');
  const de = await run(process.execPath, [bin, 'report', ...c.settings, '--client', 'Bäckerei Müller', '--month', MONTH]);
  t.match(de.stdout, '99,953 %', 'the client\'s language by default, to stdout');
  // May has no results at all, whether it lies before the real clock or after: no figure and no verdict
  const empty = await run(process.execPath, [bin, 'report', ...c.settings, '--client', 'Bäckerei Müller', '--month', '2026-05']);
  t.match(empty.stdout, 'Keine Messdaten: kein Wert und kein Ergebnis für diesen Monat');
  t.notMatch(empty.stdout, 'Ziel erreicht');
  for (const [args, reason] of [
    [['--month', MONTH], /--client/],
    [['--client', 'x', '--month', '2026-6'], /--month YYYY-MM/],
    [['--client', 'x', '--month', MONTH, '--lang', 'fr'], /de or en/],
  ] as const) {
    const failed = await run(process.execPath, [bin, 'report', ...c.settings, ...args]).catch((e: { code: number; stderr: string }) => e);
    t.match(failed, { code: 2, stderr: reason });
  }
  const unknown = await run(process.execPath, [bin, 'report', ...c.settings, '--client', 'Niemand', '--month', MONTH]).catch((e: { code: number; stderr: string }) => e);
  t.match(unknown, { code: 1, stderr: /no such resource: client Niemand/ });
});
