/**
 * The report settings in effect: each part of the YAML's `reports:` (monthly, yearly, weekly, branding), unless a
 * part was saved through the API — then that part, whole, instead of the file's. Deleting the saved part brings the
 * file's back. Pure: the caller reads the saved parts from the store.
 */
import { REPORT_DEFAULTS, REPORT_SETTING_PARTS, type ReportSettingPart, type ReportsConfig, type StoredBranding } from '@nines/shared';
import type { SavedReportSettings } from '../store/report-settings.ts';
import { localTimeSchedule } from '../schedule/rule.ts';
import { fromLocal, toLocal } from '../availability/zoned-time.ts';

export type SettingSource = 'stored' | 'yaml' | 'default';

export interface ReportSettingsInEffect {
  /** monthly, yearly and weekly as the jobs use them (branding apart: it may be a saved logo instead of a file). */
  reports: Omit<ReportsConfig, 'branding'>;
  /** Either the file's branding (logo as a path) or the saved one (logo as bytes). */
  branding: { source: 'yaml' | 'default'; file: ReportsConfig['branding'] } | { source: 'stored'; stored: StoredBranding };
  sources: Record<ReportSettingPart, SettingSource>;
}

export function reportSettingsInEffect(file: ReportsConfig | undefined, saved: readonly SavedReportSettings[]): ReportSettingsInEffect {
  const stored = new Map(saved.map((s) => [s.part, s.settings]));
  const sources = Object.fromEntries(REPORT_SETTING_PARTS.map((part) => [part, stored.has(part) ? 'stored' : file?.[part] ? 'yaml' : 'default'])) as Record<ReportSettingPart, SettingSource>;
  const pick = <P extends 'monthly' | 'yearly' | 'weekly'>(part: P) => (stored.get(part) as ReportsConfig[P] | undefined) ?? file?.[part];
  const reports: Omit<ReportsConfig, 'branding'> = {};
  for (const part of ['monthly', 'yearly', 'weekly'] as const) {
    const value = pick(part);
    if (value) (reports as Record<string, unknown>)[part] = value;
  }
  const branding = stored.has('branding')
    ? { source: 'stored' as const, stored: stored.get('branding') as StoredBranding }
    : { source: sources.branding as 'yaml' | 'default', file: file?.branding };
  return { reports, branding, sources };
}

/** A part with its defaults filled in, as Management shows it. */
export function withDefaults(part: 'monthly' | 'yearly' | 'weekly', value: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...REPORT_DEFAULTS[part], ...Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) };
}

const HOUR_MS = 3_600_000;
/** The client-reports job runs on the full hour, so a report due at 08:20 goes at 09:00. */
const nextFullHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/**
 * When each kind of report goes out next after `now` (null: disabled): the monthly and yearly ones at the earliest
 * of the clients' zones (the consultant's weekly zone when there is no client yet), the weekly one in its zone.
 */
export function nextReportRuns(effect: ReportSettingsInEffect, clientZones: readonly string[], now: number): Record<'monthly' | 'yearly' | 'weekly', number | null> {
  const monthly = withDefaults('monthly', effect.reports.monthly) as { enabled: boolean; day: number; at: string };
  const yearly = withDefaults('yearly', effect.reports.yearly) as { enabled: boolean; at: string };
  const weekly = withDefaults('weekly', effect.reports.weekly) as { enabled: boolean; at: string; weekday: 'monday'; timezone: string };
  const zones = clientZones.length > 0 ? [...new Set(clientZones)] : [weekly.timezone];
  const earliest = (f: (zone: string) => number) => Math.min(...zones.map(f));
  const hm = (at: string) => [Number(at.slice(0, 2)), Number(at.slice(3, 5))] as const;
  return {
    monthly: monthly.enabled ? earliest((timezone) => nextFullHour(localTimeSchedule({ at: monthly.at, dayOfMonth: monthly.day, timezone }).next(now))) : null,
    yearly: yearly.enabled
      ? earliest((zone) => {
        const [h, m] = hm(yearly.at);
        const year = toLocal(now, zone).year;
        const thisYear = nextFullHour(fromLocal(year, 1, 1, h, m, zone));
        return thisYear > now ? thisYear : nextFullHour(fromLocal(year + 1, 1, 1, h, m, zone));
      })
      : null,
    weekly: weekly.enabled ? localTimeSchedule({ at: weekly.at, weekday: weekly.weekday, timezone: weekly.timezone }).next(now) : null,
  };
}
