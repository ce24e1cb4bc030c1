import type { Catalog } from './catalog.ts';

export const de: Catalog = {
  numericMonth: true,
  locale: 'de-DE',
  subject: {
    technical: {
      firing: '[{severity}] {client} · {host} · {check}: {message}',
      changed: '[{severity}] {client} · {host} · {check}: jetzt {severity}',
      resolved: '[BEHOBEN] {client} · {host} · {check} nach {duration}',
      flapping: '[INSTABIL] {client} · {host} · {check}: {state}',
      reminder: '[{severity}] weiterhin gestört: {client} · {host} · {check}',
      escalation: '[ESKALATION] unbestätigt: {client} · {host} · {check}',
    },
    digest: { technical: '[Nines] {summary}: {clients}', plain: '{summary}: {clients}' },
    counts: {
      problem: { one: '{n} Störung', other: '{n} Störungen' },
      resolved: { one: '{n} behoben', other: '{n} behoben' },
      flapping: { one: '{n} instabil', other: '{n} instabil' },
      reminder: { one: '{n} weiterhin gestört', other: '{n} weiterhin gestört' },
      escalation: { one: '{n} eskaliert', other: '{n} eskaliert' },
    },
  },
  units: { minute: 'Min.', hour: 'Std.', day: 'Tg.', underAMinute: 'weniger als 1 Min.' },
  technical: {
    intro: '{count} Änderung(en) an Alarmen:',
    event: {
      firing: 'ALARM',
      changed: 'SCHWEREGRAD GEÄNDERT',
      resolved: 'BEHOBEN',
      flapping: 'INSTABIL (wechselt zu oft den Zustand; weitere Wechsel werden nicht einzeln gemailt)',
      reminder: 'ERINNERUNG (weiterhin gestört, nicht bestätigt)',
      escalation: 'ESKALATION (gestört und nicht bestätigt)',
    },
    labels: {
      client: 'Kunde', host: 'Rechner', check: 'Prüfung', kind: 'Art', severity: 'Schweregrad', state: 'Zustand', message: 'Meldung', metrics: 'Messwerte', at: 'Zeit',
      incident: 'Vorfall', duration: 'Dauer',
    },
    flappingRow: 'INSTABIL: {state}',
    flappingState: '{outages} Ausfälle in {window}, derzeit {status}',
    ack: 'Bestätigen',
    open: 'In Nines öffnen',
    allHosts: 'alle Rechner',
    hostDown: 'Rechner ausgefallen',
    agentQuota: 'Agent über seinem Kontingent',
    errorBudget: 'Fehlerbudget',
  },
  test: { title: 'Nines: Testnachricht', text: 'Dies ist eine Testnachricht von {brand} für „{name}“ über {channel}. Wenn Sie sie lesen, kommen Alarme hier an.' },
  channel: {
    failing: { title: '[Nines] Zustellung über {channel} fällt aus', text: 'Nines kann seit {since} keine Nachrichten über {channel} zustellen ({failures} Versuche in Folge). Letzter Fehler: {error}. Alarme werden weiter über die anderen Kontaktwege gemeldet; bitte prüfen Sie den Kontaktweg in der Verwaltung.' },
    recovered: { title: '[Nines] Zustellung über {channel} geht wieder', text: 'Seit {at} nimmt {channel} Nachrichten wieder an; Aufgelaufenes wird nachgeliefert.' },
  },
  delivery: {
    failing: {
      subject: '[Nines] Alarm-Mails können nicht zugestellt werden',
      body: [
        'Hallo {name},',
        'Nines kann seit {since} keine Alarm-Mails über den eingestellten SMTP-Server versenden ({failures} Versuche in Folge). Alarme werden weiter erkannt und gesammelt; {pending} Mail(s) warten auf den Versand und gehen raus, sobald der Server wieder annimmt.',
        'Letzter Fehler: {error}',
        'Bitte prüfen Sie die SMTP-Einstellungen (smtp: in der Collector-Konfiguration) und das Dashboard. Diese Nachricht kam über den Ausweich-Server (smtp.fallback); sie wird nur einmal gesendet, bis der Versand wieder funktioniert.',
      ],
    },
    recovered: {
      subject: '[Nines] Alarm-Mails werden wieder zugestellt',
      body: ['Hallo {name},', 'seit {at} nimmt der SMTP-Server Alarm-Mails wieder an. Was in der Zwischenzeit aufgelaufen ist, wird jetzt nachgeliefert.'],
    },
  },
  plain: {
    greeting: 'Guten Tag {name},',
    intro: 'unsere Überwachung hat Folgendes festgestellt:',
    topic: {
      agent: { problem: 'Der Computer „{host}“ meldet sich nicht mehr. Vielleicht ist er ausgeschaltet oder nicht mit dem Netz verbunden.', resolved: 'Der Computer „{host}“ ist wieder erreichbar.' },
      host: { problem: 'Der Computer „{host}“ ist ausgefallen: seine wichtigen Dienste sind nicht erreichbar.', resolved: 'Der Computer „{host}“ ist wieder in Betrieb.' },
      budget: {
        problem:
          'In diesem Monat sind bisher {spentMinutes} Minuten Ausfallzeit zusammengekommen. Bei der vereinbarten Verfügbarkeit von {target} % sind im ganzen Monat {budgetMinutes} Minuten erlaubt – davon sind jetzt {spentPercent} % verbraucht. Die Zusage gilt weiterhin; wir achten jetzt besonders darauf, dass es dabei bleibt.',
        resolved: 'Ein neuer Monat hat begonnen; die erlaubte Ausfallzeit zählt wieder von vorn.',
      },
      budgetMissed: {
        problem:
          'In diesem Monat sind bisher {spentMinutes} Minuten Ausfallzeit zusammengekommen, mehr als die {budgetMinutes} Minuten, die bei der vereinbarten Verfügbarkeit von {target} % im ganzen Monat erlaubt sind. Die Zusage von {target} % wird in diesem Monat daher nicht erreicht.',
        resolved: 'Ein neuer Monat hat begonnen; die erlaubte Ausfallzeit zählt wieder von vorn.',
      },
      backup: { problem: 'Die Datensicherung „{check}“ auf „{host}“ ist nicht rechtzeitig fertig geworden.', resolved: 'Die Datensicherung „{check}“ auf „{host}“ ist wieder aktuell.' },
      updates: { problem: 'Der Computer „{host}“ wartet auf wichtige Updates oder einen Neustart.', resolved: 'Der Computer „{host}“ ist wieder auf dem aktuellen Stand.' },
      certificate: { problem: 'Das Sicherheitszertifikat „{check}“ läuft bald ab.', resolved: 'Das Sicherheitszertifikat „{check}“ wurde erneuert.' },
      security: { problem: 'Auf dem Computer „{host}“: {finding}', resolved: 'Auf dem Computer „{host}“ ist das wieder in Ordnung: {finding}' },
      service: { problem: '„{check}“ auf „{host}“ funktioniert nicht wie vorgesehen.', resolved: '„{check}“ auf „{host}“ funktioniert wieder normal.' },
    },
    subject: {
      agent: { problem: 'Keine Verbindung: {host}', resolved: 'Behoben nach {duration}: Verbindung zu {host}' },
      host: { problem: 'Ausfall: {host}', resolved: 'Behoben nach {duration}: Ausfall von {host}' },
      budget: { problem: 'Ausfallzeit im Monat: {spentPercent} % des Rahmens verbraucht', resolved: 'Neuer Monat: die erlaubte Ausfallzeit zählt von vorn' },
      budgetMissed: { problem: 'Verfügbarkeitszusage diesen Monat nicht erreicht', resolved: 'Neuer Monat: die erlaubte Ausfallzeit zählt von vorn' },
      backup: { problem: 'Datensicherung überfällig: {check} auf {host}', resolved: 'Behoben nach {duration}: Datensicherung {check} auf {host}' },
      updates: { problem: 'Updates ausstehend: {host}', resolved: 'Erledigt: Updates auf {host}' },
      certificate: { problem: 'Zertifikat läuft bald ab: {check}', resolved: 'Erneuert: Zertifikat {check}' },
      security: { problem: 'Sicherheit auf {host}: {findingShort}', resolved: 'Behoben nach {duration}: {check} auf {host}' },
      service: { problem: 'Störung: {check} auf {host}', resolved: 'Behoben nach {duration}: {check} auf {host}' },
    },
    lasted: 'Die Störung dauerte {duration}.',
    flapping: {
      subject: 'Mehrmals kurz gestört: {check} auf {host}',
      up: '„{check}“ auf „{host}“ war in der letzten Zeit mehrmals kurz gestört und läuft derzeit.',
      down: '„{check}“ auf „{host}“ war in der letzten Zeit mehrmals kurz gestört und ist es derzeit wieder.',
    },
    doing: {
      problem: '{brand} ist informiert und kümmert sich darum. Sie müssen nichts unternehmen.',
      resolved: 'Es ist nichts weiter zu tun.',
    },
    since: 'Festgestellt am {at}.',
    signoff: 'Mit freundlichen Grüßen\n{brand}',
    footer: 'Sie erhalten diese Nachricht, weil {brand} Ihre IT-Systeme überwacht.',
  },
};
