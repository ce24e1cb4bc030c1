/** Deutsche Texte der Sicherheitsprüfungen (smart, firewall, logins, antivirus, …), eingebunden in ./de.ts. */
import type { ResultMessageParams } from './codes.ts';
import type { SecurityRenderers } from './render-types.ts';
import { bytes, duration, grouped, utcMinute } from './format.ts';

function smartFindings(p: ResultMessageParams['smart.health']): string[] {
  const found: string[] = [];
  if (p.failed) found.push('die Festplatte meldet ihren eigenen Gesundheitstest als NICHT BESTANDEN');
  if (p.failedAttribute) found.push(`Wert jetzt unter der Herstellergrenze: ${p.failedAttribute}`);
  if (p.criticalWarning !== undefined) found.push(`kritische NVMe-Warnung ${p.criticalWarning}`);
  if (p.reallocated !== undefined) found.push(`${p.reallocated} ersetzte Sektoren`);
  if (p.pending !== undefined) found.push(`${p.pending} nicht lesbare Sektoren (ausstehend)`);
  if (p.uncorrectable !== undefined) found.push(`${p.uncorrectable} nicht korrigierbare Sektoren`);
  if (p.percentUsed !== undefined) found.push(`${p.percentUsed} % der vorgesehenen Lebensdauer verbraucht${p.percentUsedLimit !== undefined ? ` (Grenze ${p.percentUsedLimit} %)` : ''}`);
  if (p.mediaErrors !== undefined) found.push(`${p.mediaErrors} Datenfehler`);
  if (p.temperatureC !== undefined) found.push(`${p.temperatureC} °C${p.temperatureLimitC !== undefined ? ` (Grenze ${p.temperatureLimitC} °C)` : ''}`);
  return found;
}

const BACKEND: Record<string, string> = { nftables: 'nftables', ufw: 'ufw', firewalld: 'firewalld', windows: 'Windows-Firewall', macos: 'macOS-Firewall', auto: 'Firewall' };
const backend = (name: string) => BACKEND[name] ?? name;
const PROFILE: Record<string, string> = { Domain: 'Domäne', Private: 'Privat', Public: 'Öffentlich' };
const profiles = (names: string) => names.split(', ').map((n) => PROFILE[n] ?? n).join(', ');

const repositoryDe = (p: { tool: string; repository: string }) => `${p.tool}-Repository ${p.repository}`;

export const securityDe: SecurityRenderers = {
  'smart.health': (p) => {
    if (p.device === undefined) {
      return `${p.disks === 1 ? '1 Festplatte' : `${p.disks} Festplatten`} in Ordnung${p.maxTemperatureC !== undefined ? ` (wärmste ${p.maxTemperatureC} °C)` : ''}`;
    }
    const more = [
      p.otherDisksNotOk ? `${p.otherDisksNotOk} weitere ${p.otherDisksNotOk === 1 ? 'Festplatte' : 'Festplatten'} nicht in Ordnung` : '',
      p.unreadable ? `${p.unreadable} ${p.unreadable === 1 ? 'Festplatte' : 'Festplatten'} nicht lesbar` : '',
    ].filter(Boolean);
    return `Festplatte ${p.device}${p.model ? ` (${p.model})` : ''}: ${smartFindings(p).join('; ')}${more.length ? ` – ${more.join(', ')}` : ''}`;
  },
  'smart.no_disks': () => 'smartctl findet keine Festplatte (virtuelle Maschinen und Container haben keine; sonst unter devices angeben)',
  'smart.probe_failed': (p) => `Festplattenzustand nicht lesbar${p.device ? ` für ${p.device}` : ''}: ${p.error}`,

  'firewall.active': (p) => `Firewall eingeschaltet (${backend(p.backend)}${p.rules !== undefined ? `, ${p.rules} ${p.rules === 1 ? 'Regel' : 'Regeln'}` : ''})`,
  'firewall.inactive': (p) =>
    p.profiles ? `Die Firewall ist ausgeschaltet (${backend(p.backend)}, ${p.profiles.includes(',') ? 'Profile' : 'Profil'} ${profiles(p.profiles)})` : `Die Firewall ist ausgeschaltet (${backend(p.backend)}${p.nft ? `: ${p.nft === 'no_input_chain' ? 'keine Regelkette filtert eingehenden Verkehr' : 'die Regeln lassen allen eingehenden Verkehr durch'}` : ''})`,
  'firewall.inbound_allowed': (p) => `Die Firewall ist eingeschaltet, lässt aber alle eingehenden Verbindungen durch (${backend(p.backend)}, ${profiles(p.profiles)})`,
  'firewall.probe_failed': (p) => `Firewall-Zustand nicht lesbar (${backend(p.backend)}): ${p.error}`,

  'logins.summary': (p) => {
    const parts = [`${p.failures} fehlgeschlagene ${p.failures === 1 ? 'Anmeldung' : 'Anmeldungen'} in ${duration(p.windowMs, 'de')}${p.failureLimit !== undefined ? ` (Grenze ${p.failureLimit})` : ''}${p.topSources ? `, die meisten von ${p.topSources}` : ''}`];
    if (p.newSources) parts.push(`Anmeldung von einer neuen Adresse: ${p.newSources}${p.newCount !== undefined && p.newCount > 3 ? ` und ${p.newCount - 3} weitere` : ''}`);
    if (p.learning) parts.push('erster Lauf: die gesehenen Adressen gelten als bekannt');
    return parts.join('; ');
  },
  'logins.probe_failed': (p) => `Anmeldungen nicht lesbar (${p.source}): ${p.error}`,

  'antivirus.state': (p) => {
    const found: string[] = [];
    if (p.daemonStopped) found.push('clamd läuft nicht (keine Prüfung beim Zugriff)');
    if (p.outdated) found.push('die Virendefinitionen sind veraltet');
    if (p.threats) found.push(`${p.threats} ${p.threats === 1 ? 'Schädling' : 'Schädlinge'} gefunden in ${duration(p.threatWindowMs ?? 0, 'de')}: ${p.threatNames}`);
    if (p.noSignatures) found.push('keine Virendefinitionen vorhanden');
    if (p.signatureLimitMs !== undefined && p.signatureAgeMs !== undefined) found.push(`Virendefinitionen ${duration(p.signatureAgeMs, 'de')} alt (Grenze ${duration(p.signatureLimitMs, 'de')})`);
    if (p.neverScanned) found.push('noch nie ein vollständiger Suchlauf');
    if (p.scanAgeMs !== undefined && p.scanLimitMs !== undefined) found.push(`letzter Suchlauf vor ${duration(p.scanAgeMs, 'de')} (Grenze ${duration(p.scanLimitMs, 'de')})`);
    // the words a client reads in the alert mail come first: "Virenschutz ist ausgeschaltet"
    const head = p.off ? 'Virenschutz ist ausgeschaltet: kein Virenscanner läuft' : p.realTimeOff ? `Virenschutz ist ausgeschaltet (${p.product}, Echtzeitschutz aus)` : `Virenschutz ${p.product}`;
    if (p.off || p.realTimeOff) return found.length ? `${head}; ${found.join('; ')}` : head;
    if (found.length) return `${head}: ${found.join('; ')}`;
    return `Virenschutz ${p.product} eingeschaltet${p.signatureAgeMs !== undefined ? `, Virendefinitionen ${duration(p.signatureAgeMs, 'de')} alt` : ''}`;
  },
  'antivirus.probe_failed': (p) => `Zustand des Virenschutzes nicht lesbar (${p.product}): ${p.error}`,

  'encryption.state': (p) => {
    const parts: string[] = [];
    if (p.unencrypted) parts.push(`nicht verschlüsselt: ${p.unencrypted}`);
    if (p.suspended) parts.push(`Verschlüsselung angehalten (Schlüssel lesbar): ${p.suspended}`);
    if (p.encrypting) parts.push(`wird verschlüsselt: ${p.encrypting}`);
    if (p.encrypted) parts.push(`verschlüsselt: ${p.encrypted}`);
    return `${p.method}: ${parts.join('; ')}`;
  },
  'encryption.probe_failed': (p) => `Verschlüsselung nicht lesbar: ${p.error}`,

  'admins.state': (p) => {
    const head = `${p.members} ${p.members === 1 ? 'Administrator' : 'Administratoren'} (${p.group})${p.names ? `: ${p.names}` : ''}`;
    const parts = [head];
    if (p.added) parts.push(`NEU, nicht bestätigt: ${p.added}`);
    if (p.removed) parts.push(`nicht mehr Administrator: ${p.removed}`);
    if (p.learning) parts.push('erster Lauf: diese gelten als bestätigt');
    return parts.join('; ');
  },
  'admins.probe_failed': (p) => `Administratoren nicht lesbar: ${p.error}`,

  'eventlog.matches': (p) =>
    p.count === 0
      ? `keine Ereignisse (${p.subject}) in ${duration(p.windowMs, 'de')}`
      : `${p.count} ${p.count === 1 ? 'Ereignis' : 'Ereignisse'} (${p.subject}) in ${duration(p.windowMs, 'de')}${p.limit !== undefined ? ` (Grenze ${p.limit})` : ''}${p.latest ? `, zuletzt${p.latestAt !== undefined ? ` ${new Date(p.latestAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}: ${p.latest}` : ''}`,
  'eventlog.probe_failed': (p) => `Ereignisse (${p.subject}) nicht lesbar: ${p.error}`,
  'integrity.verified': (p) => {
    const read = p.subset !== undefined ? `, Datenteil ${p.subset} zurückgelesen${p.packs !== undefined ? ` (${p.packs} ${p.packs === 1 ? 'Pack' : 'Packs'})` : ''}` : p.chunks !== undefined ? `, ${p.chunks} Blöcke zurückgelesen` : '';
    return `${repositoryDe(p)}: keine Fehler gefunden${read} (${p.earlier ? 'zuletzt geprüft' : 'geprüft'} ${utcMinute(p.checkedAt)}, nächste Prüfung ${utcMinute(p.nextAt)})`;
  },
  'integrity.damaged': (p) =>
    `${repositoryDe(p)} ist beschädigt: ${p.error}${p.errors > 1 ? ` (+${p.errors - 1} weitere)` : ''} (${p.earlier ? 'zuletzt geprüft' : 'geprüft'} ${utcMinute(p.checkedAt)}, nächste Prüfung ${utcMinute(p.nextAt)})`,
  'integrity.probe_failed': (p) => `${repositoryDe(p)}: Integritätsprüfung nicht abgeschlossen: ${p.error}`,
  'churn.state': (p) => {
    const subject = p.tool === 'borg' ? `borg-Archiv ${p.snapshot}` : `restic-Snapshot ${p.snapshot}${p.host ? ` von ${p.host}` : ''}`;
    const findings: string[] = [];
    if (p.manyChanges && p.changed !== undefined) findings.push(`${grouped(p.changed, 'de')} ${p.changed === 1 ? 'Datei' : 'Dateien'} geändert, sonst ~${grouped(p.usualChanged ?? 0, 'de')}`);
    if (p.muchNewData && p.newBytes !== undefined) findings.push(`${bytes(p.newBytes, 'de')} neue Daten, sonst ~${bytes(p.usualNewBytes ?? 0, 'de')}`);
    if (p.filesDropPercent !== undefined) findings.push(`${grouped(p.files ?? 0, 'de')} Dateien, ${p.filesDropPercent} % weniger als sonst (~${grouped(p.usualFiles ?? 0, 'de')})`);
    if (p.sizeDropPercent !== undefined) findings.push(`${bytes(p.sizeBytes ?? 0, 'de')}, ${p.sizeDropPercent} % kleiner als sonst (~${bytes(p.usualBytes ?? 0, 'de')})`);
    const compared = p.compared === 1 ? 'der Sicherung davor' : `den ${p.compared} davor`;
    if (findings.length > 0) return `${subject}: ${findings.join('; ')} (verglichen mit ${compared})`;
    const facts = [
      p.changed !== undefined ? `${grouped(p.changed, 'de')} ${p.changed === 1 ? 'Datei' : 'Dateien'} geändert${p.usualChanged !== undefined ? ` (sonst ~${grouped(p.usualChanged, 'de')})` : ''}` : '',
      p.newBytes !== undefined ? `${bytes(p.newBytes, 'de')} neue Daten${p.usualNewBytes !== undefined ? ` (sonst ~${bytes(p.usualNewBytes, 'de')})` : ''}` : '',
      p.files !== undefined ? `${grouped(p.files, 'de')} ${p.files === 1 ? 'Datei' : 'Dateien'}` : '',
      p.sizeBytes !== undefined ? bytes(p.sizeBytes, 'de') : '',
    ].filter(Boolean);
    return `${subject}: ${facts.join(', ')}${p.learning ? ' — noch zu wenige Sicherungen zum Vergleichen' : ` (verglichen mit ${compared})`}`;
  },
  'churn.probe_failed': (p) => `${repositoryDe(p)}: Sicherungen nicht vergleichbar: ${p.error}`,
};
