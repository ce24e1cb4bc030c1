/**
 * `nines-collector migrate --from nines.db --to postgres://…`: an existing SQLite installation copied into an
 * empty PostgreSQL database, every table, then every count compared. The source is never changed: it is copied
 * with SQLite's online backup (a consistent snapshot, while the collector may still run), the copy is migrated to
 * this version's schema, and rows are read from that copy.
 */
import { mkdtempSync, rmSync, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from './sqlite/database.ts';
import { openDatabase } from './sqlite/database.ts';
import { onlineBackup } from './sqlite/database-file.ts';
import { PgConnection } from './postgres/connection.ts';
import { migratePostgres } from './postgres/database.ts';
import { ensurePartitionsFor, monthsBetween } from './postgres/partitions.ts';

/** The tables in an order that satisfies their foreign keys; `results` is SQLite's view, the table on PostgreSQL. */
export const COPIED_TABLES = [
  'clients', 'users', 'sessions', 'api_tokens', 'enroll_tokens', 'agents', 'checks', 'check_sla', 'gaps', 'agent_silences',
  'alert_cursors', 'alerts', 'alert_transitions', 'alert_threads', 'recipients', 'notification_digests', 'notification_outbox',
  'availability_hours', 'availability_days', 'availability_dirty', 'channel_settings', 'report_settings', 'database_info', 'job_runs',
  'maintenance_windows', 'report_sends', 'status_pages', 'status_notices', 'upgrade_settings', 'results',
] as const;

/** Tables whose ids PostgreSQL hands out (identity columns): after explicit ids are copied, the next is past them. */
const IDENTITY_TABLES = [
  'clients', 'users', 'api_tokens', 'alerts', 'alert_transitions', 'recipients', 'notification_digests', 'notification_outbox',
  'job_runs', 'maintenance_windows', 'report_sends', 'status_notices',
];

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

export interface CopyReport {
  /** Rows per table, as counted in the source snapshot and then in the target (equal, or the copy fails). */
  counts: Record<string, number>;
  tookMs: number;
}

export class CopyRefused extends Error {}

/** The columns of a SQLite table or view, in order (api_tokens adds its rowid: PostgreSQL's `id`). */
function sourceColumns(db: Db, table: string): { select: string; columns: string[] } {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => c.name);
  if (table === 'api_tokens') return { select: `SELECT rowid AS id, ${columns.join(', ')} FROM api_tokens ORDER BY rowid`, columns: ['id', ...columns] };
  return { select: `SELECT ${columns.join(', ')} FROM ${table}`, columns };
}

export async function copySqliteToPostgres(sourceFile: string, url: string, log: (line: string) => void = () => {}): Promise<CopyReport> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'nines-migrate-'));
  const snapshot = join(dir, 'nines.db');
  const pg = new PgConnection(url, { max: 2, applicationName: 'nines-collector migrate' });
  try {
    closeSync(openSync(snapshot, 'w', 0o600));
    await onlineBackup(sourceFile, snapshot);
    const db = openDatabase(snapshot); // migrates the copy, never the source, to this version's schema
    try {
      await migratePostgres(pg.pool);
      const existing = await pg.row<{ n: number }>(`SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM agents) + (SELECT count(*) FROM users) AS n`);
      if ((existing?.n ?? 0) > 0) throw new CopyRefused('the target database already holds a Nines installation (clients, agents or users): migrate copies into an empty database only');
      const span = db.prepare(`SELECT min(started_at) AS lo, max(started_at) AS hi FROM result_rows`).get() as { lo: number | null; hi: number | null };
      if (span.lo !== null && span.hi !== null) await ensurePartitionsFor(pg.pool, monthsBetween(span.lo, span.hi));
      const counts: Record<string, number> = {};
      await pg.transaction(async () => {
        for (const table of COPIED_TABLES) {
          counts[table] = await copyTable(db, pg, table);
          log(`${table}: ${counts[table]} rows`);
        }
        for (const table of IDENTITY_TABLES) {
          await pg.run(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`);
        }
      });
      for (const table of COPIED_TABLES) {
        const target = (await pg.row<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
        if (target !== counts[table]) throw new Error(`after the copy ${table} holds ${target} rows on PostgreSQL, ${counts[table]} in the source`);
      }
      return { counts, tookMs: Date.now() - started };
    } finally {
      db.close();
    }
  } finally {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies one table in statements of as many rows as the parameter limit allows; returns the rows copied. */
async function copyTable(db: Db, pg: PgConnection, table: string): Promise<number> {
  const { select, columns } = sourceColumns(db, table);
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    // OVERRIDING SYSTEM VALUE is not needed for BY DEFAULT identities: the ids are copied as they are.
    await pg.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of db.prepare(select).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    if (batch.length === rowsPerStatement) await flush();
  }
  await flush();
  const counted = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  if (copied !== counted) throw new Error(`${table}: read ${copied} rows from the snapshot, which counts ${counted}`);
  return copied;
}
