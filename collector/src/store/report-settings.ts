import type { ReportSettingPart } from '@nines/shared';
import type { SavedSettings, SavedSettingsRepository } from './saved-settings.ts';

/** A part of the report settings as saved through the API, and who saved it when. */
export type SavedReportSettings = SavedSettings<'part', ReportSettingPart>;

/**
 * Report settings saved through the API (migration 015), one row per part of `reports:`; each replaces the YAML's
 * part of that name. Reached as `store.reportSettings`.
 */
export type ReportSettingsRepository = SavedSettingsRepository<'part', ReportSettingPart>;
