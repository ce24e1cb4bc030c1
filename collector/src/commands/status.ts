import { parseArgs } from 'node:util';
import { systemClock } from '@nines/shared';
import { collectStatus } from '../status.ts';
import { openStore, settingsFrom, settingsOptions, SETTINGS_HELP } from './common.ts';

export const statusHelp = `nines-collector status [--json] [settings]
  Agents with connection state, last seen, last seq, stored results, backlog, clock offset, and
  their checks' latest status and 24 h availability, read from the database (the collector may be running).
${SETTINGS_HELP}`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...settingsOptions, json: { type: 'boolean' } } });
  const store = await openStore(settingsFrom(values));
  try {
    const status = await collectStatus({ store, clock: systemClock });
    if (values.json) {
      process.stdout.write(JSON.stringify(status, null, 2) + '\n');
      return 0;
    }
    if (status.agents.length === 0) process.stdout.write('no agents enrolled\n');
    for (const a of status.agents) {
      process.stdout.write(
        `${a.client}/${a.name} (${a.id}) ${a.connected ? 'connected' : 'disconnected'}, last seq ${a.lastSeq}, ${a.storedResults} stored, backlog ${a.backlog}\n`,
      );
      for (const c of a.checks) {
        const avail = c.availability24h === null ? 'n/a' : `${(Math.floor(c.availability24h * 100_000) / 1000).toFixed(3)} %`;
        process.stdout.write(`  ${c.status.padEnd(7)} ${c.id.padEnd(20)} 24h ${avail.padEnd(10)} ${c.message ?? ''}\n`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
