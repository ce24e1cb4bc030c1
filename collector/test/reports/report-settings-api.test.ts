/**
 * Report settings through the API (issue 21): GET shows each part in effect and where it comes from (YAML, saved,
 * defaults) with its next run; PUT saves a part that replaces the YAML's, the scheduler re-armed at once (a weekly
 * overview moved to 06:30 goes out at 06:30 from the same running collector, and not again at the old 07:00);
 * DELETE goes back to the YAML's. Bad input is a clear 4xx and changes nothing. A real SMTP server on loopback,
 * a real SQLite file, an injected clock (Monday 30 November 2026, 06:00 in Berlin).
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { hashSecret, newSecret } from '../../src/auth/secrets.ts';
import { startSchedulesFromConfig } from '../../src/schedule/start.ts';
import type { Settings } from '../../src/settings.ts';
import { startCollector, type TestCollector } from '../helpers/collector.ts';
import { startSmtp, type TestSmtp } from '../notify/helpers/smtp.ts';
import { seedBakery } from './bakery.ts';

const at = (iso: string) => Date.parse(iso);
// A real PNG from the repository (pdftoppm's rendering of a report page, docs/samples), read only.
const PNG = readFileSync(join(import.meta.dirname, '../../../docs/samples/report-de-page1.png'));

/** A collector closed at the test's end unless closed before (for the restart). */
async function rig(collectors: Array<{ close(): Promise<void> }>, now: () => number, options: { dir?: string; keepDir?: boolean } = {}) {
  const c = await startCollector({ clock: now, ...options });
  const closeOnce = c.close.bind(c);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await closeOnce();
  };
  collectors.push({ close });
  return Object.assign(c, { close });
}

async function startFromFile(c: TestCollector, smtp: TestSmtp) {
  const file = {
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'Berger IT <reports@consult.example>', timeout: '5s' },
    reports: { monthly: { at: '09:00' }, weekly: { at: '07:00' } },
  };
  await c.app.reports.start({ smtp: file.smtp, reports: file.reports, brand: 'Berger IT' });
  await startSchedulesFromConfig(c.app, { publicUrl: null } as Settings, file);
}

async function token(c: TestCollector, role: 'admin' | 'client', clientId: number | null): Promise<Record<string, string>> {
  const secret = newSecret();
  const username = `${role}-${clientId ?? 'all'}`;
  const user = (await c.store.findUserByName(username))?.id ?? await c.store.createUser({ username, passwordHash: 'x', role, clientId }, 0);
  await c.store.createApiToken(hashSecret(secret), user, 'test', 0);
  return { authorization: `Bearer ${secret}` };
}

interface Part { part: string; source: string; nextRunAt?: number | null; effective: Record<string, unknown>; stored: Record<string, unknown> | null; updatedBy: string | null }
interface View { parts: Part[]; schedules: Array<{ job: string; schedule: string; nextAt: number }> }

t.test('report settings: saved through the API in place of the YAML\'s, in effect at once, back to the YAML on delete; bad input changes nothing', async (t) => {
  const smtp = await startSmtp();
  const collectors: Array<{ close(): Promise<void> }> = [];
  // The collectors first: the SMTP server's close waits for their connections to end.
  t.teardown(async () => {
    for (const c of collectors) await c.close();
    await smtp.close();
  });
  let now = at('2026-11-30T05:00:00Z'); // Monday 06:00 in Berlin
  const c = await rig(collectors, () => now, { keepDir: true });
  const { clientId } = await seedBakery(c.store as never);
  await upsertRecipient(c.store.recipients, { clientId: null, name: 'Karin', email: 'karin@consult.example', audience: 'technical', language: 'de' }, 0);
  await startFromFile(c, smtp);
  const admin = await token(c, 'admin', null);
  const call = async (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = admin) => {
    const res = await c.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() as View & { message?: string } };
  };
  const part = (v: View, name: string) => v.parts.find((p) => p.part === name)!;
  const job = (v: View, name: string) => v.schedules.find((s) => s.job === name);

  let res = await call('GET', '/api/v1/report-settings');
  t.equal(res.status, 200);
  t.match(part(res.body, 'monthly'), { source: 'yaml', effective: { enabled: true, day: 1, at: '09:00', copyToConsultant: true }, stored: null, nextRunAt: at('2026-12-01T08:00:00Z') });
  t.match(part(res.body, 'yearly'), { source: 'default', effective: { at: '08:00' }, nextRunAt: at('2027-01-01T07:00:00Z') });
  t.match(part(res.body, 'weekly'), { source: 'yaml', nextRunAt: at('2026-11-30T06:00:00Z') });
  t.match(part(res.body, 'branding'), { source: 'default', effective: { name: 'Berger IT', logo: null } });
  t.match(job(res.body, 'weekly-overview'), { schedule: 'monday 07:00 Europe/Berlin', nextAt: at('2026-11-30T06:00:00Z') });

  res = await call('PUT', '/api/v1/report-settings/monthly', { day: 2, at: '10:30' });
  t.equal(res.status, 200);
  // 10:30 in Berlin is 09:30Z; the hourly job sends at the next full hour.
  t.match(part(res.body, 'monthly'), { source: 'stored', effective: { day: 2, at: '10:30', enabled: true }, stored: { day: 2, at: '10:30' }, updatedBy: 'admin-all', nextRunAt: at('2026-12-02T10:00:00Z') });

  res = await call('PUT', '/api/v1/report-settings/weekly', { weekday: 'monday', at: '06:30', timezone: 'Europe/Berlin', language: 'en' });
  t.equal(res.status, 200);
  t.match(job(res.body, 'weekly-overview'), { schedule: 'monday 06:30 Europe/Berlin', nextAt: at('2026-11-30T05:30:00Z') }, 're-armed at once, no restart');
  now = at('2026-11-30T05:30:00Z');
  await c.app.schedules.runDue(now);
  const [mail] = await smtp.waitFor(1);
  t.match(mail!.to, /karin@consult\.example/, 'the overview went out at the new time');
  now = at('2026-11-30T06:00:00Z');
  await c.app.schedules.runDue(now);
  t.equal(smtp.mails.length, 1, 'and not again at the old 07:00');

  const before = (await call('GET', '/api/v1/report-settings')).body.parts;
  const bad: Array<[string, unknown, RegExp]> = [
    ['monthly', { at: '10:30', dya: 3 }, /bad monthly settings: \/dya: unknown key/],
    ['monthly', { at: '25:00' }, /bad monthly settings: \/at/],
    ['monthly', { day: 31 }, /bad monthly settings: \/day/],
    ['yearly', { enabled: 'yes' }, /bad yearly settings: \/enabled/],
    ['weekly', { timezone: 'Mars/Olympus' }, /unknown time zone "Mars\/Olympus"/],
    ['weekly', { weekday: 'montag' }, /bad weekly settings: \/weekday/],
    ['branding', { name: 'X', logoFile: '/etc/passwd' }, /\/logoFile: unknown key/],
    ['branding', { logo: { contentType: 'image/png', data: Buffer.from('not an image at all').toString('base64') } }, /neither a PNG nor a JPEG image/],
    ['branding', { logo: { contentType: 'image/jpeg', data: PNG.toString('base64') } }, /says image\/jpeg but is image\/png/],
    ['branding', { logo: { contentType: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(600 * 1024)]).toString('base64') } }, /at most 524288 \(512 KiB\)/],
    ['branding', { logo: { contentType: 'image/gif', data: 'R0lGODlh' } }, /bad branding settings: \/logo/],
  ];
  for (const [name, body, message] of bad) {
    const r = await call('PUT', `/api/v1/report-settings/${name}`, body);
    t.match(r, { status: 400, body: { message } }, `${name} ${JSON.stringify(body).slice(0, 60)}: ${message}`);
  }
  t.match(await call('PUT', '/api/v1/report-settings/monthly', [1, 2]), { status: 400 }, 'not an object');
  t.match(await call('PUT', '/api/v1/report-settings/daily', { at: '08:00' }), { status: 404, body: { message: /use monthly, yearly, weekly, branding/ } });
  t.match(await call('PUT', '/api/v1/report-settings/monthly', { at: '08:00' }, await token(c, 'client', clientId)), { status: 403 });
  t.match(await call('GET', '/api/v1/report-settings', undefined, {}), { status: 401 });
  t.same((await call('GET', '/api/v1/report-settings')).body.parts, before, 'none of it changed anything');

  res = await call('PUT', '/api/v1/report-settings/branding', { name: 'Berger IT-Service', contact: 'Hauptstr. 1\n10115 Berlin', footer: 'Vertraulich', logo: { contentType: 'image/png', data: PNG.toString('base64') } });
  t.equal(res.status, 200);
  t.match(part(res.body, 'branding'), { source: 'stored', effective: { name: 'Berger IT-Service', footer: 'Vertraulich', logo: { contentType: 'image/png', bytes: PNG.length } } });
  t.notOk(JSON.stringify(res.body).includes(PNG.subarray(0, 300).toString('base64')), 'the logo\'s bytes are not sent back');
  t.same(c.app.reports.delivery.branding, { name: 'Berger IT-Service', logo: PNG, contactLines: ['Hauptstr. 1', '10115 Berlin'], footer: 'Vertraulich' }, 'the PDFs use it from now on');

  t.match(await call('PUT', '/api/v1/report-settings/branding', { name: 'Berger IT', logo: 'keep' }), { status: 200 });
  t.equal(c.app.reports.delivery.branding.logo?.length, PNG.length, "'keep' keeps the saved logo while the texts change");
  t.equal(c.app.reports.delivery.branding.name, 'Berger IT');
  await call('DELETE', '/api/v1/report-settings/branding');
  t.match(await call('PUT', '/api/v1/report-settings/branding', { logo: 'keep' }), { status: 400, body: { message: /no logo was saved before/ } });
  t.match(await call('PUT', '/api/v1/report-settings/branding', { name: 'Berger IT-Service', contact: 'Hauptstr. 1\n10115 Berlin', footer: 'Vertraulich', logo: { contentType: 'image/png', data: PNG.toString('base64') } }), { status: 200 });

  res = await call('DELETE', '/api/v1/report-settings/monthly');
  t.match(part(res.body, 'monthly'), { source: 'yaml', stored: null, effective: { day: 1, at: '09:00' }, nextRunAt: at('2026-12-01T08:00:00Z') }, 'back to the YAML');
  t.match(await call('DELETE', '/api/v1/report-settings/monthly'), { status: 404, body: { message: /the YAML's apply already/ } });

  // A restart on the same database keeps what was saved.
  const dir = c.dir;
  await c.close();
  const again = await rig(collectors, () => now, { dir });
  await startFromFile(again, smtp);
  const secret = await token(again, 'admin', null);
  const after = (await again.app.inject({ url: '/api/v1/report-settings', headers: secret })).json() as View;
  t.match(part(after, 'weekly'), { source: 'stored', effective: { at: '06:30', language: 'en' } });
  t.match(part(after, 'branding'), { source: 'stored', effective: { name: 'Berger IT-Service' } });
  t.match(part(after, 'monthly'), { source: 'yaml' });
  t.match(job(after, 'weekly-overview'), { schedule: 'monday 06:30 Europe/Berlin' });
  t.equal(again.app.reports.delivery.branding.logo?.length, PNG.length);
});
