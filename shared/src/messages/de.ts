/** Deutsche Texte der Ergebnismeldungen. */
import type { CertProblem, CertState, ResultMessageParams } from './codes.ts';
import { bytes, duration, gib, num, timeLeft } from './format.ts';
import type { Renderers } from './render-types.ts';
import { securityDe } from './security.de.ts';

const CERT_PROBLEM: Record<CertProblem, string> = {
  self_signed: 'selbstsigniertes Zertifikat',
  self_signed_chain: 'selbstsigniertes Zertifikat in der Kette',
  issuer_unknown: 'Aussteller unbekannt (Zwischenzertifikat fehlt?)',
  expired: 'Zertifikat abgelaufen',
  not_yet_valid: 'Zertifikat noch nicht gültig',
  wrong_host: 'Zertifikat nennt diesen Host nicht',
  other: 'Zertifikat nicht akzeptiert',
};

const ms = (value: number) => `${value} ms`;
const pct = (value: number) => `${num(value, 'de')} %`;

function httpHead(p: ResultMessageParams['http.status']): string {
  const via = p.redirects > 0 && p.finalUrl ? ` nach ${p.redirects} ${p.redirects === 1 ? 'Weiterleitung' : 'Weiterleitungen'} zu ${p.finalUrl}` : '';
  return `HTTP ${p.statusCode} in ${ms(p.latencyMs)}${via}`;
}

function certText(p: { certState?: CertState; certSubject?: string; certDate?: string; certDaysLeft?: number; certLeftMs?: number; certLimitDays?: number; certProblem?: CertProblem }): string {
  const about = `Zertifikat für ${p.certSubject ?? '?'}`;
  const when = p.certState === 'expired' ? `abgelaufen am ${p.certDate}` : `läuft in ${(p.certLeftMs !== undefined ? timeLeft(p.certLeftMs, 'de') : `${p.certDaysLeft} T`)} ab (${p.certDate})`;
  const limit = p.certLimitDays !== undefined ? `, Grenze ${p.certLimitDays} T` : '';
  switch (p.certState) {
    case 'unverified':
      return `${about} ${when}, nicht geprüft (ignoreTls)`;
    case 'untrusted':
      return `${about} ist nicht vertrauenswürdig: ${CERT_PROBLEM[p.certProblem ?? 'other']}; ${when}`;
    default:
      return `${about} ${when}${limit}`;
  }
}

export const de: Renderers = {
  'check.failed': (p) => `Prüfung fehlgeschlagen: ${p.error}`,
  'check.timeout': (p) => `Prüfung nicht innerhalb von ${ms(p.timeoutMs)} beendet`,
  'check.error': (p) => `${p.subject}: Fehler: ${p.error}`,
  'check.not_allowed': (p) => `auf diesem Rechner nicht erlaubt: ${p.programs} steht nicht unter allowPrograms in der Konfigurationsdatei des Agenten, der Collector kann es nicht starten`,
  'agent.silent': (p) => `Agent meldet sich nicht seit ${new Date(p.since).toISOString()}`,

  'net.refused': (p) => `Verbindung zu ${p.target} abgelehnt`,
  'net.timeout': (p) => (p.timeoutMs === undefined ? `Zeitüberschreitung bei der Verbindung zu ${p.target}` : `${p.target}: keine Antwort innerhalb von ${ms(p.timeoutMs)}`),
  'net.dns_failed': (p) => `${p.target}: Name ${p.host} lässt sich nicht auflösen`,
  'net.reset': (p) => `Verbindung zu ${p.target} von der Gegenseite zurückgesetzt`,
  'net.unreachable': (p) => `${p.target} ist nicht erreichbar (keine Route)`,
  'net.cert_rejected': (p) => `${p.target}: ${CERT_PROBLEM[p.problem]}${p.error ? ` (${p.error})` : ''}`,
  'net.closed': (p) => `${p.target}: der Server hat die Verbindung geschlossen`,
  'net.failed': (p) => `Verbindung zu ${p.target} fehlgeschlagen: ${p.error}`,

  'tcp.connected': (p) =>
    `${p.target} hat die Verbindung in ${ms(p.latencyMs)} angenommen${p.slowerThanMs !== undefined ? ` (langsamer als ${ms(p.slowerThanMs)})` : ''}${p.banner !== undefined ? `: ${p.banner}` : ''}`,
  'tcp.banner_missing': (p) => {
    const ended = { closed: 'der Server hat die Verbindung geschlossen', timeout: 'Zeitüberschreitung', limit: 'kein Treffer in den ersten 64 KiB', error: 'Lesefehler' }[p.ended];
    return `${p.target} in ${ms(p.latencyMs)} verbunden, aber „${p.expected}“ nicht empfangen (${ended}; ${p.got ? `empfangen: „${p.got}“` : 'nichts empfangen'})`;
  },

  'http.ok': (p) => {
    const notes: string[] = [];
    if (p.slowerThanMs !== undefined) notes.push(`langsamer als ${ms(p.slowerThanMs)}`);
    if (p.certState) notes.push(certText(p));
    return notes.length ? `${httpHead(p)}: ${notes.join('; ')}` : httpHead(p);
  },
  'http.status': (p) => `${httpHead(p)}: Status nicht akzeptiert${p.redirectLimit ? ' (Weiterleitungsgrenze erreicht)' : ''}`,
  'http.keyword_missing': (p) => `${httpHead(p)}: „${p.keyword}“ nicht im Inhalt gefunden`,
  'http.keyword_found': (p) => `${httpHead(p)}: „${p.keyword}“ im Inhalt gefunden`,
  'http.body_failed': (p) => `${p.url}: HTTP ${p.statusCode}, Lesen des Inhalts fehlgeschlagen: ${p.error}`,

  'cert.expires': (p) => `${p.target}: ${certText(p)} (${p.protocol}, Aussteller ${p.issuer})`,
  'cert.none': (p) => `${p.target}: der Server hat kein Zertifikat gesendet`,

  'dns.answer': (p) => {
    const head = `${p.query} ${p.type} → ${p.answers || '(keine)'} in ${ms(p.latencyMs)}${p.server ? ` über ${p.server}` : ''}`;
    if (p.missing) return `${head}: erwartet, aber fehlend: ${p.missing}`;
    return p.slowerThanMs !== undefined ? `${head}: langsamer als ${ms(p.slowerThanMs)}` : head;
  },
  'dns.failed': (p) => {
    const reason = {
      nxdomain: `${p.query} existiert nicht (NXDOMAIN)`,
      nodata: `${p.query} hat keinen ${p.type}-Eintrag`,
      servfail: `der Server konnte für ${p.query} nicht antworten (SERVFAIL)`,
      refused: `der Server verweigert die Antwort für ${p.query} (REFUSED)`,
      timeout: 'keine Antwort vom DNS-Server',
      conn_refused: 'der DNS-Server hat die Verbindung abgelehnt',
      other: p.error ?? 'Abfrage fehlgeschlagen',
    }[p.reason];
    return `${p.query} ${p.type}${p.server ? ` über ${p.server}` : ''}: ${reason}`;
  },
  'dns.bad_server': (p) => `Server „${p.server}“ ist nicht verwendbar: ${p.error}`,

  'ping.result': (p) => {
    const head = `${p.host}: ${p.received}/${p.sent} Antworten, ${pct(p.lossPercent)} Verlust${p.rttAvgMs !== undefined ? `, RTT Ø ${num(p.rttAvgMs, 'de')} ms` : ''}`;
    const reasons: string[] = [];
    if (p.lossLimitPercent !== undefined) reasons.push(`Verlust ≥ ${pct(p.lossLimitPercent)}`);
    if (p.rttLimitMs !== undefined) reasons.push(`RTT ≥ ${p.rttLimitMs} ms`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'ping.no_reply': (p) => `${p.host}: 0/${p.sent} Antworten, 100 % Verlust: keine Antwort`,
  'ping.not_permitted': (p) => `${p.host}: ping darf hier kein ICMP senden`,
  'ping.unknown_host': (p) => `${p.host}: Name lässt sich nicht auflösen`,
  'ping.unparsable': (p) => `${p.host}: ping lieferte keine Statistik`,
  'ping.timeout': (p) => `${p.host}: ping nicht innerhalb von ${ms(p.timeoutMs)} beendet`,

  'disk.usage': (p) => {
    const head = `${p.path}: ${pct(p.usedPercent)} belegt, ${gib(p.freeBytes, 'de')} frei von ${gib(p.totalBytes, 'de')}`;
    const reasons: string[] = [];
    if (p.usedLimitPercent !== undefined) reasons.push(`über ${pct(p.usedLimitPercent)} belegt`);
    if (p.freeLimitBytes !== undefined) reasons.push(`weniger als ${gib(p.freeLimitBytes, 'de')} frei`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'disk.unreadable': (p) => `${p.path}: Belegung des Dateisystems nicht lesbar: ${p.error}`,
  'memory.usage': (p) => {
    let head = `Arbeitsspeicher ${pct(p.usedPercent)} belegt, ${gib(p.availableBytes, 'de')} verfügbar von ${gib(p.totalBytes, 'de')}`;
    if (p.swapUsedPercent !== undefined) head += `, Swap ${pct(p.swapUsedPercent)} belegt`;
    const reasons: string[] = [];
    if (p.usedLimitPercent !== undefined) reasons.push(`über ${pct(p.usedLimitPercent)} belegt`);
    if (p.swapLimitPercent !== undefined) reasons.push(`Swap über ${pct(p.swapLimitPercent)} belegt`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'memory.unreadable': (p) => `Speicherbelegung nicht lesbar: ${p.error}`,
  'load.average': (p) => {
    const head = `Last ${num(p.load1, 'de', 2)}, ${num(p.load5, 'de', 2)}, ${num(p.load15, 'de', 2)} auf ${p.cpus} CPUs (${num(p.perCpu, 'de')} je CPU über 5 min)`;
    return p.limitPerCpu !== undefined ? `${head}: ≥ ${num(p.limitPerCpu, 'de')} je CPU` : head;
  },
  'load.unsupported': () => 'Windows kennt keinen Load-Average; für die CPU-Warteschlange eine command-Prüfung verwenden',

  'process.count': (p) => {
    const what = p.matchOn === 'name' ? `„${p.match}“` : `Befehlszeile /${p.match}/`;
    const head = `${p.count} ${p.count === 1 ? 'Prozess' : 'Prozesse'} passend zu ${what}${p.pids ? ` (PID ${p.pids})` : ''}`;
    if (p.min !== undefined) return `${head}, erwartet mindestens ${p.min}`;
    return p.max !== undefined ? `${head}, erwartet höchstens ${p.max}` : head;
  },
  'process.bad_limits': (p) => `Konfiguration: maxCount ${p.max} liegt unter minCount ${p.min}`,
  'process.bad_pattern': (p) => `Konfiguration: ungültiges Muster /${p.match}/: ${p.error}`,
  'process.no_command_line': () => 'matchOn commandLine gibt es unter Windows nicht (tasklist zeigt nur Namen); matchOn name verwenden',
  'process.list_failed': (p) => `Prozesse nicht auflistbar: ${p.error}`,

  'service.state': (p) =>
    `${p.service} ist ${p.state}${p.sub ? ` (${p.sub})` : ''}${p.result ? `, Ergebnis ${p.result}` : ''}${p.exitStatus ? `, letzter Exit-Status ${p.exitStatus}` : ''}`,
  'service.not_found': (p) => `${p.service}: Dienst nicht vorhanden`,
  'service.masked': (p) => `${p.service} ist maskiert und kann nicht laufen`,
  'service.disabled': (p) => `${p.service} ist deaktiviert (Starttyp ${p.startType})`,
  'service.unsupported': (p) => `Dienstprüfungen werden auf ${p.platform} nicht unterstützt`,
  'service.query_failed': (p) => `${p.service}: Abfrage fehlgeschlagen: ${p.error}`,

  'command.bad_exit': (p) => `Exit-Code ${p.exitCode} ist kein Plugin-Status (0–3): ${p.output}`,
  'command.timeout': (p) => `${p.file} nicht innerhalb von ${ms(p.timeoutMs)} beendet (abgebrochen)`,
  'command.failed': (p) => `${p.file}: Start fehlgeschlagen: ${p.error}`,

  'patch.pending': (p) => {
    const parts: string[] = [];
    if (p.pending === 0) parts.push('keine Updates ausstehend');
    else {
      const sec = p.securityUnknown ? ', Sicherheitsupdates unbekannt' : `, davon ${p.security} Sicherheitsupdates`;
      parts.push(`${p.pending} Updates ausstehend${sec}${p.names ? ` (${p.names}${p.more ? ', …' : ''})` : ''}`);
    }
    if (p.deferred) parts.push(`${p.deferred} gestaffelte Updates zurückgestellt`);
    if (p.indexAgeMs !== undefined) parts.push(`Paketindex ${duration(p.indexAgeMs, 'de')} alt`);
    const reasons: string[] = [];
    if (p.securityOverdue) reasons.push(`${p.security} Sicherheitsupdates ausstehend`);
    if (p.pendingForMs !== undefined && p.pendingLimitMs !== undefined) reasons.push(`Updates seit ${duration(p.pendingForMs, 'de')} ausstehend (Grenze ${duration(p.pendingLimitMs, 'de')})`);
    if (p.reboot) reasons.push(`Neustart erforderlich${p.rebootReason ? ` (${p.rebootReason})` : ''}`);
    if (p.indexTooOld && p.indexAgeMs !== undefined && p.indexLimitMs !== undefined) {
      reasons.push(`Paketindex ${duration(p.indexAgeMs, 'de')} alt (Grenze ${duration(p.indexLimitMs, 'de')}): neuere Updates sind nicht sichtbar`);
    }
    const head = `${p.manager}: ${parts.join('; ')}`;
    return reasons.length ? `${head} — ${reasons.join('; ')}` : head;
  },
  'patch.no_manager': () => 'kein unterstützter Paketmanager gefunden (gesucht: apt-get, dnf, yum, zypper, apk, checkupdates)',
  'patch.probe_failed': (p) => `${p.manager}: Abfrage fehlgeschlagen: ${p.error}`,

  'backup.age': (p) => {
    let head = p.futureMs !== undefined && p.takenAt !== undefined ? `${p.subject} vom ${new Date(p.takenAt).toISOString()}` : `${p.subject}, ${duration(p.ageMs ?? 0, 'de')} alt`;
    if (p.sizeBytes !== undefined) head += `, ${bytes(p.sizeBytes, 'de')}`;
    const reasons: string[] = [];
    if (p.futureMs !== undefined) reasons.push(`Zeitstempel liegt ${duration(p.futureMs, 'de')} in der Zukunft: Uhren prüfen`);
    if (p.critAgeMs !== undefined) reasons.push(`älter als die Grenze von ${duration(p.critAgeMs, 'de')}`);
    if (p.everyMs !== undefined && p.graceMs !== undefined) reasons.push(`älter als erwartet (alle ${duration(p.everyMs, 'de')} + ${duration(p.graceMs, 'de')} Toleranz)`);
    if (p.minSizeBytes !== undefined) reasons.push(`kleiner als die erwarteten ${bytes(p.minSizeBytes, 'de')}`);
    if (p.shrunkPercent !== undefined && p.previousBytes !== undefined) reasons.push(`${pct(p.shrunkPercent)} kleiner als die vorige Sicherung (${bytes(p.previousBytes, 'de')})`);
    if (p.sizeUnknown) reasons.push('Größe unbekannt, die Größengrenzen lassen sich nicht prüfen');
    if (p.problem) reasons.push(p.problem);
    const groups = p.groups !== undefined ? `; ${p.groups} Gruppen, davon ${p.groupsNotOk ?? 0} nicht OK` : '';
    return (reasons.length ? `${head} (${reasons.join('; ')})` : head) + groups;
  },
  'backup.none': (p) => `${p.subject}: keine Sicherung gefunden${p.problem ? ` (${p.problem})` : ''}`,
  'backup.probe_failed': (p) => `${p.tool}-Sicherungsprüfung fehlgeschlagen: ${p.error}`,

  ...securityDe,
};
