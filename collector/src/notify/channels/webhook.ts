import { createHmac } from 'node:crypto';
import { WebhookTargetSchema, type WebhookPayload, type WebhookTarget } from '@nines/shared';
import type { ChannelDefinition, Notice } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { maskUrl } from './text.ts';

/**
 * A generic webhook: the notice as a `WebhookPayload` (shared/src/channels/webhook.ts) POSTed as JSON. Our own
 * contract, so the conventions are the common ones receivers know (GitHub, Stripe): `X-Nines-Signature:
 * sha256=<hex>` is the HMAC-SHA256 of the exact body bytes with the target's secret, `X-Nines-Timestamp` lets a
 * receiver refuse replays, `Idempotency-Key` (= payload id) lets it drop the duplicate of a retried delivery.
 */
export const webhook: ChannelDefinition<null, typeof WebhookTargetSchema> = {
  kind: 'webhook',
  label: 'Webhook',
  settingsSchema: null,
  targetSchema: WebhookTargetSchema,
  address: (target: WebhookTarget) => target.url,
  describe: (target: WebhookTarget) => `${maskUrl(target.url)}${target.secret ? ' (signed)' : ''}`,
  create(_settings, deps) {
    return {
      async send(notice, to) {
        const sentAt = deps.clock();
        const body = JSON.stringify(webhookPayload(notice, sentAt));
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'x-nines-timestamp': String(sentAt),
          'idempotency-key': notice.idempotencyKey,
        };
        if (to.target.secret) headers['x-nines-signature'] = `sha256=${createHmac('sha256', to.target.secret).update(body).digest('hex')}`;
        const what = `webhook ${webhook.describe(to.target)}`;
        await acceptOrThrow(await post(deps.fetch, to.target.url, { headers, body }, what), what, deps.clock());
      },
      close() {},
    };
  },
};

/** The payload, field by field, so nothing of the notice leaks into the public contract by accident (html, messageId). */
export function webhookPayload(notice: Notice, sentAt: number): WebhookPayload {
  return {
    version: 1,
    id: notice.idempotencyKey,
    thread: notice.threadKey,
    test: notice.test,
    severity: notice.severity,
    audience: notice.audience,
    language: notice.language,
    title: notice.title,
    summary: notice.summary,
    text: notice.text,
    dashboardUrl: notice.dashboardUrl,
    acknowledgeUrl: notice.acknowledgeUrl,
    alerts: notice.alerts.map((a) => ({
      alertId: a.alertId, incident: a.incident, event: a.event, severity: a.severity, alertKind: a.alertKind, at: a.at,
      client: a.client, agent: a.agent, checkId: a.checkId, check: a.check, status: a.status, message: a.message,
      acknowledgeUrl: a.acknowledgeUrl,
    })),
    sentAt,
  };
}
