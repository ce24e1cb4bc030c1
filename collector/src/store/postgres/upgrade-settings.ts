import type { Sql } from './connection.ts';
import type { SavedUpgradeSettings, UpgradeSettingsRepository } from '../upgrade-settings.ts';

interface Row { automatic: number; updated_at: number; updated_by: string | null }

/** UpgradeSettingsRepository on PostgreSQL: one row (id 1). */
export class PgUpgradeSettings implements UpgradeSettingsRepository {
  constructor(private readonly db: Sql) {}

  async get(): Promise<SavedUpgradeSettings | null> {
    const row = await this.db.row<Row>(`SELECT automatic, updated_at, updated_by FROM upgrade_settings WHERE id = 1`);
    return row ? { automatic: row.automatic === 1, updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
  }

  async put(automatic: boolean, now: number, by: string | null): Promise<void> {
    await this.db.run(
      `INSERT INTO upgrade_settings (id, automatic, updated_at, updated_by) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET automatic = excluded.automatic, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [automatic ? 1 : 0, now, by],
    );
  }

  async remove(): Promise<boolean> {
    return (await this.db.run(`DELETE FROM upgrade_settings WHERE id = 1`)) > 0;
  }
}
