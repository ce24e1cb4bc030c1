import type { DayLevel, PublicState, StatusNoticeKind } from '@nines/shared';

/** The words of the status page, per language; the client reads them, so plain ones. */
export interface StatusPageTexts {
  defaultTitle: string;
  overall: Record<PublicState, string>;
  state: Record<PublicState, string>;
  level: Record<DayLevel, string>;
  notice: Record<StatusNoticeKind, string>;
  phase: { upcoming: string; current: string; ended: string };
  uptime: (days: number) => string;
  uptimeShort: string;
  target: string;
  noData: string;
  down: string;
  until: string;
  since: string;
  updated: string;
  notFound: string;
  notFoundBody: string;
  badgeUptime: string;
  daysAgo: (days: number) => string;
  today: string;
}

export const STATUS_TEXTS: Record<'de' | 'en', StatusPageTexts> = {
  de: {
    defaultTitle: 'Systemstatus',
    overall: { up: 'Alle Dienste sind verfügbar.', down: 'Es gibt eine Störung.', maintenance: 'Wartungsarbeiten laufen.', unknown: 'Für einige Dienste liegen gerade keine aktuellen Daten vor.' },
    state: { up: 'verfügbar', down: 'Störung', maintenance: 'Wartung', unknown: 'keine Daten' },
    level: { ok: 'ohne Ausfall', partial: 'kurze Ausfälle', down: 'Ausfall', maintenance: 'Wartung', none: 'keine Daten' },
    notice: { maintenance: 'Geplante Wartung', incident: 'Störung', info: 'Hinweis' },
    phase: { upcoming: 'Angekündigt', current: 'Aktuell', ended: 'Frühere Meldungen' },
    uptime: (days) => `Verfügbarkeit der letzten ${days} Tage`,
    uptimeShort: 'Verfügbarkeit',
    target: 'Zielwert',
    noData: 'keine Daten',
    down: 'Ausfallzeit',
    until: 'bis',
    since: 'seit',
    updated: 'Stand',
    notFound: 'Statusseite nicht gefunden',
    notFoundBody: 'Dieser Link ist nicht (mehr) gültig. Bitte fragen Sie Ihren IT-Betreuer nach dem aktuellen Link.',
    badgeUptime: 'Verfügbarkeit',
    daysAgo: (days) => `vor ${days} Tagen`,
    today: 'heute',
  },
  en: {
    defaultTitle: 'System status',
    overall: { up: 'All services are operational.', down: 'There is an outage.', maintenance: 'Maintenance is in progress.', unknown: 'Some services have no current data right now.' },
    state: { up: 'operational', down: 'outage', maintenance: 'maintenance', unknown: 'no data' },
    level: { ok: 'no downtime', partial: 'brief outages', down: 'outage', maintenance: 'maintenance', none: 'no data' },
    notice: { maintenance: 'Planned maintenance', incident: 'Incident', info: 'Notice' },
    phase: { upcoming: 'Scheduled', current: 'Current', ended: 'Earlier notices' },
    uptime: (days) => `Uptime over the last ${days} days`,
    uptimeShort: 'Uptime',
    target: 'Target',
    noData: 'no data',
    down: 'Downtime',
    until: 'until',
    since: 'since',
    updated: 'As of',
    notFound: 'Status page not found',
    notFoundBody: 'This link is not (or no longer) valid. Please ask your IT consultant for the current link.',
    badgeUptime: 'uptime',
    daysAgo: (days) => `${days} days ago`,
    today: 'today',
  },
};
