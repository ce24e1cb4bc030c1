import type { Sql } from './connection.ts';
import type { SavedSettings, SavedSettingsRepository } from '../saved-settings.ts';

interface Row { key: string; settings: string; updated_at: number; updated_by: string | null }

/** The tables of saved settings and the name of each one's key column. */
const TABLES = { channel_settings: 'kind', report_settings: 'part' } as const;
type Table = keyof typeof TABLES;

/** A table of saved settings on PostgreSQL: (key PRIMARY KEY, settings JSON, updated_at, updated_by). */
export class PgSavedSettings<KeyName extends (typeof TABLES)[Table], Key extends string> implements SavedSettingsRepository<KeyName, Key> {
  private readonly keyName: KeyName;
  private readonly sql;

  /** `table` must be the one whose key column is KeyName (the type allows no other). */
  constructor(
    private readonly db: Sql,
    table: { [T in Table]: (typeof TABLES)[T] extends KeyName ? T : never }[Table],
  ) {
    // Table and column names come from TABLES above, never from input.
    const column = TABLES[table];
    this.keyName = column as KeyName;
    this.sql = {
      list: `SELECT ${column} AS key, settings, updated_at, updated_by FROM ${table} ORDER BY ${column}`,
      put: `INSERT INTO ${table} (${column}, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)
        ON CONFLICT (${column}) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      remove: `DELETE FROM ${table} WHERE ${column} = $1`,
    };
  }

  async list(): Promise<Array<SavedSettings<KeyName, Key>>> {
    return (await this.db.rows<Row>(this.sql.list)).map((r) => ({
      [this.keyName]: r.key, settings: JSON.parse(r.settings) as Record<string, unknown>, updatedAt: r.updated_at, updatedBy: r.updated_by,
    }) as SavedSettings<KeyName, Key>);
  }

  async put(key: Key, settings: Record<string, unknown>, now: number, by: string | null): Promise<void> {
    await this.db.run(this.sql.put, [key, JSON.stringify(settings), now, by]);
  }

  async remove(key: Key): Promise<boolean> {
    return (await this.db.run(this.sql.remove, [key])) > 0;
  }
}
