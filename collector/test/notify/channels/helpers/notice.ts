import type { ChannelDeps, Notice, NoticeAlert } from '../../../../src/notify/channels/channel.ts';

/** A CRIT alert on a client's webshop, as the worker would hand it to a channel. */
export function sampleAlert(overrides: Partial<NoticeAlert> = {}): NoticeAlert {
  return {
    alertId: 7, incident: 1, event: 'opened', severity: 'CRIT', alertKind: 'check', at: Date.UTC(2026, 10, 3, 9, 15),
    client: 'Müller GmbH', agent: 'pc-01', checkId: 'webshop', check: 'Webshop', status: 'CRIT',
    message: 'Verbindung zu 127.0.0.1:18511 abgelehnt', acknowledgeUrl: 'https://nines.example/ack/abc.def', ...overrides,
  };
}

/** A notice with one open CRIT alert, in German for the consultant; override what a test varies. */
export function sampleNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    idempotencyKey: 'nines.12.3.1764753300000', threadKey: 'nines.7.1.3', inReplyTo: null, messageId: '<nines.12.3.1764753300000@nines.example>',
    severity: 'critical', audience: 'technical', language: 'de',
    title: '[CRIT] Müller GmbH · pc-01 · Webshop', summary: 'Webshop auf pc-01: Verbindung zu 127.0.0.1:18511 abgelehnt',
    text: 'Webshop auf pc-01 (Müller GmbH) ist ausgefallen.\nVerbindung zu 127.0.0.1:18511 abgelehnt',
    html: '<p>Webshop auf pc-01 (Müller GmbH) ist ausgefallen.</p>',
    dashboardUrl: 'https://nines.example/#/alerts/7', acknowledgeUrl: 'https://nines.example/ack/abc.def',
    alerts: [sampleAlert()], test: false, ...overrides,
  };
}

/** Channel dependencies for a test: the real fetch, a log that keeps its lines, a fixed clock. */
export function testDeps(now = Date.UTC(2026, 10, 3, 9, 15)): ChannelDeps & { lines: Array<{ obj: object; msg: string }> } {
  const lines: Array<{ obj: object; msg: string }> = [];
  return {
    fetch: globalThis.fetch,
    log: { warn: (obj, msg) => void lines.push({ obj, msg }), info: (obj, msg) => void lines.push({ obj, msg }) },
    clock: () => now,
    lines,
  };
}
