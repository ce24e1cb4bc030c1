import type { Db } from './database.ts';
import type { ChannelSettingsRepository, SavedChannelSettings } from '../channel-settings.ts';

interface Row { kind: string; settings: string; updated_at: number; updated_by: string | null }

export class SqliteChannelSettings implements ChannelSettingsRepository {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      list: db.prepare<[], Row>(`SELECT kind, settings, updated_at, updated_by FROM channel_settings ORDER BY kind`),
      put: db.prepare(
        `INSERT INTO channel_settings (kind, settings, updated_at, updated_by) VALUES (@kind, @settings, @now, @by)
         ON CONFLICT (kind) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      remove: db.prepare(`DELETE FROM channel_settings WHERE kind = ?`),
    };
  }

  list(): SavedChannelSettings[] {
    return this.stmt.list.all().map((r) => ({ kind: r.kind, settings: JSON.parse(r.settings) as Record<string, unknown>, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  put(kind: string, settings: Record<string, unknown>, now: number, by: string | null): void {
    this.stmt.put.run({ kind, settings: JSON.stringify(settings), now, by });
  }

  remove(kind: string): boolean {
    return this.stmt.remove.run(kind).changes > 0;
  }
}
