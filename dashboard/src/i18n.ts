/** German and English UI strings. The user's setting wins, then the browser's language. */
import { checkDisplayName, renderResultMessage } from '@nines/shared/messages';

const en = {
  'app.title': 'Nines', skip: 'Skip to content',
  'login.title': 'Log in', 'login.username': 'Username', 'login.password': 'Password', 'login.submit': 'Log in', logout: 'Log out',
  'live.live': 'live', 'live.connecting': 'connecting…', 'live.reconnecting': 'reconnecting…',
  'nav.overview': 'Overview', 'nav.admin': 'Management',
  'status.OK': 'OK', 'status.WARN': 'Warning', 'status.CRIT': 'Critical', 'status.UNKNOWN': 'Unknown',
  'state.UP': 'Up', 'state.DOWN': 'Down', 'state.UNKNOWN': 'No data', 'state.MAINTENANCE': 'Maintenance',
  never: 'never', 'ago.s': '{0} s ago', 'ago.m': '{0} min ago', 'ago.h': '{0} h ago', 'ago.d': '{0} days ago',
  'dur.m': '{0} min', 'dur.h': '{0} h', 'dur.d': '{0} days',
  'overview.title': 'All clients', 'overview.search': 'Search clients, hosts, checks',
  'overview.empty': 'No clients yet. Create one under Management and enroll an agent.', 'overview.none': 'No client matches.',
  'overview.allGood': 'All {0} clients OK', 'overview.attention': '{0} of {1} clients need attention',
  'col.state': 'State', 'col.client': 'Client', 'col.hosts': 'Hosts', 'col.problems': 'Problems · last 24 h', 'col.month': 'This month', 'col.budget': 'Error budget left',
  'col.backups': 'Backups overdue', 'col.patches': 'Security updates', 'col.reboot': 'Reboot needed', 'col.silent': 'Agents silent', 'col.incidents': 'Open incidents',
  'col.security': 'Security', 'security.none': 'No security checks', 'security.allOk': 'Security: all {0} checks OK',
  'security.notOk': 'Security: {0} of {1} checks not OK ({2})', 'security.crit': '{0} critical', 'security.warn': '{0} warning', 'security.unknown': '{0} unknown',
  'col.check': 'Check', 'col.kind': 'Kind', 'col.message': 'Message', 'col.last': 'Last result', 'col.avail24': '24 h', 'col.host': 'Host',
  'col.connection': 'Connection', 'col.lastSeen': 'Last seen', 'col.version': 'Agent', 'col.time': 'Time', 'col.name': 'Name', 'col.role': 'Role',
  'col.zone': 'Time zone', 'col.language': 'Language', 'col.target': 'SLA target', 'col.user': 'User', 'col.created': 'Created', 'col.used': 'Last used', 'col.scope': 'Scope', 'col.expires': 'Expires',
  'col.actions': 'Actions',
  'target.of': 'target {0}', 'na.availability': 'not computed yet',
  'beats.summary': '{0} · 24 h: {1} up, down in {2} of {3} hours', 'beats.noData': '{0} · 24 h: no data',
  'beats.more': '+{0} hosts', 'beat.NONE': 'No data', 'beat.UNKNOWN': 'Partly no data',
  'filter.client': 'Client', 'filter.label': 'Label', 'filter.allLabels': 'All labels', 'filter.state': 'State', 'filter.allStates': 'All states',
  'filter.problems': 'Problems only',
  'client.hosts': 'Hosts', 'client.reports': 'Monthly report', 'client.download': 'Download ({0})',
  'host.connected': 'connected', 'host.disconnected': 'disconnected', 'host.revoked': 'revoked', 'host.clockOffset': 'Clock offset', 'host.backlog': 'Spool backlog',
  'host.updateAvailable': 'update available: {0} (nines-agent upgrade)', 'host.platform': 'Platform', 'host.checks': 'Checks', 'host.backups': 'Backups', 'host.patches': 'Updates', 'host.pending': '{0} pending, {1} security',
  'host.reboot': 'Reboot required', 'host.noReboot': 'No reboot required', 'host.packages': 'Pending packages', 'host.backupAge': 'last backup {0} ago',
  'host.size': 'size {0}', 'host.assigned': 'assigned', 'host.local': 'local',
  'check.transitions': 'State changes', 'check.until': 'Until', 'check.moreTransitions': '{0} earlier changes in this range (see the band above)', 'check.percentiles': 'p50 {0} · p95 {1} · max {2} (of {3} results)',
  'check.timeline': 'Status timeline', 'check.latency': 'Latency (ms)', 'check.recent': 'Recent results', 'check.range': 'Range', 'check.noData': 'No results in this range.',
  'check.edit': 'Edit check', 'check.add': 'Add a check', 'check.save': 'Save and send to agent', 'check.delete': 'Remove check', 'check.saved': 'Saved: config version {0}{1}.',
  'check.pushed': ', sent to the agent', 'check.queued': ', the agent gets it when it connects', 'check.json': 'Check configuration (JSON, see docs/checks.md)',
  'admin.clients': 'Clients', 'admin.newClient': 'New client', 'admin.create': 'Create', 'admin.enroll': 'Enroll a machine', 'admin.enrollFor': 'Client',
  'admin.enrollCreate': 'Create enrollment token', 'admin.enrollHint': 'Single use, valid 24 h. Run on the machine (as administrator):', 'admin.copy': 'Copy', 'admin.copied': 'Copied',
  'admin.os.linux': 'Linux (sh, as root via sudo)', 'admin.os.windows': 'Windows (PowerShell as administrator)', 'admin.os.macos': 'macOS (best effort, needs Node.js)',
  'admin.osNote.linux': 'Downloads the agent for this CPU (x64 or arm64), stops unless sha256sum matches the published SHA256SUMS, enrolls, installs the systemd service.',
  'admin.osNote.windows': 'Downloads the agent and WinSW, stops unless Get-FileHash matches the published SHA256SUMS, enrolls, installs the Windows service.',
  'admin.osNote.macos': 'The macOS executables are unsigned and untested on a Mac (docs/install.md), so this line runs the agent bundle on an installed Node.js (20.18.1 or later); the bundle has no published sum.',
  'admin.users': 'Users', 'admin.newUser': 'New user', 'admin.tokens': 'API tokens', 'admin.newToken': 'New API token', 'admin.tokenShown': 'Token (shown once):', 'admin.tokenValidFor': 'Valid for', 'admin.tokenNoExpiry': 'no expiry',
  'scope.read': 'read only', 'scope.write': 'read and change', 'scope.admin': 'everything incl. users and tokens',
  'admin.delete': 'Delete', 'admin.rename': 'Rename', 'admin.revoke': 'Revoke agent', 'admin.confirmRevoke': 'Revoke this agent? It cannot connect again.',
  'admin.allClients': 'all clients', 'admin.saved': 'Saved.',
  'sla.met': 'target met so far', 'sla.missed': 'target missed',
  'avail.title': 'Availability', 'avail.coverage': 'coverage', 'avail.down': 'down', 'avail.noData': 'No data this month yet: no figure, no verdict.',
  'avail.monthMet': 'This month {0}: target met so far; {1} of the month\'s {2} error budget left (pro rata so far: {3}).',
  'avail.monthMissed': 'This month {0}: target missed so far; {1} of the month\'s {2} error budget left (pro rata so far: {3}).',
  'avail.partial': 'Only {0} of the time measured: the verdict rests on partial data.', 'avail.none': 'no data', 'avail.partialShort': 'partial data',
  'budget.of': 'of {0}', 'budget.soFar': 'pro rata so far: {0}',
  'avail.notSla': '(not in SLA)',
  'inc.title': 'Incidents (30 days)', 'inc.ongoing': 'ongoing', 'inc.resolved': 'resolved', 'inc.from': 'Start', 'inc.duration': 'Duration', 'inc.cause': 'Cause',
  'inc.none': 'No incidents in the last 30 days.', 'report.month': 'Month', 'report.pdf': 'PDF ({0})', 'report.preview': 'Report preview',
  'report.sent': 'sent {0}', 'report.notSent': 'not sent yet', 'report.copy': 'copy', 'report.none': 'No report recipients.',
  'sp.title': 'Status page', 'sp.hint': 'A page for the client: the services ticked below under the names given, their state and 90 days of uptime, and your notices. No host names or messages are shown.',
  'sp.enabled': 'Page on (off: the link answers "not found")', 'sp.titleDe': 'Title (German)', 'sp.titleEn': 'Title (English, optional)', 'sp.titleHint': 'default: System status: client name',
  'sp.shown': 'On the page', 'sp.nameDe': 'Name shown (German)', 'sp.nameEn': 'Name shown (English, optional)', 'sp.save': 'Save status page', 'sp.link': 'Link for the client', 'sp.open': 'Open', 'sp.openOff': 'Open (switched off)',
  'sp.rotate': 'New link…', 'sp.rotateConfirm': 'Make a new link? The old one stops working at once.', 'sp.notices': 'Notices', 'sp.noNotices': 'No notices.',
  'sp.kind': 'Kind', 'sp.kind.maintenance': 'Planned maintenance', 'sp.kind.incident': 'Incident', 'sp.kind.info': 'Notice', 'sp.body': 'Text (German)', 'sp.from': 'From', 'sp.to': 'Until (optional)', 'sp.addNotice': 'Add notice',
  'wall.silent': '{0} agent(s) silent', 'wall.allOk': 'all checks OK', 'wall.page': 'page {0} of {1}', 'nav.wall': 'Wall',
  'report.yearly': 'Yearly summary', 'report.year': 'Year', 'report.yearPdf': 'PDF ({0})',
  'report.send': 'Send again…', 'report.confirm': 'Mail the report for {0} again, to these recipients?', 'report.sendNow': 'Send to {0} now',
  'report.cancel': 'Cancel', 'report.sentAll': 'Mails sent: {0}.', 'report.sendFailed': '{0} of {1} mails refused (reason below); send again to retry.',
  'report.failed': 'refused: {0}', 'report.noMailer': 'No mail server is set up (smtp: in the collector\'s config): reports cannot be mailed.',
  'maint.title': 'Maintenance windows', 'maint.none': 'No maintenance windows.', 'maint.when': 'When', 'maint.scope': 'Applies to', 'maint.allHosts': 'all hosts',
  'maint.daily': 'daily', 'maint.once': 'once', 'maint.weekly': 'weekly', 'maint.new': 'New maintenance window', 'maint.titleHint': 'e.g. Windows updates',
  'maint.repeat': 'Repeats', 'maint.start': 'Start (or first day)', 'maint.end': 'End (optional for repeating)', 'maint.localTime': 'Local start time',
  'maint.minutes': 'Minutes', 'maint.weekdays': 'Weekdays', 'maint.needStart': 'A start is needed.',
  'wd.mon': 'Mo', 'wd.tue': 'Tu', 'wd.wed': 'We', 'wd.thu': 'Th', 'wd.fri': 'Fr', 'wd.sat': 'Sa', 'wd.sun': 'Su',
  'alert.title': 'Alert', 'alert.state': 'Alert state', 'alert.severity': 'Severity', 'alert.since': 'Since', 'alert.announced': 'Notified', 'alert.acked': 'Acknowledged',
  'alert.notAcked': 'not yet', 'alert.ackedBy': 'by {0}, {1}', 'alert.silenced': 'Silenced', 'alert.silencedUntil': 'until {0}', 'alert.silenceFor': 'Silence for',
  'alert.ack': 'Acknowledge', 'alert.silence': 'Silence', 'alert.toCheck': 'Open the check', 'alert.toHost': 'Open the host', 'alert.history': 'History ({0})',
  'alert.for': 'for {0}', 'alert.agentSilent': 'agent silent', 'alert.hostDown': 'host down', 'alert.agentQuota': 'agent over its quota',
  'alert.budget': 'error budget {0}: {1} % spent', 'alert.toClient': 'Open the client',
  'alert.OK': 'OK', 'alert.PENDING': 'pending', 'alert.FIRING': 'firing', 'alert.FLAPPING': 'flapping', 'alert.RESOLVING': 'resolving',
  'rcp.title': 'Alert contact points', 'rcp.hint': 'Technical recipients get host, check, metrics and an acknowledge link; plain ones a short note in words. Each row is one contact point (e-mail, push, chat, webhook); saving the same client, channel and target updates it.',
  'rcp.none': 'No recipients: alerts are only visible here.', 'rcp.new': 'Add or update a recipient', 'rcp.channel': 'Channel', 'rcp.audience': 'Audience',
  'rcp.test': 'Send test message', 'rcp.testing': 'Sending a test message…', 'rcp.testSent': 'Test message accepted for {0}.', 'rcp.notReady': 'not set up on the collector',
  'ch.title': 'Notification channels', 'ch.hint': 'Settings saved here replace the config file\'s channels: section for that channel. Tokens are shown by their first characters only; to change one, enter it again.',
  'rcp.reportsDefault': 'default (a client\'s e-mail: yes)', 'rcp.reportsYes': 'yes', 'rcp.reportsNo': 'no',
  'ch.state': 'State', 'ch.ready': 'ready', 'ch.settings': 'Settings', 'ch.fromManagement': 'saved here', 'ch.fromFile': 'from the config file', 'ch.edit': 'Set up a channel', 'ch.save': 'Save settings',
  'rcp.givenUp': 'not delivered', 'rcp.retrying': 'delivery failing, retrying',
  'rcp.technical': 'technical (you)', 'rcp.plain': 'plain (client)', 'rcp.minSeverity': 'From severity', 'rcp.quiet': 'Quiet hours', 'rcp.quietFrom': 'Quiet from',
  'rcp.quietTo': 'Quiet until', 'rcp.reminders': 'reminders', 'rcp.resolved': 'resolved notices', 'rcp.escalationOnly': 'escalation only', 'rcp.reports': 'reports', 'rcp.flags': 'Messages',
  'rcp.disabled': 'disabled: mail was queued for it', 'rcp.save': 'Save', 'rcp.quietBoth': 'Quiet hours need both a start and an end.',
  'role.admin': 'Admin', 'role.client': 'Client (read only)', 'lang.auto': 'Browser', 'lang.de': 'Deutsch', 'lang.en': 'English',
  'notFound': 'Not found, or not visible for this account.',
  'rs.title': 'Reports', 'rs.hint': 'A part saved here replaces the same part of reports: in the config file until you go back to the file. Monthly and yearly times are in each client\'s time zone.',
  'rs.monthly': 'Monthly report', 'rs.yearly': 'Yearly summary (1 January)', 'rs.weekly': 'Monday overview', 'rs.branding': 'Branding of the PDFs',
  'rs.from.stored': 'saved here', 'rs.from.yaml': 'from the config file', 'rs.from.default': 'defaults', 'rs.save': 'Save', 'rs.useFile': 'Use the config file',
  'rs.enabled': 'send', 'rs.day': 'Day of the month', 'rs.at': 'Time', 'rs.copy': 'copy to me', 'rs.weekday': 'Weekday', 'rs.off': 'off',
  'rs.contact': 'Contact lines', 'rs.footer': 'Footer', 'rs.logo': 'Logo (PNG or JPEG, at most 512 KiB)', 'rs.noLogo': 'no logo',
  'rs.logoSaved': 'saved: {0}, {1} KiB', 'rs.noLogoYet': 'no logo', 'rs.logoType': 'The logo must be a PNG or JPEG image.', 'rs.logoSize': 'The logo has {0} KiB; at most {1} KiB are allowed.',
  'rs.wd.monday': 'Monday', 'rs.wd.tuesday': 'Tuesday', 'rs.wd.wednesday': 'Wednesday', 'rs.wd.thursday': 'Thursday', 'rs.wd.friday': 'Friday', 'rs.wd.saturday': 'Saturday', 'rs.wd.sunday': 'Sunday',
  'admin.schedules': 'Schedules', 'admin.noSchedules': 'No scheduled jobs: reports need smtp: and reports: in the config file.',
  'col.job': 'Job', 'col.rule': 'When', 'col.nextRun': 'Next run', 'col.lastRun': 'Last run', 'col.outcome': 'Outcome', 'col.error': 'Error',
  'job.weekly-overview': 'Monday overview', 'job.client-reports': 'Monthly reports and yearly summaries', 'outcome.ok': 'OK', 'outcome.failed': 'failed, retrying', 'outcome.running': 'running',
};
type Key = keyof typeof en;

const de: Record<Key, string> = {
  'app.title': 'Nines', skip: 'Zum Inhalt springen',
  'login.title': 'Anmelden', 'login.username': 'Benutzername', 'login.password': 'Passwort', 'login.submit': 'Anmelden', logout: 'Abmelden',
  'live.live': 'live', 'live.connecting': 'verbinde…', 'live.reconnecting': 'Verbindung wird wiederhergestellt…',
  'nav.overview': 'Übersicht', 'nav.admin': 'Verwaltung',
  'status.OK': 'OK', 'status.WARN': 'Warnung', 'status.CRIT': 'Kritisch', 'status.UNKNOWN': 'Unbekannt',
  'state.UP': 'Verfügbar', 'state.DOWN': 'Ausgefallen', 'state.UNKNOWN': 'Keine Daten', 'state.MAINTENANCE': 'Wartung',
  never: 'nie', 'ago.s': 'vor {0} s', 'ago.m': 'vor {0} Min.', 'ago.h': 'vor {0} Std.', 'ago.d': 'vor {0} Tagen',
  'dur.m': '{0} Min.', 'dur.h': '{0} Std.', 'dur.d': '{0} Tage',
  'overview.title': 'Alle Kunden', 'overview.search': 'Kunden, Hosts, Checks suchen',
  'overview.empty': 'Noch keine Kunden. Legen Sie unter Verwaltung einen an und registrieren Sie einen Agenten.', 'overview.none': 'Kein Kunde passt.',
  'overview.allGood': 'Alle {0} Kunden OK', 'overview.attention': '{0} von {1} Kunden brauchen Aufmerksamkeit',
  'col.state': 'Zustand', 'col.client': 'Kunde', 'col.hosts': 'Hosts', 'col.problems': 'Probleme · letzte 24 Std.', 'col.month': 'Dieser Monat', 'col.budget': 'Fehlerbudget übrig',
  // the soft hyphen lets the widest German header break: it pays for the Security column at 1400 px
  'col.backups': 'Backups überfällig', 'col.patches': 'Sicherheits\u00ADupdates', 'col.reboot': 'Neustart nötig', 'col.silent': 'Agenten stumm', 'col.incidents': 'Offene Störungen',
  'col.security': 'Sicherheit', 'security.none': 'Keine Sicherheitsprüfungen', 'security.allOk': 'Sicherheit: alle {0} Prüfungen in Ordnung',
  'security.notOk': 'Sicherheit: {0} von {1} Prüfungen nicht in Ordnung ({2})', 'security.crit': '{0} kritisch', 'security.warn': '{0} Warnung', 'security.unknown': '{0} unbekannt',
  'col.check': 'Check', 'col.kind': 'Art', 'col.message': 'Meldung', 'col.last': 'Letztes Ergebnis', 'col.avail24': '24 Std.', 'col.host': 'Host',
  'col.connection': 'Verbindung', 'col.lastSeen': 'Zuletzt gesehen', 'col.version': 'Agent', 'col.time': 'Zeit', 'col.name': 'Name', 'col.role': 'Rolle',
  'col.zone': 'Zeitzone', 'col.language': 'Sprache', 'col.target': 'SLA-Ziel', 'col.user': 'Benutzer', 'col.created': 'Erstellt', 'col.used': 'Zuletzt benutzt', 'col.scope': 'Berechtigung', 'col.expires': 'Läuft ab',
  'col.actions': 'Aktionen',
  'target.of': 'Ziel {0}', 'na.availability': 'noch nicht berechnet',
  'beats.summary': '{0} · 24 Std.: {1} verfügbar, Ausfall in {2} von {3} Stunden', 'beats.noData': '{0} · 24 Std.: keine Daten',
  'beats.more': '+{0} Hosts', 'beat.NONE': 'Keine Daten', 'beat.UNKNOWN': 'Teils keine Daten',
  'filter.client': 'Kunde', 'filter.label': 'Label', 'filter.allLabels': 'Alle Labels', 'filter.state': 'Zustand', 'filter.allStates': 'Alle Zustände',
  'filter.problems': 'Nur Probleme',
  'client.hosts': 'Hosts', 'client.reports': 'Monatsbericht', 'client.download': 'Herunterladen ({0})',
  'host.connected': 'verbunden', 'host.disconnected': 'getrennt', 'host.revoked': 'gesperrt', 'host.clockOffset': 'Uhrzeitabweichung', 'host.backlog': 'Warteschlange',
  'host.updateAvailable': 'Update verfügbar: {0} (nines-agent upgrade)', 'host.platform': 'Plattform', 'host.checks': 'Checks', 'host.backups': 'Backups', 'host.patches': 'Updates', 'host.pending': '{0} ausstehend, {1} Sicherheit',
  'host.reboot': 'Neustart erforderlich', 'host.noReboot': 'Kein Neustart nötig', 'host.packages': 'Ausstehende Pakete', 'host.backupAge': 'letztes Backup vor {0}',
  'host.size': 'Größe {0}', 'host.assigned': 'zugewiesen', 'host.local': 'lokal',
  'check.transitions': 'Zustandswechsel', 'check.until': 'Bis', 'check.moreTransitions': '{0} frühere Wechsel in diesem Zeitraum (siehe Verlauf oben)', 'check.percentiles': 'p50 {0} · p95 {1} · max {2} (aus {3} Ergebnissen)',
  'check.timeline': 'Statusverlauf', 'check.latency': 'Antwortzeit (ms)', 'check.recent': 'Letzte Ergebnisse', 'check.range': 'Zeitraum', 'check.noData': 'Keine Ergebnisse in diesem Zeitraum.',
  'check.edit': 'Check bearbeiten', 'check.add': 'Check hinzufügen', 'check.save': 'Speichern und an Agent senden', 'check.delete': 'Check entfernen', 'check.saved': 'Gespeichert: Konfigurationsversion {0}{1}.',
  'check.pushed': ', an den Agenten gesendet', 'check.queued': ', der Agent erhält sie beim Verbinden', 'check.json': 'Check-Konfiguration (JSON, siehe docs/checks.md)',
  'admin.clients': 'Kunden', 'admin.newClient': 'Neuer Kunde', 'admin.create': 'Anlegen', 'admin.enroll': 'Rechner registrieren', 'admin.enrollFor': 'Kunde',
  'admin.enrollCreate': 'Registrierungstoken erzeugen', 'admin.enrollHint': 'Einmalig, 24 Std. gültig. Auf dem Rechner (als Administrator) ausführen:', 'admin.copy': 'Kopieren', 'admin.copied': 'Kopiert',
  'admin.os.linux': 'Linux (sh, als root per sudo)', 'admin.os.windows': 'Windows (PowerShell als Administrator)', 'admin.os.macos': 'macOS (ohne Gewähr, braucht Node.js)',
  'admin.osNote.linux': 'Lädt den Agenten für diese CPU (x64 oder arm64), bricht ab, wenn sha256sum nicht zur veröffentlichten SHA256SUMS passt, registriert, installiert den systemd-Dienst.',
  'admin.osNote.windows': 'Lädt Agent und WinSW, bricht ab, wenn Get-FileHash nicht zur veröffentlichten SHA256SUMS passt, registriert, installiert den Windows-Dienst.',
  'admin.osNote.macos': 'Die macOS-Programme sind unsigniert und auf keinem Mac getestet (docs/install.md), daher startet diese Zeile das Agent-Bundle auf einem installierten Node.js (ab 20.18.1); für das Bundle gibt es keine veröffentlichte Prüfsumme.',
  'admin.users': 'Benutzer', 'admin.newUser': 'Neuer Benutzer', 'admin.tokens': 'API-Tokens', 'admin.newToken': 'Neues API-Token', 'admin.tokenShown': 'Token (wird nur einmal angezeigt):', 'admin.tokenValidFor': 'Gültig für', 'admin.tokenNoExpiry': 'unbegrenzt',
  'scope.read': 'nur lesen', 'scope.write': 'lesen und ändern', 'scope.admin': 'alles, auch Benutzer und Tokens',
  'admin.delete': 'Löschen', 'admin.rename': 'Umbenennen', 'admin.revoke': 'Agent sperren', 'admin.confirmRevoke': 'Diesen Agenten sperren? Er kann sich danach nicht mehr verbinden.',
  'admin.allClients': 'alle Kunden', 'admin.saved': 'Gespeichert.',
  'sla.met': 'Ziel bisher erreicht', 'sla.missed': 'Ziel verfehlt',
  'avail.title': 'Verfügbarkeit', 'avail.coverage': 'Abdeckung', 'avail.down': 'ausgefallen', 'avail.noData': 'Diesen Monat noch keine Messdaten: kein Wert, kein Ergebnis.',
  'avail.monthMet': 'Dieser Monat {0}: Ziel bisher erreicht; {1} von {2} Fehlerbudget des Monats übrig (bis heute anteilig: {3}).',
  'avail.monthMissed': 'Dieser Monat {0}: Ziel bisher verfehlt; {1} von {2} Fehlerbudget des Monats übrig (bis heute anteilig: {3}).',
  'avail.partial': 'Nur {0} der Zeit gemessen: das Ergebnis beruht auf Teildaten.', 'avail.none': 'keine Messdaten', 'avail.partialShort': 'Teildaten',
  'budget.of': 'von {0}', 'budget.soFar': 'bis heute anteilig: {0}',
  'avail.notSla': '(nicht im SLA)',
  'inc.title': 'Störungen (30 Tage)', 'inc.ongoing': 'andauernd', 'inc.resolved': 'behoben', 'inc.from': 'Beginn', 'inc.duration': 'Dauer', 'inc.cause': 'Ursache',
  'inc.none': 'Keine Störungen in den letzten 30 Tagen.', 'report.month': 'Monat', 'report.pdf': 'PDF ({0})', 'report.preview': 'Bericht-Vorschau',
  'report.sent': 'gesendet {0}', 'report.notSent': 'noch nicht gesendet', 'report.copy': 'Kopie', 'report.none': 'Keine Berichtsempfänger.',
  'sp.title': 'Statusseite', 'sp.hint': 'Eine Seite für den Kunden: die unten angehakten Dienste unter den angegebenen Namen, ihr Zustand und 90 Tage Verfügbarkeit, und Ihre Meldungen. Hostnamen und Meldungstexte erscheinen nicht.',
  'sp.enabled': 'Seite an (aus: der Link antwortet „nicht gefunden“)', 'sp.titleDe': 'Titel (Deutsch)', 'sp.titleEn': 'Titel (Englisch, optional)', 'sp.titleHint': 'Standard: Systemstatus: Kundenname',
  'sp.shown': 'Auf der Seite', 'sp.nameDe': 'Angezeigter Name (Deutsch)', 'sp.nameEn': 'Angezeigter Name (Englisch, optional)', 'sp.save': 'Statusseite speichern', 'sp.link': 'Link für den Kunden', 'sp.open': 'Öffnen', 'sp.openOff': 'Öffnen (abgeschaltet)',
  'sp.rotate': 'Neuer Link…', 'sp.rotateConfirm': 'Einen neuen Link erzeugen? Der alte funktioniert sofort nicht mehr.', 'sp.notices': 'Meldungen', 'sp.noNotices': 'Keine Meldungen.',
  'sp.kind': 'Art', 'sp.kind.maintenance': 'Geplante Wartung', 'sp.kind.incident': 'Störung', 'sp.kind.info': 'Hinweis', 'sp.body': 'Text (Deutsch)', 'sp.from': 'Von', 'sp.to': 'Bis (optional)', 'sp.addNotice': 'Meldung hinzufügen',
  'wall.silent': '{0} Agent(en) ohne Verbindung', 'wall.allOk': 'alle Checks OK', 'wall.page': 'Seite {0} von {1}', 'nav.wall': 'Wand',
  'report.yearly': 'Jahresübersicht', 'report.year': 'Jahr', 'report.yearPdf': 'PDF ({0})',
  'report.send': 'Erneut senden…', 'report.confirm': 'Den Bericht für {0} erneut an diese Empfänger senden?', 'report.sendNow': 'Jetzt an {0} senden',
  'report.cancel': 'Abbrechen', 'report.sentAll': 'Gesendete Mails: {0}.', 'report.sendFailed': '{0} von {1} Mails abgelehnt (Grund unten); zum Wiederholen erneut senden.',
  'report.failed': 'abgelehnt: {0}', 'report.noMailer': 'Kein Mailserver eingerichtet (smtp: in der Konfiguration des Collectors): Berichte können nicht gemailt werden.',
  'maint.title': 'Wartungsfenster', 'maint.none': 'Keine Wartungsfenster.', 'maint.when': 'Wann', 'maint.scope': 'Gilt für', 'maint.allHosts': 'alle Hosts',
  'maint.daily': 'täglich', 'maint.once': 'einmalig', 'maint.weekly': 'wöchentlich', 'maint.new': 'Neues Wartungsfenster', 'maint.titleHint': 'z. B. Windows-Updates',
  'maint.repeat': 'Wiederholung', 'maint.start': 'Beginn (oder erster Tag)', 'maint.end': 'Ende (bei Wiederholung optional)', 'maint.localTime': 'Ortszeit Beginn',
  'maint.minutes': 'Minuten', 'maint.weekdays': 'Wochentage', 'maint.needStart': 'Ein Beginn ist nötig.',
  'wd.mon': 'Mo', 'wd.tue': 'Di', 'wd.wed': 'Mi', 'wd.thu': 'Do', 'wd.fri': 'Fr', 'wd.sat': 'Sa', 'wd.sun': 'So',
  'alert.title': 'Alarm', 'alert.state': 'Alarmzustand', 'alert.severity': 'Schwere', 'alert.since': 'Seit', 'alert.announced': 'Gemeldet', 'alert.acked': 'Bestätigt',
  'alert.notAcked': 'noch nicht', 'alert.ackedBy': 'von {0}, {1}', 'alert.silenced': 'Stummgeschaltet', 'alert.silencedUntil': 'bis {0}', 'alert.silenceFor': 'Stumm für',
  'alert.ack': 'Bestätigen', 'alert.silence': 'Stummschalten', 'alert.toCheck': 'Zum Check', 'alert.toHost': 'Zum Host', 'alert.history': 'Verlauf ({0})',
  'alert.for': 'seit {0}', 'alert.agentSilent': 'Agent stumm', 'alert.hostDown': 'Host ausgefallen', 'alert.agentQuota': 'Agent über seinem Kontingent',
  'alert.budget': 'Fehlerbudget {0}: {1} % verbraucht', 'alert.toClient': 'Zum Kunden',
  'alert.OK': 'OK', 'alert.PENDING': 'ausstehend', 'alert.FIRING': 'ausgelöst', 'alert.FLAPPING': 'flatternd', 'alert.RESOLVING': 'klingt ab',
  'rcp.title': 'Alarm-Kontaktwege', 'rcp.hint': 'Technische Empfänger erhalten Host, Check, Messwerte und einen Bestätigungslink; einfache eine kurze Nachricht in Worten. Jede Zeile ist ein Kontaktweg (E-Mail, Push, Chat, Webhook); gleicher Kunde, Kanal und Ziel aktualisiert den Eintrag.',
  'rcp.none': 'Keine Empfänger: Alarme sind nur hier sichtbar.', 'rcp.new': 'Empfänger anlegen oder ändern', 'rcp.channel': 'Kanal', 'rcp.audience': 'Zielgruppe',
  'rcp.test': 'Testnachricht senden', 'rcp.testing': 'Testnachricht wird gesendet …', 'rcp.testSent': 'Testnachricht an {0} angenommen.', 'rcp.notReady': 'am Collector nicht eingerichtet',
  'ch.title': 'Benachrichtigungskanäle', 'ch.hint': 'Hier gespeicherte Einstellungen ersetzen für diesen Kanal den Abschnitt channels: der Konfigurationsdatei. Tokens werden nur mit ihren ersten Zeichen gezeigt; zum Ändern neu eingeben.',
  'rcp.reportsDefault': 'Standard (E-Mail eines Kunden: ja)', 'rcp.reportsYes': 'ja', 'rcp.reportsNo': 'nein',
  'ch.state': 'Zustand', 'ch.ready': 'bereit', 'ch.settings': 'Einstellungen', 'ch.fromManagement': 'hier gespeichert', 'ch.fromFile': 'aus der Konfigurationsdatei', 'ch.edit': 'Kanal einrichten', 'ch.save': 'Einstellungen speichern',
  'rcp.givenUp': 'nicht zugestellt', 'rcp.retrying': 'Zustellung schlägt fehl, wird wiederholt',
  'rcp.technical': 'technisch (Sie)', 'rcp.plain': 'einfach (Kunde)', 'rcp.minSeverity': 'Ab Schwere', 'rcp.quiet': 'Ruhezeiten', 'rcp.quietFrom': 'Ruhe ab',
  'rcp.quietTo': 'Ruhe bis', 'rcp.reminders': 'Erinnerungen', 'rcp.resolved': 'Entwarnungen', 'rcp.escalationOnly': 'nur Eskalation', 'rcp.reports': 'Berichte', 'rcp.flags': 'Nachrichten',
  'rcp.disabled': 'deaktiviert: es waren Mails für ihn eingereiht', 'rcp.save': 'Speichern', 'rcp.quietBoth': 'Ruhezeiten brauchen Beginn und Ende.',
  'role.admin': 'Admin', 'role.client': 'Kunde (nur lesen)', 'lang.auto': 'Browser', 'lang.de': 'Deutsch', 'lang.en': 'English',
  notFound: 'Nicht gefunden oder für dieses Konto nicht sichtbar.',
  'rs.title': 'Berichte', 'rs.hint': 'Ein hier gespeicherter Teil ersetzt denselben Teil von reports: der Konfigurationsdatei, bis Sie zur Datei zurückkehren. Monats- und Jahreszeiten gelten in der Zeitzone des jeweiligen Kunden.',
  'rs.monthly': 'Monatsbericht', 'rs.yearly': 'Jahresübersicht (1. Januar)', 'rs.weekly': 'Wochenüberblick', 'rs.branding': 'Gestaltung der PDFs',
  'rs.from.stored': 'hier gespeichert', 'rs.from.yaml': 'aus der Konfigurationsdatei', 'rs.from.default': 'Voreinstellung', 'rs.save': 'Speichern', 'rs.useFile': 'Konfigurationsdatei verwenden',
  'rs.enabled': 'versenden', 'rs.day': 'Tag im Monat', 'rs.at': 'Uhrzeit', 'rs.copy': 'Kopie an mich', 'rs.weekday': 'Wochentag', 'rs.off': 'aus',
  'rs.contact': 'Kontaktzeilen', 'rs.footer': 'Fußzeile', 'rs.logo': 'Logo (PNG oder JPEG, höchstens 512 KiB)', 'rs.noLogo': 'kein Logo',
  'rs.logoSaved': 'gespeichert: {0}, {1} KiB', 'rs.noLogoYet': 'kein Logo', 'rs.logoType': 'Das Logo muss ein PNG- oder JPEG-Bild sein.', 'rs.logoSize': 'Das Logo hat {0} KiB; erlaubt sind höchstens {1} KiB.',
  'rs.wd.monday': 'Montag', 'rs.wd.tuesday': 'Dienstag', 'rs.wd.wednesday': 'Mittwoch', 'rs.wd.thursday': 'Donnerstag', 'rs.wd.friday': 'Freitag', 'rs.wd.saturday': 'Samstag', 'rs.wd.sunday': 'Sonntag',
  'admin.schedules': 'Zeitpläne', 'admin.noSchedules': 'Keine geplanten Aufgaben: Berichte brauchen smtp: und reports: in der Konfigurationsdatei.',
  'col.job': 'Aufgabe', 'col.rule': 'Wann', 'col.nextRun': 'Nächster Lauf', 'col.lastRun': 'Letzter Lauf', 'col.outcome': 'Ergebnis', 'col.error': 'Fehler',
  'job.weekly-overview': 'Wochenüberblick', 'job.client-reports': 'Monatsberichte und Jahresübersichten', 'outcome.ok': 'OK', 'outcome.failed': 'fehlgeschlagen, wird wiederholt', 'outcome.running': 'läuft',
};

export type Language = 'de' | 'en';
let current: Language = 'en';

export function browserLanguage(): Language {
  return (navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith('de')) ? 'de' : 'en';
}

export function setLanguage(language: Language | null): void {
  current = language ?? browserLanguage();
  document.documentElement.lang = current;
  // The skip link is static HTML (it must work before the script runs); its text follows the language.
  const skip = document.querySelector('a.skip');
  if (skip) skip.textContent = t('skip');
}

export function language(): Language {
  return current;
}

export function locale(): string {
  return current === 'de' ? 'de-DE' : 'en-GB';
}

type Params = Record<string, string | number>;

/** A result message in the current language from its code and params; the stored text when it has no (known) code. */
export function resultText(m: { message?: string | null; code?: string | null; params?: Params | null }): string {
  return renderResultMessage(m.code, m.params, current, m.message ?? '');
}

/** A check's name, or for an unnamed one (stored under its id) the default of its kind in the current language. */
export function checkName(c: { id: string; name: string; kind: string; params?: Params | null }): string {
  return checkDisplayName(c, current, c.params);
}

export function t(key: Key, ...args: (string | number)[]): string {
  const text = (current === 'de' ? de : en)[key] ?? key;
  return text.replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}
