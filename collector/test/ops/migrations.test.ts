import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase, type Db } from '../../src/store/sqlite/database.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

// Every migration shipped, including those added after this test was written: the loop below covers them.
const migrations = loadMigrations();
const latest = migrations.at(-1)!.version;

const dir = mkdtempSync(join(tmpdir(), 'nines-migrations-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Column { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }
interface ForeignKey { table: string; from: string; to: string | null }

/** User tables in foreign-key order, so parents are seeded before the rows that point at them. */
function tablesInOrder(db: Db): string[] {
  const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]);
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name) || path.includes(name)) return;
    for (const fk of db.pragma(`foreign_key_list(${name})`) as ForeignKey[]) if (fk.table !== name) visit(fk.table, [...path, name]);
    ordered.push(name);
  };
  for (const name of names) visit(name, []);
  return ordered;
}

/** Columns whose schema allows any text but whose values the protocol restricts (021_compact_results converts only these). */
const PROTOCOL_VALUES: Record<string, unknown> = { 'results.status': 'CRIT' };

/**
 * One representative row per table, derived from the schema itself: foreign keys point at the parent's
 * row, CHECK (col IN (…)) and BETWEEN constraints pick an allowed value, other columns a typed value.
 */
function seedEveryTable(db: Db): void {
  const seeded = new Map<string, Record<string, unknown>>();
  let n = 1;
  for (const table of tablesInOrder(db)) {
    const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(table) as string;
    const fks = db.pragma(`foreign_key_list(${table})`) as ForeignKey[];
    const row: Record<string, unknown> = {};
    for (const column of db.pragma(`table_info(${table})`) as Column[]) {
      const fk = fks.find((f) => f.from === column.name);
      // Undeclared references by name (results.agent_id) point at the parent row too, so the Store can read them.
      const implied = /^(\w+)_id$/.exec(column.name)?.[1];
      const parentTable = fk?.table ?? (implied && seeded.has(`${implied}s`) ? `${implied}s` : undefined);
      const parent = parentTable ? seeded.get(parentTable) : undefined;
      const inList = new RegExp(`\\b${column.name}\\s+IN\\s*\\(\\s*(?:'([^']*)'|(-?\\d+))`, 'i').exec(sql);
      const allowed = inList ? (inList[1] ?? Number(inList[2])) : undefined;
      const between = new RegExp(`\\b${column.name}\\s+BETWEEN\\s+(\\d+)`, 'i').exec(sql)?.[1];
      if (parent) row[column.name] = parent[fk?.to ?? 'id'];
      else if (`${table}.${column.name}` in PROTOCOL_VALUES) row[column.name] = PROTOCOL_VALUES[`${table}.${column.name}`];
      else if (allowed !== undefined) row[column.name] = allowed;
      else if (between !== undefined) row[column.name] = Number(between);
      else if (/INT/i.test(column.type)) row[column.name] = column.pk ? 1 : 1_700_000_000_000 + n++;
      else if (/REAL/i.test(column.type)) row[column.name] = 0.5 + n++;
      else row[column.name] = `${table}.${column.name}`;
    }
    const names = Object.keys(row);
    try {
      db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((c) => '@' + c).join(', ')})`).run(row);
    } catch (error) {
      throw new Error(`cannot seed ${table} with ${JSON.stringify(row)}: ${(error as Error).message}`);
    }
    seeded.set(table, row);
  }
}

function snapshot(db: Db): Record<string, { columns: string[]; rows: unknown[] }> {
  const out: Record<string, { columns: string[]; rows: unknown[] }> = {};
  for (const table of tablesInOrder(db)) {
    const columns = (db.pragma(`table_info(${table})`) as Column[]).map((c) => c.name);
    out[table] = { columns, rows: db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${columns.join(', ')}`).raw().all() };
  }
  return out;
}

/** Columns a later migration renamed (table.column → new name, from that version on): the data must be under the new name. */
const RENAMED: Array<{ table: string; from: string; to: string; version: number }> = [
  { table: 'recipients', from: 'email', to: 'address', version: 11 }, // 011_contact_points: a contact point's address
];
const renamedColumn = (table: string, column: string, fromVersion: number) =>
  RENAMED.find((r) => r.table === table && r.from === column && r.version > fromVersion)?.to ?? column;

for (const from of migrations) {
  t.test(`upgrading a database at schema ${from.version} (${from.name}) to ${latest} keeps every row`, async (t) => {
    const file = join(dir, `from-${from.version}.db`);
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    t.equal(migrate(db, migrations.filter((m) => m.version <= from.version)), migrations.filter((m) => m.version <= from.version).length);
    seedEveryTable(db);
    const before = snapshot(db);
    t.ok(Object.values(before).every((table) => table.rows.length === 1), `one row in each of ${Object.keys(before).length} tables`);

    t.equal(migrate(db, migrations), migrations.filter((m) => m.version > from.version).length, 'the newer migrations applied');
    t.equal(db.pragma('user_version', { simple: true }), latest);
    t.same(db.pragma('foreign_key_check'), [], 'no dangling references');
    for (const [table, { columns, rows }] of Object.entries(before)) {
      const now = columns.map((c) => renamedColumn(table, c, from.version));
      const after = db.prepare(`SELECT ${now.join(', ')} FROM ${table} ORDER BY ${now.join(', ')}`).raw().all();
      t.same(after, rows, `${table} intact`);
    }
    db.close();

    // The collector opens the upgraded file as it would after an update, and reads the old rows through the Store.
    const store = new SqliteStore(file);
    t.teardown(() => store.close());
    t.equal((await store.listClients()).length, 1);
    t.equal((await store.listAgents()).length, 1);
    t.equal(store.db.prepare(`SELECT count(*) FROM results r JOIN agents a ON a.id = r.agent_id`).pluck().get(), 1, 'the seeded result belongs to the seeded agent');
  });
}

t.test('a database newer than this collector is refused, not downgraded', async (t) => {
  const db = openDatabase(join(dir, 'newer.db'), migrations);
  db.pragma(`user_version = ${latest + 1}`);
  t.throws(() => migrate(db, migrations), { code: 'NINES_ERR_SCHEMA_TOO_NEW' });
  t.equal(db.pragma('user_version', { simple: true }), latest + 1, 'untouched');
  db.close();
});

t.test('a failing migration rolls back whole and leaves the version where it was', async (t) => {
  const db = new Database(':memory:');
  const broken = [...migrations, { version: latest + 1, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);' }];
  migrate(db, migrations);
  t.throws(() => migrate(db, broken), /no such table: no_such_table/);
  t.equal(db.pragma('user_version', { simple: true }), latest);
  t.equal(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half_done'`).pluck().get(), 0, 'no half-applied table');
  db.close();
});

t.test('migration files are numbered without holes or duplicates', async (t) => {
  t.same(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
});
