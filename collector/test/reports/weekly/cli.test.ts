/** `nines-collector overview` in a real child process against a stored estate and a real SMTP server. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCollector } from '../../helpers/collector.ts';
import { startSmtp } from '../../notify/helpers/smtp.ts';
import { seedEstate, NOW } from './estate.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../../bin/nines-collector.mjs');
const AT = new Date(NOW).toISOString();
const SAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'samples', 'weekly-overview-de.txt');

t.test('--print writes the overview as of --at; --send mails it to the consultant; bad arguments exit 2 with a clear message', async (t) => {
  const c = await startCollector({ clock: () => NOW });
  t.teardown(() => c.close());
  await seedEstate(c.store);
  await c.store.recipients.upsert({
    clientId: null, name: 'Karin Meier', channel: 'email', address: 'karin@consult.example', target: { address: 'karin@consult.example' }, audience: 'technical',
    language: 'de', timezone: 'Europe/Berlin', quietHours: null, minSeverity: 'WARN', reminders: true, resolved: true, escalationOnly: false, enabled: true, reports: false,
  }, 0);
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const config = join(c.dir, 'nines.yaml');
  writeFileSync(config, `smtp:\n  host: 127.0.0.1\n  port: ${smtp.port}\n  from: nines@consult.example\nalerting:\n  brand: IT Meier\n`);
  const common = [...c.settings, '--public-url', 'https://nines.example', '--at', AT];

  const de = await run(process.execPath, [bin, 'overview', '--print', ...common, '--config', config]);
  t.equal(de.stdout, readFileSync(SAMPLE, 'utf8'), 'the same text as the scheduled mail (docs sample)');
  const en = await run(process.execPath, [bin, 'overview', '--print', '--lang', 'en', ...common]);
  t.match(en.stdout, /^Subject: Weekly overview: 7 open items at 2 clients\n/);
  t.match(en.stdout, /Nines – weekly overview for the consultant/, 'without a config: the default brand');

  const sent = await run(process.execPath, [bin, 'overview', '--send', ...common, '--config', config]);
  t.match(sent.stderr, /overview sent to 1 consultant mailbox\n/);
  t.equal(smtp.mails.length, 1);
  t.equal(smtp.mails[0]!.subject, 'Wochenüberblick: 7 offene Punkte bei 2 Kunden');

  const failing = async (args: string[]) => run(process.execPath, [bin, 'overview', ...c.settings, ...args]).catch((e: { code: number; stderr: string }) => e);
  for (const [args, message] of [
    [[], /give exactly one of --print and --send/],
    [['--print', '--send'], /give exactly one of --print and --send/],
    [['--print', '--lang', 'fr'], /--lang must be de or en, not "fr"/],
    [['--print', '--at', 'last monday'], /--at must be an ISO time/],
    [['--send'], /--send needs smtp: in the config file/],
  ] as const) {
    const failed = await failing([...args]);
    t.equal('code' in failed ? failed.code : 0, 2, `exit 2: ${args.join(' ')}`);
    t.match(failed.stderr, message);
  }
});
