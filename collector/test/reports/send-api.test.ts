/** Preview and resend of a report through the real HTTP API (admin only), and `report --send` as a child process. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiTokenHeader, startCollector } from '../helpers/collector.ts';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { startSmtp } from '../notify/helpers/smtp.ts';
import { seedBakery } from './bakery.ts';
import { pdfAttachments } from './helpers/mail.ts';
import { pdfText } from './helpers/poppler.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/nines-collector.mjs');
const NOW = Date.parse('2026-11-03T10:00:00Z');

t.test('API: preview says who would get what and whether it was sent; send forces a resend; bad input is a clear 4xx', async (t) => {
  const smtp = await startSmtp();
  const c = await startCollector({ clock: () => NOW });
  t.teardown(async () => {
    await c.close();
    await smtp.close();
  });
  const { clientId } = await seedBakery(c.store);
  await upsertRecipient(c.store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await c.app.reports.start({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@consult.example', timeout: '5s' } });
  const token = (role: 'admin' | 'client', forClient: number | null) => apiTokenHeader(c.store, role, forClient);
  const admin = await token('admin', null);
  const own = await token('client', clientId);
  const call = async (method: string, path: string, headers: Record<string, string>) => {
    const res = await fetch(`${c.url}${path}`, { method, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  let res = await call('GET', `/api/v1/reports/${clientId}/2026-10/preview`, admin);
  t.match(res, { status: 200, body: { client: 'Bäckerei Müller', period: '2026-10', mailer: true, recipients: [{ address: 'mueller@baeckerei.example', subject: 'Verfügbarkeitsbericht Oktober 2026: Bäckerei Müller', sentAt: null }] } });
  t.equal(smtp.mails.length, 0, 'a preview sends nothing');
  res = await call('POST', `/api/v1/reports/${encodeURIComponent('Bäckerei Müller')}/2026-10/send`, admin);
  t.match(res, { status: 200, body: { sends: [{ address: 'mueller@baeckerei.example', status: 'sent' }] } });
  const [mail] = await smtp.waitFor(1);
  t.equal(pdfAttachments(mail!.raw)[0]!.content.subarray(0, 5).toString(), '%PDF-');
  res = await call('GET', `/api/v1/reports/${clientId}/2026-10/preview`, admin);
  t.match(res.body, { recipients: [{ sentAt: NOW, messageId: mail!.messageId }] });

  t.match(await call('GET', `/api/v1/reports/${clientId}/2026-10/preview`, own), { status: 403 }, 'a client login may not preview');
  t.match(await call('POST', `/api/v1/reports/${clientId}/2026-10/send`, own), { status: 403 });
  t.match(await call('GET', '/api/v1/reports/Niemand/2026-10/preview', admin), { status: 404, body: { code: 'NINES_ERR_NOT_FOUND', message: /client Niemand/ } });
  t.match(await call('POST', '/api/v1/reports/Niemand/2026-10/send', admin), { status: 404 });
  t.match(await call('GET', `/api/v1/reports/${clientId}/2026-13/preview`, admin), { status: 400, body: { message: /use YYYY-MM for a month or YYYY/ } });
  t.match(await call('POST', `/api/v1/reports/${clientId}/Oktober/send`, admin), { status: 400 });
  t.match(await call('POST', `/api/v1/reports/${clientId}/2026-12/send`, admin), { status: 400, body: { message: /month 2026-12 lies in the future/ } });
  t.match(await call('GET', `/api/v1/reports/${clientId}/2027/preview`, admin), { status: 400, body: { message: /year 2027 lies in the future/ } });
  t.equal(smtp.mails.length, 1, 'no bad request sent anything');

  const pdf = await fetch(`${c.url}/api/v1/reports/monthly?client=${clientId}&month=2026-06&format=pdf`, { headers: own });
  t.equal(pdf.headers.get('content-type'), 'application/pdf');
  t.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const yearly = await fetch(`${c.url}/api/v1/reports/yearly?client=${clientId}&year=2026`, { headers: own });
  t.equal(Buffer.from(await yearly.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
});

t.test('CLI: report --send mails the report; unknown client, bad month, a month in the future, no smtp: a clear error, nothing sent', async (t) => {
  const smtp = await startSmtp();
  const c = await startCollector();
  const { clientId } = await seedBakery(c.store);
  await upsertRecipient(c.store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await c.app.close();
  t.teardown(async () => {
    await c.close();
    await smtp.close();
  });
  const config = join(c.dir, 'collector.yaml');
  writeFileSync(config, `smtp:\n  host: 127.0.0.1\n  port: ${smtp.port}\n  from: reports@consult.example\n`);
  const noSmtp = join(c.dir, 'plain.yaml');
  writeFileSync(noSmtp, 'reports:\n  monthly:\n    day: 2\n');
  const cli = (args: string[]) => run(process.execPath, [bin, 'report', ...c.settings, ...args]).catch((e: { code: number; stdout: string; stderr: string }) => e);
  const sent = await cli(['--client', 'Bäckerei Müller', '--month', '2026-06', '--send', '--config', config]);
  t.match(sent, { stdout: /^sent mueller@baeckerei\.example <report\./ });
  const [mail] = await smtp.waitFor(1);
  t.equal(mail!.subject, 'Verfügbarkeitsbericht Juni 2026: Bäckerei Müller');
  for (const [args, code, reason] of [
    [['--client', 'Niemand', '--month', '2026-06'], 1, /no such resource: client Niemand/],
    [['--client', 'Bäckerei Müller', '--month', '2026-6'], 2, /--month YYYY-MM/],
    [['--client', 'Bäckerei Müller', '--month', '2099-01'], 1, /month 2099-01 lies in the future/],
    [['--client', 'Bäckerei Müller', '--year', '26'], 2, /--year must be YYYY/],
  ] as const) {
    t.match(await cli([...args, '--send', '--config', config]), { code, stderr: reason }, args.join(' '));
  }
  t.match(await cli(['--client', 'Bäckerei Müller', '--month', '2026-06', '--send', '--config', noSmtp]), { code: 2, stderr: /--send needs --config with an smtp: section/ });
  // the yearly summary as a file
  const yearFile = join(c.dir, 'jahr.pdf');
  t.match(await cli(['--client', 'Bäckerei Müller', '--year', '2026', '--out', yearFile]), { stderr: /yearly summary for Bäckerei Müller 2026 written to/ });
  t.match((await pdfText(readFileSync(yearFile))).flat, /Jahresübersicht Verfügbarkeit: Bäckerei Müller.*Juni 2026 99,953 %/);
  t.match(await cli(['--client', 'Bäckerei Müller', '--year', '2026', '--format', 'html']), { code: 2, stderr: /a PDF only/ });

  // serve refuses a logo it cannot read, before it takes any work
  const badLogo = join(c.dir, 'bad-logo.yaml');
  writeFileSync(badLogo, `reports:\n  branding:\n    logoFile: ${join(c.dir, 'no-logo.png')}\n`);
  const serve = await run(process.execPath, [bin, 'serve', ...c.settings, '--port', '0', '--config', badLogo], { timeout: 20_000 }).catch((e: { code: number; stderr: string }) => e);
  t.match(serve, { code: 1, stderr: /logoFile .*no-logo\.png cannot be read: ENOENT/ });
  t.equal(smtp.mails.length, 1, 'nothing else was sent');
});
