import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import type { Migration } from '../sqlite/database.ts';
import { POSTGRES_MIGRATIONS_DIR } from '../../layout.ts';

/** The PostgreSQL migrations shipped with this build, in order: files named NNN_name.sql (their own numbering). */
export function loadPostgresMigrations(dir = POSTGRES_MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** The advisory lock every collector takes while it migrates: two starting at once apply each migration once. */
const MIGRATION_LOCK = 0x4e494e45; // "NINE"

/**
 * Applies every migration newer than the database's, each in its own transaction together with its version row.
 * Several collectors may start at once against one database: the advisory lock makes the second wait and then find
 * nothing left to do. Refuses a database newer than this collector, as SQLite's migrate does.
 */
export async function migratePostgres(pool: pg.Pool, migrations = loadPostgresMigrations()): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS nines_schema (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const current = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM nines_schema')).rows[0].v);
      const newest = migrations.at(-1)?.version ?? 0;
      if (current > newest) {
        throw Object.assign(new Error(`database schema version ${current} is newer than this collector knows (${newest}); upgrade the collector`), {
          code: 'NINES_ERR_SCHEMA_TOO_NEW',
        });
      }
      let applied = 0;
      for (const m of migrations) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO nines_schema (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
        }
        applied++;
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
