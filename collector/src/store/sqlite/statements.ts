import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement, prepared once per database. Repositories with a fixed set of statements
 * prepare them in their constructor; this cache serves queries whose text is built from options
 * (a WHERE clause chosen per call), so each variant is still prepared only once.
 */
export function prepared(db: Db, sql: string): Statement {
  let map = statements.get(db);
  if (!map) statements.set(db, (map = new Map()));
  let stmt = map.get(sql);
  if (!stmt) map.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
