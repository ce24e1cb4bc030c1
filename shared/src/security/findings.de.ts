/** Die Befunde der Sicherheitsprüfungen in einfachen Worten für den Kunden (Alarm-Mail, Monatsbericht), eingebunden in ../security.ts. */
import type { FindingTexts } from './finding-types.ts';
import { count, daysSince, list, sentence, windowPhrase } from './words.ts';

const plural = (names: string) => names.includes(',') || names.includes('(+');
const drives = (names: string) => (plural(names) ? `die Laufwerke ${names}` : `das Laufwerk ${names}`);

export const findingsDe: FindingTexts = {
  subject: {
    antivirus: { gen: 'des Virenschutzes', dat: 'beim Virenschutz' },
    firewall: { gen: 'der Firewall', dat: 'bei der Firewall' },
    encryption: { gen: 'der Festplattenverschlüsselung', dat: 'bei der Festplattenverschlüsselung' },
    logins: { gen: 'der Anmeldungen', dat: 'bei den Anmeldungen' },
    admins: { gen: 'der Administratorkonten', dat: 'bei den Administratorkonten' },
    smart: { gen: 'der Festplatten', dat: 'bei den Festplatten' },
  },
  fine: {
    antivirus: 'Der Virenschutz ist eingeschaltet und auf dem neuesten Stand.',
    firewall: 'Die Firewall ist eingeschaltet.',
    encryption: 'Alle Laufwerke sind verschlüsselt.',
    logins: 'Es gab keine auffälligen Anmeldungen.',
    admins: 'Es ist kein neues Administratorkonto hinzugekommen.',
    smart: 'Alle Festplatten sind in Ordnung.',
  },
  ok: (s) => sentence([`${s.dat} ist alles in Ordnung`]),
  problem: (s) => sentence([`${s.dat} ist etwas nicht in Ordnung`]),
  unknown: (s) => sentence([`der Zustand ${s.gen} lässt sich gerade nicht prüfen`]),
  silent: (s) => sentence([`der Zustand ${s.gen} lässt sich nicht prüfen, weil sich der Computer nicht meldet`]),

  antivirus: (p) => {
    const does: string[] = [];
    if (p.off || p.realTimeOff) does.push('ist ausgeschaltet');
    if (p.threats) does.push(`hat ${count(p.threats, 'Schädling', 'Schädlinge')} gefunden`);
    if (p.outdated || p.noSignatures || p.signatureLimitMs !== undefined) does.push('ist nicht auf dem neuesten Stand');
    if (p.daemonStopped) does.push('prüft Dateien nicht mehr beim Öffnen');
    if (p.neverScanned) does.push('hat noch nie den ganzen Computer durchsucht');
    if (p.scanAgeMs !== undefined && p.scanLimitMs !== undefined) does.push(`hat den Computer seit ${count(daysSince(p.scanAgeMs), 'Tag', 'Tagen')} nicht mehr durchsucht`);
    return does.length ? `Der Virenschutz ${list(does, 'und')}.` : undefined;
  },
  firewallInactive: () => 'Die Firewall ist ausgeschaltet.',
  firewallInboundAllowed: () => 'Die Firewall ist eingeschaltet, lässt aber alle eingehenden Verbindungen durch.',
  encryption: (p) => {
    const found: string[] = [];
    if (p.unencrypted) found.push(`${drives(p.unencrypted)} ${plural(p.unencrypted) ? 'sind' : 'ist'} nicht verschlüsselt`);
    if (p.suspended) found.push(`die Verschlüsselung von ${p.suspended} ist angehalten`);
    if (p.encrypting) found.push(`${drives(p.encrypting)} ${plural(p.encrypting) ? 'werden' : 'wird'} gerade verschlüsselt`);
    return found.length ? sentence(found, 'und') : undefined;
  },
  logins: (p) => {
    const found: string[] = [];
    if (p.failureLimit !== undefined) found.push(`es gab ${count(p.failures, 'fehlgeschlagenen Anmeldeversuch', 'fehlgeschlagene Anmeldeversuche')} ${windowPhrase(p.windowMs, 'de')}`);
    if (p.newSources) found.push(`jemand hat sich von einer neuen Adresse angemeldet (${p.newSources})`);
    return found.length ? sentence(found, 'und') : undefined;
  },
  admins: (p) => {
    if (p.added) return plural(p.added) ? `Neue Administratorkonten sind hinzugekommen: ${p.added}.` : `Ein neues Administratorkonto ist hinzugekommen: ${p.added}.`;
    return undefined;
  },
  smart: (p) => {
    if (p.device === undefined) return undefined;
    const damaged = Boolean(p.failed || p.failedAttribute) || [p.criticalWarning, p.reallocated, p.pending, p.uncorrectable, p.mediaErrors].some((v) => v !== undefined);
    const is: string[] = [];
    if (damaged) is.push('ist beschädigt');
    if (p.percentUsed !== undefined) is.push(`ist abgenutzt (${p.percentUsed} % ihrer Lebensdauer verbraucht)`);
    if (p.temperatureC !== undefined) is.push(`ist zu heiß (${p.temperatureC} °C)`);
    if (damaged) is.push('sollte ersetzt werden');
    else if (p.percentUsed !== undefined) is.push('sollte bald ersetzt werden');
    return is.length ? `Die Festplatte ${p.device} ${list(is, 'und')}.` : undefined;
  },
};
