/**
 * Killed between render and send: the report run is a real child process, killed -9 while its mail is in flight
 * (the SMTP peer accepts the connection and never answers). After the restart each recipient gets the report
 * exactly once, under the Message-ID written before the kill; a further run sends nothing.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openTestStoreAt, storeReader, TEST_STORE } from '../helpers/test-store.ts';
import { upsertRecipient } from '../../src/alerting/recipients.ts';
import { freePort, kill9, until } from '../notify/helpers/child.ts';
import { startSmtp } from '../notify/helpers/smtp.ts';
import { seedBakery } from './bakery.ts';
import { pdfAttachments } from './helpers/mail.ts';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'helpers', 'run-reports.ts');
const SLOT = Date.parse('2026-10-31T23:30:00Z'); // 00:30 on 1 November in Berlin

t.test('report run killed -9 with the mail in flight: exactly one mail per recipient after the restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-report-crash-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const { clientId } = await seedBakery(store);
  await upsertRecipient(store.recipients, { audience: 'plain', clientId, name: 'Frau Müller', email: 'mueller@baeckerei.example' }, 0);
  await upsertRecipient(store.recipients, { audience: 'technical', clientId: null, name: 'Karin', email: 'karin@consult.example', language: 'en' }, 0);
  await opened.close({ keep: true }); // the report runs open it next
  const port = await freePort();

  // 1. An SMTP peer that accepts and stays silent: the first mail hangs after its row was written.
  const held: Socket[] = [];
  const silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
  const child = spawn(process.execPath, ['--import=tsx', script, dir, String(port), String(SLOT)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const db = await storeReader(dir);
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    void db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const rows = () => db.all<{ message_id: string; sent_at: number | null; attempts: number }>(`SELECT recipient_id, message_id, sent_at, attempts FROM report_sends ORDER BY id`);
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  await until('the first report mail to be in flight', async () => {
    const r = await rows();
    return r.length === 1 && r[0]!.attempts === 1 && held.length === 1;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the report run said: ${output.join('').slice(-2000)}`);
  });
  await kill9(child);
  for (const s of held) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  const inFlight = (await rows())[0]!;
  t.equal(inFlight.sent_at, null, 'killed before the send completed');

  // 2. SMTP is up on the same port; the run restarts and finishes.
  const smtp = await startSmtp({ port });
  t.teardown(() => smtp.close());
  const restarted = await run(process.execPath, ['--import=tsx', script, dir, String(port), String(SLOT)]);
  t.match(JSON.parse(restarted.stdout), [{ status: 'sent', messageId: inFlight.message_id, period: '2026-10' }, { status: 'sent' }]);
  await smtp.waitFor(2);
  t.same(smtp.mails.map((m) => m.to.replace(/.*</, '').replace(/>.*/, '')).sort(), ['karin@consult.example', 'mueller@baeckerei.example']);
  t.equal(smtp.mails.find((m) => m.to.includes('mueller'))!.messageId, inFlight.message_id, 'the same Message-ID as before the kill');
  for (const mail of smtp.mails) t.equal(pdfAttachments(mail.raw)[0]!.content.subarray(0, 5).toString(), '%PDF-');

  // 3. Another run at a later slot of the same day: nothing more.
  const third = await run(process.execPath, ['--import=tsx', script, dir, String(port), String(SLOT + 3_600_000)]);
  t.same(JSON.parse(third.stdout).map((o: { status: string }) => o.status), ['already', 'already']);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(smtp.mails.length, 2, 'exactly one mail per recipient');
  t.ok((await rows()).every((r) => r.sent_at !== null));
});
