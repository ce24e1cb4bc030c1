import t from 'tap';
import { CollectorConfigSchema, compileValidator } from '@nines/shared';
import { alertingRig, apiToken, CONSULTANT } from './helpers/alerting.ts';
import { startSmtp } from './helpers/smtp.ts';
import { backoffMs } from '../../src/notify/worker.ts';

t.test('SMTP with STARTTLS and AUTH: the mail goes over TLS, authenticated', async (t) => {
  const rig = await alertingRig({
    smtpOptions: { starttls: true, auth: { user: 'nines', pass: 's3cret' } },
    smtp: { user: 'nines', password: 's3cret', requireTls: true, rejectUnauthorized: false },
    alerting: { failuresToFire: 1, recipients: [CONSULTANT] },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  t.equal(rig.smtp.mails.length, 1);
  t.equal(rig.smtp.mails[0]!.authUser, 'nines');
  t.equal(rig.smtp.mails[0]!.secure, true, 'upgraded with STARTTLS');
});

t.test('wrong SMTP password: retried with exponential backoff, shown on /healthz, given up after maxAttempts', async (t) => {
  const rig = await alertingRig({
    smtpOptions: { auth: { user: 'nines', pass: 'right' } },
    smtp: { user: 'nines', password: 'wrong' },
    alerting: { failuresToFire: 1, retryBase: '1m', retryMax: '4m', maxAttempts: 4, recipients: [CONSULTANT] },
  });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  const digest = () => rig.service.outbox.stats();
  t.equal((await rig.service.health()).delivery.consecutiveFailures, 1);
  await rig.step(59_000);
  t.equal((await rig.service.health()).delivery.consecutiveFailures, 1, 'not retried before 1 min');
  await rig.step(1_000);
  t.equal((await rig.service.health()).delivery.consecutiveFailures, 2, 'second try after 1 min');
  await rig.step(2 * 60_000);
  t.equal((await rig.service.health()).delivery.consecutiveFailures, 3, 'third after 2 more');
  const health = await rig.c.app.inject({ url: '/healthz?detail=true' });
  t.match(health.json(), { status: 'ok', alerting: { started: true, deliveryConfigured: true, deliveryFailing: true, consecutiveFailures: 3, pendingDigests: 1 } });
  t.notMatch(health.body, /karin|wrong|535/i, 'no addresses or SMTP replies without auth');
  await rig.step(4 * 60_000);
  t.match(await digest(), { pendingDigests: 0, failedDigests: 1 }, 'given up after 4 attempts');
  t.equal(rig.smtp.mails.length, 0);
  t.same([1, 2, 3, 4, 5].map((n) => backoffMs(n, { retryBaseMs: 1000, retryMaxMs: 10_000 })), [1000, 2000, 4000, 8000, 10_000]);
});

t.test('the signed link in the consultant\'s mail acknowledges the incident; a forged, expired or stale link does not', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CONSULTANT] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  await rig.step(30_000);
  const link = /Acknowledge: (\S+)/.exec(rig.smtp.mails[0]!.text)![1]!;
  const path = link.replace(rig.c.url, '');
  const [alert] = await rig.service.engine.alerts.list({ activeOnly: true });

  const page = await rig.c.app.inject({ url: path });
  t.equal(page.statusCode, 200);
  t.match(page.body, /<form method="post"/);
  t.match(page.body, /<button type="submit">Acknowledge<\/button>/, 'in the recipient\'s language (en)');
  t.equal((await rig.service.engine.alerts.get(alert!.id))!.ackedAt, null, 'GET (a mail scanner prefetching) does not acknowledge');

  const forged = await rig.c.app.inject({ method: 'POST', url: path.replace(/sig=.{4}/, 'sig=AAAA') });
  t.equal(forged.statusCode, 403);
  t.match(forged.body, /not valid/);
  const otherAlert = await rig.c.app.inject({ method: 'POST', url: path.replace(/\/ack\/alerts\/\d+/, '/ack/alerts/999') });
  t.equal(otherAlert.statusCode, 403, 'the signature binds the alert id');

  const ok = await rig.c.app.inject({ method: 'POST', url: path });
  t.equal(ok.statusCode, 200);
  t.match(await rig.service.engine.alerts.get(alert!.id), { ackedBy: CONSULTANT.name, ackedAt: rig.now() }, 'by the recipient the link was mailed to');
  const form = await rig.c.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'confirm=1' });
  t.equal(form.statusCode, 200, 'the browser form\'s urlencoded post is accepted');
  t.match(form.body, /already acknowledged/);
  const otherRecipient = await rig.c.app.inject({ method: 'POST', url: path.replace(/&r=\d+/, '&r=999') });
  t.equal(otherRecipient.statusCode, 403, 'the signature binds the recipient');

  await rig.step(8 * 86_400_000);
  const expired = await rig.c.app.inject({ method: 'POST', url: path });
  t.equal(expired.statusCode, 410, 'links expire after a week');
  t.match(expired.body, /has expired/);
});

t.test('alerts API: tenants see only their alerts; only the admin acknowledges, silences and manages recipients', async (t) => {
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CONSULTANT] } });
  t.teardown(rig.close);
  await rig.feed(['CRIT']);
  const failedAt = rig.now() - 1000; // the feed's result started a second before its receipt
  await rig.step(30_000);
  const admin = await apiToken(rig.c, 'admin');
  const acme = (await rig.c.store.findClient('acme'))!;
  const other = await rig.c.store.ensureClient('other', Date.now());
  const acmeUser = await apiToken(rig.c, 'client', acme.id);
  const otherUser = await apiToken(rig.c, 'client', other.id);
  const get = (token: string, url: string) => rig.c.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  const post = (token: string, url: string, body?: object) => rig.c.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });

  const list = (await get(admin, '/api/v1/alerts?active=true')).json();
  t.match(list.alerts, [{ kind: 'check', checkId: 'web', state: 'FIRING', severity: 'CRIT', incident: 1 }]);
  t.equal(list.alerts[0].incidentSince, failedAt, 'since when: the failing result, not when alerting looked');
  t.not(list.alerts[0].announcedAt, null, 'and told');
  const id = list.alerts[0].id as number;
  t.equal((await get(acmeUser, '/api/v1/alerts')).json().alerts.length, 1);
  t.equal((await get(otherUser, '/api/v1/alerts')).json().alerts.length, 0);
  t.equal((await get(otherUser, `/api/v1/alerts/${id}`)).statusCode, 404, 'another tenant does not learn the alert exists');
  t.match((await get(acmeUser, `/api/v1/alerts/${id}`)).json(), { alert: { id }, transitions: [{ event: 'firing', held: null }] });
  t.equal((await post(acmeUser, `/api/v1/alerts/${id}/ack`)).statusCode, 403);
  t.equal((await get(acmeUser, '/api/v1/recipients')).statusCode, 403);
  t.equal((await rig.c.app.inject({ url: '/api/v1/alerts' })).statusCode, 401);

  const silenced = await post(admin, `/api/v1/alerts/${id}/silence`, { for: '2h' });
  t.equal(silenced.json().alert.silencedUntil, rig.now() + 7_200_000);
  t.equal((await post(admin, `/api/v1/alerts/${id}/silence`, { for: '60d' })).statusCode, 400, 'at most 30 days');
  t.equal((await post(admin, `/api/v1/alerts/${id}/silence`, { for: 'forever' })).statusCode, 400);
  t.match((await post(admin, `/api/v1/alerts/${id}/ack`)).json(), { alert: { ackedAt: rig.now() } });

  const created = await post(admin, '/api/v1/recipients', { name: 'Frau Roth', email: 'roth@other.example', client: 'other', audience: 'plain', language: 'de', timezone: 'Europe/Vienna' });
  t.equal(created.statusCode, 201);
  t.match(created.json().recipient, { clientId: other.id, audience: 'plain', timezone: 'Europe/Vienna', minSeverity: 'WARN' });
  t.equal((await post(admin, '/api/v1/recipients', { name: 'X', email: 'x@y.example', audience: 'plain', timezone: 'Mars/Olympus' })).statusCode, 400);
  t.equal((await post(admin, '/api/v1/recipients', { name: 'X', email: 'not-an-address', audience: 'plain' })).statusCode, 400);
  t.equal((await post(admin, '/api/v1/recipients', { name: 'X', email: 'x@y.example', audience: 'plain', client: 'nobody' })).statusCode, 404);
  t.equal((await get(admin, '/api/v1/recipients')).json().recipients.length, 2, 'the seeded consultant and the new one');
});

t.test('the config schema refuses bad alerting and smtp sections', async (t) => {
  const validate = compileValidator(CollectorConfigSchema);
  t.ok(validate.check({ smtp: { host: 'mail.example', from: 'a@b.example' }, alerting: { groupWindow: '30s', recipients: [{ name: 'K', email: 'k@b.example', audience: 'technical' }] } }));
  t.notOk(validate.check({ smtp: { from: 'a@b.example' } }), 'smtp needs a host');
  t.notOk(validate.check({ alerting: { failuresToFire: 0 } }));
  t.notOk(validate.check({ alerting: { groupWindow: 'soon' } }));
  t.notOk(validate.check({ alerting: { recipients: [{ name: 'K', email: 'k@b.example', audience: 'loud' }] } }));
  t.notOk(validate.check({ alerting: { recipients: [{ name: 'K', email: 'k@b.example', audience: 'plain', quietHours: { from: '25:00', to: '07:00' } }] } }));
});

t.test('no SMTP configured: notices wait in the outbox and go out once it is', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const rig = await alertingRig({ alerting: { failuresToFire: 1, recipients: [CONSULTANT] } });
  t.teardown(rig.close);
  await rig.service.start({ alerting: { failuresToFire: 1, tick: '1h', recipients: [CONSULTANT] } });
  await rig.feed(['CRIT']);
  await rig.step(60_000);
  t.match(await rig.service.outbox.stats(), { waitingNotices: 0, pendingDigests: 1, failedDigests: 0 }, 'gathered, untried: no attempt is spent on a channel that is not set up');
  t.match((await rig.service.health()).delivery, { configured: false, unready: ['email'], consecutiveFailures: 0 });
  t.equal(smtp.mails.length, 0);
  await rig.service.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'alerts@consult.example' }, alerting: { failuresToFire: 1, tick: '1h', recipients: [CONSULTANT] } });
  await rig.step(1_000);
  t.equal(smtp.mails.length, 1);
});
