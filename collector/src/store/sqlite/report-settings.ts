import type { ReportSettingPart } from '@nines/shared';
import type { Db } from './database.ts';
import type { ReportSettingsRepository, SavedReportSettings } from '../report-settings.ts';

interface Row { part: ReportSettingPart; settings: string; updated_at: number; updated_by: string | null }

export class SqliteReportSettings implements ReportSettingsRepository {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      list: db.prepare<[], Row>(`SELECT part, settings, updated_at, updated_by FROM report_settings ORDER BY part`),
      put: db.prepare(
        `INSERT INTO report_settings (part, settings, updated_at, updated_by) VALUES (@part, @settings, @now, @by)
         ON CONFLICT (part) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      remove: db.prepare(`DELETE FROM report_settings WHERE part = ?`),
    };
  }

  list(): SavedReportSettings[] {
    return this.stmt.list.all().map((r) => ({ part: r.part, settings: JSON.parse(r.settings) as Record<string, unknown>, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  put(part: ReportSettingPart, settings: Record<string, unknown>, now: number, by: string | null): void {
    this.stmt.put.run({ part, settings: JSON.stringify(settings), now, by });
  }

  remove(part: ReportSettingPart): boolean {
    return this.stmt.remove.run(part).changes > 0;
  }
}
