import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../../src/reports/messages.ts';
import type { RecipientFields } from '../../../src/store/recipients.ts';
import { startCollector, type TestCollector } from '../../helpers/collector.ts';
import { startSmtp, type TestSmtp } from '../../notify/helpers/smtp.ts';
import { apiToken } from '../../notify/helpers/alerting.ts';
import { emailNotifier } from '../../../src/notify/email.ts';
import { weeklyOverviewJob, WEEKLY_OVERVIEW_JOB } from '../../../src/reports/weekly/job.ts';
import { gatherOverview } from '../../../src/reports/weekly/gather.ts';
import { renderOverview } from '../../../src/reports/weekly/render.ts';
import { seedEstate, NOW, type Estate } from './estate.ts';

// The Monday overview end to end: a stored estate, the scheduled job with a fixed clock, a real SMTP server on loopback.

const MIN = 60_000;
const SAMPLES = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'samples');

const consultant = (overrides: Partial<RecipientFields> = {}): RecipientFields => ({
  clientId: null, name: 'Karin Meier', channel: 'email', address: 'karin@consult.example', target: { address: 'karin@consult.example' }, audience: 'technical',
  language: 'de', timezone: 'Europe/Berlin', quietHours: null, minSeverity: 'WARN', reminders: true, resolved: true, escalationOnly: false, enabled: true, reports: false, ...overrides,
});

interface Rig {
  c: TestCollector;
  smtp: TestSmtp;
  estate: Estate;
  clock: { now: number };
  job(lang?: Lang): ReturnType<typeof weeklyOverviewJob>;
}

async function rig(t: Test, options: { start: number; quietOnly?: boolean; dir?: string; seed?: boolean; smtp?: TestSmtp }): Promise<Rig> {
  const clock = { now: options.start };
  const c = await startCollector({ clock: () => clock.now, dir: options.dir, keepDir: options.dir !== undefined });
  t.teardown(() => c.close());
  const smtp = options.smtp ?? (await startSmtp());
  if (!options.smtp) t.teardown(() => smtp.close());
  const email = emailNotifier({ host: '127.0.0.1', port: smtp.port, from: 'Nines <nines@consult.example>' });
  t.teardown(() => email.close());
  const estate = options.seed === false ? ({} as Estate) : await seedEstate(c.store, { quietOnly: options.quietOnly });
  if (options.seed !== false) {
    await c.store.recipients.upsert(consultant(), 0);
    // Not the overview's readers: a client's contact, the consultant's plain-language and disabled contact points, his ntfy topic.
    if (!options.quietOnly) await c.store.recipients.upsert(consultant({ clientId: estate.clients.praxis, name: 'Dr. Weber', address: 'weber@praxis.example', target: { address: 'weber@praxis.example' } }), 0);
    await c.store.recipients.upsert(consultant({ address: 'plain@consult.example', target: { address: 'plain@consult.example' }, audience: 'plain' }), 0);
    await c.store.recipients.upsert(consultant({ address: 'old@consult.example', target: { address: 'old@consult.example' }, enabled: false }), 0);
    await c.store.recipients.upsert(consultant({ channel: 'ntfy', address: 'karin-topic', target: { topic: 'karin-topic' } }), 0);
  }
  return {
    c, smtp, estate, clock,
    job: (lang = 'de') => weeklyOverviewJob({
      store: c.store, clock: () => clock.now, email, senderDomain: 'consult.example', publicUrl: 'https://nines.example/', brand: 'IT Meier',
      weekday: 'monday', at: '07:00', timezone: 'Europe/Berlin', language: lang,
    }),
  };
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

const GERMAN_LINES = [
  'Datensicherung fehlgeschlagen: srv-01 – Nachtsicherung (restic: repository locked)',
  '2 Sicherheitsupdates offen seit 20. November 2026: srv-01 – Updates',
  'Neustart ausstehend: srv-01 – Updates',
  'Festplatte zu 91 % belegt: srv-01 – System (C:)',
  'Zertifikat läuft in 12 Tagen ab: web-01 – Website TLS',
  'Fehlerbudget des Monats: 60 von 86 min verbraucht (69 %)',
  'Agent meldet sich seit 29.11.2026, 22:00 nicht mehr: pc-empfang',
];
const ENGLISH_LINES = [
  'Backup failing: srv-01 – Nachtsicherung (restic: repository locked)',
  '2 security updates pending since 20 November 2026: srv-01 – Updates',
  'Reboot pending: srv-01 – Updates',
  'Disk 91% full: srv-01 – System (C:)',
  'Certificate expires in 12 days: web-01 – Website TLS',
  'Error budget of the month: 60 of 86 min used (69%)',
  'Agent silent since 29 Nov 2026, 22:00: pc-empfang',
];

t.test('Monday 07:00 Berlin: one overview to the consultant, each problem once, the quiet client not at all', async (t) => {
  const r = await rig(t, { start: NOW - MIN });
  await r.c.app.schedules.start([r.job()]);
  t.equal(r.smtp.mails.length, 0, 'nothing at 06:59, and no catch-up of last week at start');
  r.clock.now = NOW;
  await r.c.app.schedules.runDue(NOW);
  t.equal(r.smtp.mails.length, 1, 'one mail at 07:00');
  const mail = r.smtp.mails[0]!;
  t.equal(mail.to, 'Karin Meier <karin@consult.example>', 'to the consultant only');
  t.equal(mail.subject, 'Wochenüberblick: 7 offene Punkte bei 2 Kunden');
  t.equal(mail.messageId, `<weekly-overview.${NOW}.1@consult.example>`);
  for (const line of GERMAN_LINES) t.equal(occurrences(mail.text, line), 1, `once: ${line}`);
  t.equal(occurrences(mail.text, '\n- '), 7, 'seven lines, no more');
  for (const quiet of ['Kanzlei Schmidt', 'nas-01']) {
    t.notOk(mail.text.includes(quiet) || mail.html.includes(quiet), `the quiet client is not named (${quiet})`);
  }
  t.ok(mail.text.indexOf('Bäckerei Müller\n====') < mail.text.indexOf('Praxis Dr. Weber\n===='), 'a heading per client, by name');
  for (const link of ['#/check/srv-01/backup', '#/check/srv-01/patch', '#/check/srv-01/disk', '#/check/web-01/cert', `#/client/${r.estate.clients.praxis}`, '#/host/pc-02']) {
    t.ok(mail.text.includes(`https://nines.example/${link}`) && mail.html.includes(`href="https://nines.example/${link}"`), `links into the dashboard: ${link}`);
  }
  t.ok(mail.html.includes('<h2 style="font-size:1.1em;margin:1em 0 .3em">Bäckerei Müller</h2>'));

  r.clock.now = NOW + 5 * MIN;
  await r.c.app.schedules.runDue(r.clock.now);
  t.equal(r.smtp.mails.length, 1, 'the next tick does not send again');
  t.match(await r.c.app.schedules.states(), [{ job: WEEKLY_OVERVIEW_JOB, schedule: 'monday 07:00 Europe/Berlin', nextAt: Date.parse('2026-12-07T06:00:00Z'), lastRunAt: NOW, lastOutcome: 'ok', lastError: null }]);

  // A restarted collector, a second scheduler on the same database: the slot is taken.
  const second = await rig(t, { start: NOW + 10 * MIN, dir: r.c.dir, seed: false, smtp: r.smtp });
  await second.c.app.schedules.start([second.job()]);
  await second.c.app.schedules.runDue(NOW + 20 * MIN);
  t.equal(r.smtp.mails.length, 1, 'not sent again after a restart');
});

t.test('the English overview names each problem once', async (t) => {
  const r = await rig(t, { start: NOW });
  await r.job('en').run(NOW);
  const mail = (await r.smtp.waitFor(1))[0]!;
  t.equal(mail.subject, 'Weekly overview: 7 open items at 2 clients');
  for (const line of ENGLISH_LINES) t.equal(occurrences(mail.text, line), 1, `once: ${line}`);
  t.equal(occurrences(mail.text, '\n- '), 7);
  t.notOk(mail.text.includes('Kanzlei Schmidt'));
});

t.test('catch up: a collector down at 07:00 sends the overview once when it starts', async (t) => {
  const r = await rig(t, { start: Date.parse('2026-11-30T08:30:00Z') });
  await r.c.app.schedules.start([r.job()]);
  t.equal(r.smtp.mails.length, 1, 'sent at start');
  t.equal(r.smtp.mails[0]!.messageId, `<weekly-overview.${NOW}.1@consult.example>`, "the slot is Monday 07:00's");
  await r.c.app.schedules.runDue(r.clock.now + MIN);
  t.equal(r.smtp.mails.length, 1, 'once');
});

t.test('all quiet: a one-line mail, so that its absence means something', async (t) => {
  const r = await rig(t, { start: NOW, quietOnly: true });
  await r.job().run(NOW);
  const mail = (await r.smtp.waitFor(1))[0]!;
  t.equal(mail.subject, 'Alles ruhig: keine offenen Punkte bei 1 Kunden');
  t.equal(mail.text.trim().split('\n')[0], 'Alles ruhig: keine offenen Punkte bei 1 Kunden');
  t.notOk(mail.text.includes('Kanzlei Schmidt'), 'not even the quiet client is named');
  const en = renderOverview(await gatherOverview(r.c.store, NOW), { lang: 'en', timeZone: 'Europe/Berlin', publicUrl: null, brand: 'IT Meier' });
  t.equal(en.subject, 'All quiet: no open items at 1 client');
});

t.test('a refused send is recorded as failed — the error text only behind admin auth — and retried', async (t) => {
  const r = await rig(t, { start: NOW });
  r.smtp.refuse(true);
  await r.c.app.schedules.start([r.job()], { retryBaseMs: MIN });
  t.match((await r.c.app.schedules.states())[0], { lastOutcome: 'failed', lastError: /451/, nextAt: NOW + MIN });

  const health = (await (await fetch(`${r.c.url}/healthz?detail=true`)).json()) as { schedules: unknown[] };
  t.same(health.schedules, [{ job: WEEKLY_OVERVIEW_JOB, nextAt: NOW + MIN, lastRunAt: NOW, lastOutcome: 'failed' }], 'times and outcomes, no error text');
  t.notOk(JSON.stringify(health).includes('451'));

  const admin = await fetch(`${r.c.url}/api/v1/schedules`, { headers: { authorization: `Bearer ${await apiToken(r.c, 'admin')}` } });
  t.equal(admin.status, 200);
  t.match(await admin.json(), { schedules: [{ job: WEEKLY_OVERVIEW_JOB, schedule: 'monday 07:00 Europe/Berlin', lastOutcome: 'failed', lastError: /451/ }] });
  const client = await fetch(`${r.c.url}/api/v1/schedules`, { headers: { authorization: `Bearer ${await apiToken(r.c, 'client', r.estate.clients.praxis)}` } });
  t.equal(client.status, 403, 'not for a client login');
  t.equal((await fetch(`${r.c.url}/api/v1/schedules`)).status, 401, 'not without login');

  r.smtp.refuse(false);
  r.clock.now = NOW + MIN;
  await r.c.app.schedules.runDue(r.clock.now);
  t.equal(r.smtp.mails.length, 1, 'sent on the retry');
  t.match((await r.c.app.schedules.states())[0], { lastOutcome: 'ok', lastError: null });
});

t.test('a run that reached one of two mailboxes retries only the other', async (t) => {
  const r = await rig(t, { start: NOW });
  await r.c.store.recipients.upsert(consultant({ name: 'Tom Meier', address: 'tom@consult.example', target: { address: 'tom@consult.example' } }), 0);
  const real = emailNotifier({ host: '127.0.0.1', port: r.smtp.port, from: 'nines@consult.example' });
  t.teardown(() => real.close());
  let refuseTom = true;
  // The real channel, refusing Tom's first mail as a relay with a full queue would.
  const email = { channel: 'email', close() {}, async send(m: Parameters<typeof real.send>[0]) {
    if (m.to.address === 'tom@consult.example' && refuseTom) throw new Error('452 too many recipients queued');
    await real.send(m);
  } };
  const job = weeklyOverviewJob({ store: r.c.store, clock: () => r.clock.now, email, senderDomain: 'consult.example', publicUrl: null, brand: 'IT Meier', weekday: 'monday', at: '07:00', timezone: 'Europe/Berlin', language: 'de' });
  await r.c.app.schedules.start([job], { retryBaseMs: MIN });
  t.same(r.smtp.mails.map((m) => m.to), ['Karin Meier <karin@consult.example>']);
  t.match((await r.c.app.schedules.states())[0], { lastOutcome: 'failed', lastError: /452/ });
  refuseTom = false;
  r.clock.now = NOW + MIN;
  await r.c.app.schedules.runDue(r.clock.now);
  t.same(r.smtp.mails.map((m) => m.to), ['Karin Meier <karin@consult.example>', 'Tom Meier <tom@consult.example>'], 'Karin is not sent it twice');
  t.match((await r.c.app.schedules.states())[0], { lastOutcome: 'ok' });
});

t.test('no consultant mailbox: the run fails with a clear error', async (t) => {
  const r = await rig(t, { start: NOW, seed: false });
  await t.rejects(r.job().run(NOW), /no consultant e-mail contact point/);
});

t.test('docs/samples/weekly-overview-de.txt is what the fixture renders (UPDATE_SAMPLES=1 rewrites it)', async (t) => {
  const r = await rig(t, { start: NOW });
  const mail = renderOverview(await gatherOverview(r.c.store, NOW), { lang: 'de', timeZone: 'Europe/Berlin', publicUrl: 'https://nines.example', brand: 'IT Meier' });
  const text = `Subject: ${mail.subject}\n\n${mail.text}`;
  const file = join(SAMPLES, 'weekly-overview-de.txt');
  if (process.env.UPDATE_SAMPLES) writeFileSync(file, text);
  t.equal(readFileSync(file, 'utf8'), text);
});
