import type { Synchronous } from '../synchronous.ts';
import type { Db } from './database.ts';
import type { SavedUpgradeSettings, UpgradeSettingsRepository } from '../upgrade-settings.ts';

interface Row { automatic: number; updated_at: number; updated_by: string | null }

export class SqliteUpgradeSettings implements Synchronous<UpgradeSettingsRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      get: db.prepare<[], Row>(`SELECT automatic, updated_at, updated_by FROM upgrade_settings WHERE id = 1`),
      put: db.prepare(
        `INSERT INTO upgrade_settings (id, automatic, updated_at, updated_by) VALUES (1, @automatic, @now, @by)
         ON CONFLICT (id) DO UPDATE SET automatic = excluded.automatic, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      remove: db.prepare(`DELETE FROM upgrade_settings WHERE id = 1`),
    };
  }

  get(): SavedUpgradeSettings | null {
    const row = this.stmt.get.get();
    return row ? { automatic: row.automatic === 1, updatedAt: row.updated_at, updatedBy: row.updated_by } : null;
  }

  put(automatic: boolean, now: number, by: string | null): void {
    this.stmt.put.run({ automatic: automatic ? 1 : 0, now, by });
  }

  remove(): boolean {
    return this.stmt.remove.run().changes > 0;
  }
}
