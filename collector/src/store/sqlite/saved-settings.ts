import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { SavedSettings, SavedSettingsRepository } from '../saved-settings.ts';

interface Row { key: string; settings: string; updated_at: number; updated_by: string | null }

/** The tables of saved settings (migrations 014, 015) and the name of each one's key column. */
const TABLES = { channel_settings: 'kind', report_settings: 'part' } as const;
type Table = keyof typeof TABLES;

/** A table of saved settings: (key PRIMARY KEY, settings JSON, updated_at, updated_by). */
export class SqliteSavedSettings<KeyName extends (typeof TABLES)[Table], Key extends string> implements Synchronous<SavedSettingsRepository<KeyName, Key>> {
  private readonly stmt;
  private readonly keyName: KeyName;

  /** `table` must be the one whose key column is KeyName (the type allows no other). */
  constructor(db: Db, table: { [T in Table]: (typeof TABLES)[T] extends KeyName ? T : never }[Table]) {
    // Table and column names come from TABLES above, never from input.
    const column = TABLES[table];
    this.keyName = column as KeyName;
    this.stmt = {
      list: db.prepare<[], Row>(`SELECT ${column} AS key, settings, updated_at, updated_by FROM ${table} ORDER BY ${column}`),
      put: db.prepare(
        `INSERT INTO ${table} (${column}, settings, updated_at, updated_by) VALUES (@key, @settings, @now, @by)
         ON CONFLICT (${column}) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      remove: db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`),
    };
  }

  list(): Array<SavedSettings<KeyName, Key>> {
    return this.stmt.list.all().map((r) => ({
      [this.keyName]: r.key, settings: JSON.parse(r.settings) as Record<string, unknown>, updatedAt: r.updated_at, updatedBy: r.updated_by,
    }) as SavedSettings<KeyName, Key>);
  }

  put(key: Key, settings: Record<string, unknown>, now: number, by: string | null): void {
    this.stmt.put.run({ key, settings: JSON.stringify(settings), now, by });
  }

  remove(key: Key): boolean {
    return this.stmt.remove.run(key).changes > 0;
  }
}
