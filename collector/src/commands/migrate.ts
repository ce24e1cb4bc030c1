import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copySqliteToPostgres, COPIED_TABLES } from '../store/copy-to-postgres.ts';
import { redactedUrl } from '../settings.ts';
import { UsageError } from './common.ts';

export const migrateHelp = `nines-collector migrate --from FILE --to URL
  Copies an existing installation's SQLite database (FILE, e.g. ./data/nines.db) into an empty PostgreSQL
  database (URL, postgres://user:password@host:port/database), then compares every table's row count and
  prints them. FILE is read through an online backup and never changed, so the collector may keep running
  while it copies; results written after the snapshot are not copied (stop the collector first for a cut-over,
  docs/scale.md). Refuses a target that already holds clients, agents or users. Exit code 0 when every count
  matches.`;

export async function migrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from || !values.to) throw new UsageError('migrate needs --from FILE and --to postgres://…');
  const from = resolve(values.from);
  if (!existsSync(from)) throw new UsageError(`--from ${from}: no such file`);
  if (!/^postgres(ql)?:\/\//.test(values.to)) throw new UsageError('--to must be a postgres:// or postgresql:// URL');
  const report = await copySqliteToPostgres(from, values.to, (line) => process.stderr.write(`  ${line}\n`));
  const width = Math.max(...COPIED_TABLES.map((t) => t.length));
  for (const table of COPIED_TABLES) process.stdout.write(`${table.padEnd(width)}  ${report.counts[table]}\n`);
  process.stdout.write(`copied ${from} to ${redactedUrl(values.to)} in ${report.tookMs} ms: every count matches\n`);
  return 0;
}
