import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { backupDatabase } from '../ops/backup.ts';
import { databaseFile } from '../settings.ts';
import { settingsFrom, settingsOptions, UsageError, SETTINGS_HELP } from './common.ts';

export const backupHelp = `nines-collector backup --out FILE [--force] [settings]
  Writes a consistent copy of the database (<data-dir>/nines.db) to FILE while the collector keeps
  running (SQLite online backup), checks the copy's integrity and prints its size, schema version and
  row counts. Refuses to overwrite FILE unless --force. Restore: stop the collector, copy FILE to
  <data-dir>/nines.db, delete nines.db-wal and nines.db-shm there, start it (docs/operations.md).
${SETTINGS_HELP}`;

export async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...settingsOptions, out: { type: 'string' }, force: { type: 'boolean' } } });
  if (!values.out) throw new UsageError('backup needs --out FILE');
  const settings = settingsFrom(values);
  if (settings.databaseUrl !== null) {
    throw new UsageError('the database is PostgreSQL (--database-url / NINES_DATABASE_URL): back it up with pg_dump, see docs/scale.md; backup copies the SQLite file');
  }
  const report = await backupDatabase(databaseFile(settings), resolve(values.out), { force: values.force });
  process.stdout.write(
    `backup written to ${report.file}: ${report.bytes} bytes, schema ${report.schemaVersion}, ${report.agents} agents, ${report.results} results, integrity ok, ${report.tookMs} ms\n`,
  );
  return 0;
}
