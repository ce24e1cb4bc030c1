import { catalogs, formatTime } from '../notify/templates/render.ts';

/**
 * The small HTML pages behind the acknowledge link in the consultant's mail, in the recipient's language.
 * No script: a form that posts back to the same signed URL, so a mail scanner prefetching the link acknowledges nothing.
 */
export type AckLanguage = 'de' | 'en';

/** What the page tells about the alert (its current incident). */
export interface AckAlertView {
  checkName: string;
  host: string;
  clientName: string;
  state: string;
  severity: string | null;
  message: string;
  /** When the current incident began. */
  since: number;
  ackedAt: number | null;
  ackedBy: string | null;
}

export type AckPage =
  | { kind: 'confirm'; alert: AckAlertView; action: string }
  | { kind: 'acknowledged'; alert: AckAlertView }
  | { kind: 'alreadyAcknowledged'; alert: AckAlertView }
  | { kind: 'nothingToAcknowledge'; alert: AckAlertView }
  | { kind: 'staleIncident'; alert: AckAlertView }
  | { kind: 'expired'; expiresAt: number }
  | { kind: 'invalid' }
  | { kind: 'notFound' };

const text = {
  de: {
    title: 'Alarm bestätigen',
    labels: { check: 'Prüfung', host: 'Rechner', client: 'Kunde', since: 'Seit', state: 'Zustand', message: 'Meldung' },
    confirm: 'Mit „Bestätigen“ übernehmen Sie den Vorfall: Erinnerungen und Eskalation hören für ihn auf. Die Entwarnung kommt trotzdem.',
    button: 'Bestätigen',
    acknowledged: 'Bestätigt von {by} am {at}.',
    alreadyAcknowledged: 'Dieser Vorfall ist bereits bestätigt: von {by} am {at}.',
    nothingToAcknowledge: 'Dieser Alarm ist nicht mehr aktiv; es gibt nichts zu bestätigen.',
    staleIncident: 'Dieser Link gehört zu einem früheren, inzwischen beendeten Vorfall dieses Alarms. Für den aktuellen Vorfall nutzen Sie bitte den Link aus der neuesten Mail oder das Dashboard.',
    expired: 'Dieser Bestätigungslink ist abgelaufen (gültig bis {at}). Bitte bestätigen Sie den Alarm im Dashboard.',
    invalid: 'Dieser Bestätigungslink ist ungültig. Vielleicht wurde er beim Kopieren abgeschnitten; öffnen Sie ihn bitte direkt aus der Mail oder bestätigen Sie den Alarm im Dashboard.',
    notFound: 'Diesen Alarm gibt es nicht mehr.',
  },
  en: {
    title: 'Acknowledge alert',
    labels: { check: 'Check', host: 'Host', client: 'Client', since: 'Since', state: 'State', message: 'Message' },
    confirm: 'Acknowledging takes the incident on: reminders and escalation stop for it. The resolved notice still goes out.',
    button: 'Acknowledge',
    acknowledged: 'Acknowledged by {by} at {at}.',
    alreadyAcknowledged: 'This incident is already acknowledged: by {by} at {at}.',
    nothingToAcknowledge: 'This alert is no longer active; there is nothing to acknowledge.',
    staleIncident: 'This link belongs to an earlier incident of this alert, which is over. For the current incident, use the link in the latest mail or the dashboard.',
    expired: 'This acknowledge link has expired (valid until {at}). Please acknowledge the alert in the dashboard.',
    invalid: 'This acknowledge link is not valid. It may have been cut off when copied; please open it straight from the mail, or acknowledge the alert in the dashboard.',
    notFound: 'This alert no longer exists.',
  },
} satisfies Record<AckLanguage, unknown>;

/** The page's language: the one the link was mailed in, else the browser's, else English. */
export function ackLanguage(fromLink: unknown, acceptLanguage: string | undefined): AckLanguage {
  if (fromLink === 'de' || fromLink === 'en') return fromLink;
  return /^\s*de\b/i.test(acceptLanguage ?? '') ? 'de' : 'en';
}

/** HTTP status of each page: refusals are not 200, so nothing mistakes them for success. */
export function ackStatus(page: AckPage): number {
  switch (page.kind) {
    case 'invalid':
      return 403;
    case 'expired':
      return 410;
    case 'notFound':
      return 404;
    default:
      return 200;
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => escapeHtml(values[key] ?? whole));
}

export function renderAckPage(page: AckPage, language: AckLanguage, timeZone: string): string {
  const t = text[language];
  const time = (at: number) => formatTime(at, catalogs[language], timeZone);
  const facts = (a: AckAlertView) =>
    `<table>${(
      [
        [t.labels.check, a.checkName],
        [t.labels.host, a.host],
        [t.labels.client, a.clientName],
        [t.labels.since, time(a.since)],
        [t.labels.state, a.severity ? `${a.state} (${a.severity})` : a.state],
        [t.labels.message, a.message],
      ] as const
    )
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
      .join('')}</table>`;
  const note = (kind: string, html: string) => `<p class="note ${kind}" role="status">${html}</p>`;
  let body: string;
  switch (page.kind) {
    case 'confirm':
      body = `${facts(page.alert)}<p>${escapeHtml(t.confirm)}</p><form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="confirm" value="1"><button type="submit">${escapeHtml(t.button)}</button></form>`;
      break;
    case 'acknowledged':
      body = note('done', fill(t.acknowledged, { by: page.alert.ackedBy ?? '?', at: time(page.alert.ackedAt ?? 0) })) + facts(page.alert);
      break;
    case 'alreadyAcknowledged':
      body = note('done', fill(t.alreadyAcknowledged, { by: page.alert.ackedBy ?? '?', at: time(page.alert.ackedAt ?? 0) })) + facts(page.alert);
      break;
    case 'nothingToAcknowledge':
      body = note('info', escapeHtml(t.nothingToAcknowledge)) + facts(page.alert);
      break;
    case 'staleIncident':
      body = note('info', escapeHtml(t.staleIncident)) + facts(page.alert);
      break;
    case 'expired':
      body = note('refused', fill(t.expired, { at: time(page.expiresAt) }));
      break;
    case 'invalid':
      body = note('refused', escapeHtml(t.invalid));
      break;
    case 'notFound':
      body = note('refused', escapeHtml(t.notFound));
      break;
  }
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title)} – Nines</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:1rem 0}th{text-align:left;padding:.25rem 1rem .25rem 0;color:#555;font-weight:600}td{padding:.25rem 0}
button{font-size:1.1rem;padding:.6rem 1.6rem;border:0;border-radius:.4rem;background:#0b57d0;color:#fff;cursor:pointer}
.note{padding:.75rem 1rem;border-radius:.4rem}.done{background:#e6f4ea}.info{background:#eef3fb}.refused{background:#fce8e6}
</style></head>
<body><h1>${escapeHtml(t.title)}</h1>
${body}
</body></html>
`;
}
