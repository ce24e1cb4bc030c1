import type { ReportSettingPart } from '@nines/shared';

/** A part of the report settings as saved through the API, and who saved it when. */
export interface SavedReportSettings {
  part: ReportSettingPart;
  settings: Record<string, unknown>;
  updatedAt: number;
  updatedBy: string | null;
}

/**
 * Report settings saved through the API (migration 015), one row per part of `reports:`; each replaces the YAML's
 * part of that name. Validated against the part's schema before they get here. Reached as `store.reportSettings`.
 */
export interface ReportSettingsRepository {
  /** Every saved part. */
  list(): SavedReportSettings[];
  /** Saves (replaces) a part. */
  put(part: ReportSettingPart, settings: Record<string, unknown>, now: number, by: string | null): void;
  /** Forgets a saved part (the YAML's applies again); false when there was none. */
  remove(part: ReportSettingPart): boolean;
}
