/** The Monday overview's words, per language. Each item is one line: host, check, what is wrong. */
import type { Lang } from '../messages.ts';

export interface WeeklyMessages {
  subject(items: number, clients: number): string;
  quiet(clients: number): string;
  intro(date: string): string;
  backup(host: string, check: string, status: string, message: string | null): string;
  security(host: string, check: string, count: number, since: string): string;
  reboot(host: string, check: string): string;
  certificate(host: string, check: string, daysLeft: number): string;
  disk(host: string, check: string, usedPercent: string): string;
  budget(spentMin: string, budgetMin: string, percent: string): string;
  silent(host: string, since: string): string;
  open: string;
  footer(brand: string): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const de: WeeklyMessages = {
  subject: (items, clients) => `Wochenüberblick: ${items} offene${items === 1 ? 'r' : ''} ${plural(items, 'Punkt', 'Punkte')} bei ${clients} Kunden`,
  // "bei 1 Kunden" is right: dative singular of Kunde.
  quiet: (clients) => `Alles ruhig: keine offenen Punkte bei ${clients} Kunden`,
  intro: (date) => `Was diese Woche Aufmerksamkeit braucht (Stand ${date}):`,
  backup: (host, check, status, message) => `Datensicherung ${status === 'CRIT' ? 'fehlgeschlagen' : status === 'WARN' ? 'überfällig' : 'ohne Ergebnis'}: ${host} – ${check}${message ? ` (${message})` : ''}`,
  security: (host, check, count, since) => `${count} ${plural(count, 'Sicherheitsupdate', 'Sicherheitsupdates')} offen seit ${since}: ${host} – ${check}`,
  reboot: (host, check) => `Neustart ausstehend: ${host} – ${check}`,
  certificate: (host, check, daysLeft) => daysLeft <= 0 ? `Zertifikat abgelaufen: ${host} – ${check}` : `Zertifikat läuft in ${daysLeft} ${plural(daysLeft, 'Tag', 'Tagen')} ab: ${host} – ${check}`,
  disk: (host, check, used) => `Festplatte zu ${used} belegt: ${host} – ${check}`,
  budget: (spent, budget, percent) => `Fehlerbudget des Monats: ${spent} von ${budget} min verbraucht (${percent})`,
  silent: (host, since) => `Agent meldet sich seit ${since} nicht mehr: ${host}`,
  open: 'öffnen',
  footer: (brand) => `${brand} – Wochenüberblick für den Betreuer`,
};

const en: WeeklyMessages = {
  subject: (items, clients) => `Weekly overview: ${items} open ${plural(items, 'item', 'items')} at ${clients} ${plural(clients, 'client', 'clients')}`,
  quiet: (clients) => `All quiet: no open items at ${clients} ${plural(clients, 'client', 'clients')}`,
  intro: (date) => `What needs attention this week (as of ${date}):`,
  backup: (host, check, status, message) => `Backup ${status === 'CRIT' ? 'failing' : status === 'WARN' ? 'overdue' : 'without result'}: ${host} – ${check}${message ? ` (${message})` : ''}`,
  security: (host, check, count, since) => `${count} security ${plural(count, 'update', 'updates')} pending since ${since}: ${host} – ${check}`,
  reboot: (host, check) => `Reboot pending: ${host} – ${check}`,
  certificate: (host, check, daysLeft) => daysLeft <= 0 ? `Certificate expired: ${host} – ${check}` : `Certificate expires in ${daysLeft} ${plural(daysLeft, 'day', 'days')}: ${host} – ${check}`,
  disk: (host, check, used) => `Disk ${used} full: ${host} – ${check}`,
  budget: (spent, budget, percent) => `Error budget of the month: ${spent} of ${budget} min used (${percent})`,
  silent: (host, since) => `Agent silent since ${since}: ${host}`,
  open: 'open',
  footer: (brand) => `${brand} – weekly overview for the consultant`,
};

export const WEEKLY_MESSAGES: Record<Lang, WeeklyMessages> = { de, en };
