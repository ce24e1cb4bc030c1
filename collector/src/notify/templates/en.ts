import type { Catalog } from './catalog.ts';

export const en: Catalog = {
  numericMonth: false,
  locale: 'en-GB',
  subject: {
    technical: {
      firing: '[{severity}] {client} · {host} · {check}: {message}',
      changed: '[{severity}] {client} · {host} · {check}: now {severity}',
      resolved: '[RESOLVED] {client} · {host} · {check} after {duration}',
      flapping: '[FLAPPING] {client} · {host} · {check}: {state}',
      reminder: '[{severity}] still failing: {client} · {host} · {check}',
      escalation: '[ESCALATION] unacknowledged: {client} · {host} · {check}',
    },
    digest: { technical: '[Nines] {summary}: {clients}', plain: '{summary}: {clients}' },
    counts: {
      problem: { one: '{n} problem', other: '{n} problems' },
      resolved: { one: '{n} resolved', other: '{n} resolved' },
      flapping: { one: '{n} flapping', other: '{n} flapping' },
      reminder: { one: '{n} still failing', other: '{n} still failing' },
      escalation: { one: '{n} escalated', other: '{n} escalated' },
    },
  },
  units: { minute: 'min', hour: 'h', day: 'd', underAMinute: 'less than 1 min' },
  technical: {
    intro: '{count} alert change(s):',
    event: {
      firing: 'FIRING',
      changed: 'SEVERITY CHANGED',
      resolved: 'RESOLVED',
      flapping: 'FLAPPING (state changes too often; further changes are not mailed one by one)',
      reminder: 'REMINDER (still firing, not acknowledged)',
      escalation: 'ESCALATION (firing and not acknowledged)',
    },
    labels: {
      client: 'Client', host: 'Host', check: 'Check', kind: 'Kind', severity: 'Severity', state: 'State', message: 'Message', metrics: 'Metrics', at: 'At',
      incident: 'Incident', duration: 'Duration',
    },
    flappingRow: 'FLAPPING: {state}',
    flappingState: '{outages} outages in {window}, currently {status}',
    ack: 'Acknowledge',
    open: 'Open in Nines',
    allHosts: 'all hosts',
    hostDown: 'host down',
    agentQuota: 'agent over its quota',
    errorBudget: 'error budget',
  },
  test: { title: 'Nines: test message', text: 'This is a test message from {brand} for "{name}" over {channel}. If you can read it, alerts arrive here.' },
  channel: {
    failing: { title: '[Nines] Delivery over {channel} is failing', text: 'Since {since}, Nines cannot deliver messages over {channel} ({failures} attempts in a row). Last error: {error}. Alerts are still sent over the other contact points; please check the contact point in Management.' },
    recovered: { title: '[Nines] Delivery over {channel} works again', text: 'Since {at}, {channel} accepts messages again; what piled up is being delivered.' },
  },
  delivery: {
    failing: {
      subject: '[Nines] Nines cannot deliver alert emails',
      body: [
        'Hello {name},',
        'Since {since}, Nines has not been able to send alert emails through the configured SMTP server ({failures} attempts in a row). Alerts are still detected and kept; {pending} mail(s) are waiting and go out as soon as the server accepts them again.',
        'Last error: {error}',
        'Please check the SMTP settings (smtp: in the collector configuration) and the dashboard. This message came through the fallback server (smtp.fallback); it is sent once until delivery works again.',
      ],
    },
    recovered: {
      subject: '[Nines] Alert emails are delivered again',
      body: ['Hello {name},', 'since {at}, the SMTP server accepts alert emails again. What piled up in the meantime is being delivered now.'],
    },
  },
  plain: {
    greeting: 'Hello {name},',
    intro: 'our monitoring noticed the following:',
    topic: {
      agent: { problem: 'We have lost contact with the computer "{host}". It may be switched off or offline.', resolved: 'The computer "{host}" is reachable again.' },
      host: { problem: 'The computer "{host}" is down: its important services cannot be reached.', resolved: 'The computer "{host}" is up and running again.' },
      budget: {
        problem:
          'So far this month, there have been {spentMinutes} minutes of downtime. The agreed availability of {target} % allows {budgetMinutes} minutes in the whole month, so {spentPercent} % of that allowance is used up. The promise still holds; we are now paying particular attention to keeping it that way.',
        resolved: 'A new month has begun; the allowed downtime starts again from zero.',
      },
      budgetMissed: {
        problem:
          'So far this month, there have been {spentMinutes} minutes of downtime, more than the {budgetMinutes} minutes the agreed availability of {target} % allows in the whole month. The {target} % will therefore not be reached this month.',
        resolved: 'A new month has begun; the allowed downtime starts again from zero.',
      },
      backup: { problem: 'The backup "{check}" on "{host}" has not completed on time.', resolved: 'The backup "{check}" on "{host}" is up to date again.' },
      updates: { problem: 'The computer "{host}" is waiting for important updates or a restart.', resolved: 'The computer "{host}" is up to date again.' },
      certificate: { problem: 'The security certificate "{check}" will expire soon.', resolved: 'The security certificate "{check}" has been renewed.' },
      security: { problem: 'On the computer "{host}": {finding}', resolved: 'On the computer "{host}" this is in order again: {finding}' },
      service: { problem: '"{check}" on "{host}" is not working as it should.', resolved: '"{check}" on "{host}" is working normally again.' },
    },
    subject: {
      agent: { problem: 'No contact: {host}', resolved: 'Resolved after {duration}: contact with {host}' },
      host: { problem: 'Down: {host}', resolved: 'Resolved after {duration}: {host} was down' },
      budget: { problem: 'Downtime this month: {spentPercent} % of the allowance used', resolved: 'New month: the allowed downtime starts again' },
      budgetMissed: { problem: 'Availability promise not met this month', resolved: 'New month: the allowed downtime starts again' },
      backup: { problem: 'Backup overdue: {check} on {host}', resolved: 'Resolved after {duration}: backup {check} on {host}' },
      updates: { problem: 'Updates pending: {host}', resolved: 'Done: updates on {host}' },
      certificate: { problem: 'Certificate expires soon: {check}', resolved: 'Renewed: certificate {check}' },
      security: { problem: 'Security on {host}: {findingShort}', resolved: 'Resolved after {duration}: {check} on {host}' },
      service: { problem: 'Problem: {check} on {host}', resolved: 'Resolved after {duration}: {check} on {host}' },
    },
    lasted: 'The outage lasted {duration}.',
    flapping: {
      subject: 'Several short outages: {check} on {host}',
      up: '"{check}" on "{host}" had several short outages recently and is working now.',
      down: '"{check}" on "{host}" had several short outages recently and is failing again now.',
    },
    doing: {
      problem: '{brand} has been notified and is taking care of it. You do not need to do anything.',
      resolved: 'No further action is needed.',
    },
    since: 'Noticed at {at}.',
    signoff: 'Kind regards,\n{brand}',
    footer: 'You receive this message because {brand} monitors your IT systems.',
  },
};
