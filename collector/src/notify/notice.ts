import { renderResultMessage } from '@nines/shared';
import type { Recipient } from '../store/recipients.ts';
import type { Digest } from '../store/outbox.ts';
import type { Notice, NoticeAlert, NoticeSeverity } from './channels/channel.ts';
import type { NoticeItem } from './outbox.ts';
import { catalogs, renderNotice, renderSummary, type RenderOptions } from './templates/render.ts';

/** What a whole message is about: recovered when every item is a recovery, else its worst severity. */
export function noticeSeverity(items: readonly NoticeItem[]): NoticeSeverity {
  if (items.every((i) => i.event === 'resolved')) return 'recovered';
  const open = items.filter((i) => i.event !== 'resolved');
  if (open.some((i) => i.severity === 'CRIT')) return 'critical';
  if (open.some((i) => i.severity === 'WARN')) return 'warning';
  return 'info';
}

/** `<nines.12.3.1764…@host>` → `nines.12.3.1764…`: the digest's identity, the same on every retry. */
function keyOf(messageId: string): string {
  return messageId.replace(/^</, '').replace(/@[^@]*$/, '');
}

/** A digest for one contact point as every channel reads it: rendered in its language for its audience, with the facts and links. */
export function noticeFor(digest: Digest, items: readonly NoticeItem[], recipient: Recipient, options: RenderOptions): Notice {
  const rendered = renderNotice(items, recipient, options);
  const base = options.publicUrl?.replace(/\/$/, '') ?? null;
  const alerts: NoticeAlert[] = items.map((item) => ({
    alertId: item.alertId, incident: item.incident, event: item.event, severity: item.severity, alertKind: item.alertKind, at: item.at,
    client: item.clientName, agent: item.agentName, checkId: item.checkId, check: item.checkName, status: item.status,
    message: renderResultMessage(item.code ?? null, item.params ?? null, recipient.language, item.message),
    acknowledgeUrl: item.event === 'resolved' ? null : options.ackLink(item.alertId, item.incident, recipient),
  }));
  const first = items[0]!;
  return {
    idempotencyKey: keyOf(digest.messageId),
    threadKey: `nines.${first.alertId}.${first.incident}.${recipient.id}`,
    inReplyTo: digest.inReplyTo,
    messageId: digest.messageId,
    severity: noticeSeverity(items),
    audience: recipient.audience,
    language: recipient.language,
    title: rendered.subject,
    summary: renderSummary(items, recipient),
    text: rendered.text,
    html: rendered.html,
    // The client's own view has no alert pages: a plain notice links nowhere but the acknowledge page.
    dashboardUrl: base && recipient.audience === 'technical' ? `${base}/#/alerts/${first.alertId}` : null,
    acknowledgeUrl: alerts.find((a) => a.acknowledgeUrl !== null)?.acknowledgeUrl ?? null,
    alerts,
    test: false,
  };
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A message with no alert behind it (a test, a "cannot deliver over X"), for one contact point. */
export function plainNotice(recipient: Recipient, key: string, severity: NoticeSeverity, title: string, text: string, test: boolean, domain: string): Notice {
  return {
    idempotencyKey: key, threadKey: key, inReplyTo: null, messageId: `<${key}@${domain}>`, severity, audience: recipient.audience, language: recipient.language,
    title, summary: text, text,
    html: `<!doctype html>\n<html><head><meta charset="utf-8"></head><body style="font-family:sans-serif"><p>${escapeHtml(text)}</p></body></html>\n`,
    dashboardUrl: null, acknowledgeUrl: null, alerts: [], test,
  };
}

/** The "send test message" notice for a contact point. */
export function testNotice(recipient: Recipient, channelLabel: string, brand: string, now: number, domain: string): Notice {
  const c = catalogs[recipient.language].test;
  const values = { brand, name: recipient.name, channel: channelLabel };
  return plainNotice(recipient, `nines.test.${recipient.id}.${now}`, 'info', fill(c.title, values), fill(c.text, values), true, domain);
}

/** The notice telling a consultant over another contact point that `channel` keeps failing, or works again. */
export function channelStateNotice(
  recipient: Recipient, kind: 'failing' | 'recovered', values: Record<string, string>, now: number, domain: string,
): Notice {
  const c = catalogs[recipient.language].channel[kind];
  return plainNotice(recipient, `nines.channel-${kind}.${(values.channel ?? '').replace(/[^A-Za-z0-9]+/g, '-')}.${recipient.id}.${now}`, kind === 'failing' ? 'warning' : 'recovered', fill(c.title, values), fill(c.text, values), false, domain);
}
