/**
 * Generic webhook contact points: Nines POSTs `WebhookPayload` as JSON to the target URL. The payload is a public,
 * versioned contract (receivers validate against this schema), so fields are only ever added, never changed.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PostUrl } from './url.ts';

const NullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const WebhookTargetSchema = Type.Object(
  {
    url: PostUrl('the receiver URL (http or https) the payload is POSTed to'),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: 'shared secret: when set, each request carries X-Nines-Signature: sha256=<hex HMAC-SHA256 of the body>' })),
  },
  { additionalProperties: false },
);
export type WebhookTarget = Static<typeof WebhookTargetSchema>;

/** One alert transition, as in the collector's NoticeAlert. */
export const WebhookAlertSchema = Type.Object(
  {
    alertId: Type.Integer({ description: 'the alert, stable across its incidents' }),
    incident: Type.Integer({ description: 'the incident number of this alert' }),
    event: Type.String({ description: 'firing, changed, resolved, flapping, reminder, escalation' }),
    severity: Type.Union([Type.Literal('WARN'), Type.Literal('CRIT'), Type.Null()], { description: 'null for alerts without a severity' }),
    alertKind: Type.String({ description: 'check, agentSilent, agentQuota, hostDown, budget' }),
    at: Type.Integer({ description: 'when the transition happened, ms since the epoch' }),
    client: Type.String(),
    agent: Type.String({ description: "'' for client-level alerts (error budget)" }),
    checkId: Type.String(),
    check: Type.String(),
    status: NullableString("the result's status, null when no single result causes the alert"),
    message: Type.String({ description: "in the contact point's language" }),
    acknowledgeUrl: NullableString('signed one-click acknowledge link, null when resolved or no public URL is set'),
  },
  { additionalProperties: false },
);

export const WebhookPayloadSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'payload format version' }),
    id: Type.String({ description: 'the same for every retry of this message: receivers deduplicate on it (also the Idempotency-Key header)' }),
    thread: Type.String({ description: 'the incident thread, stable per incident and contact point' }),
    test: Type.Boolean({ description: 'a "send test message", no alert behind it' }),
    severity: Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('recovered'), Type.Literal('info')]),
    audience: Type.Union([Type.Literal('technical'), Type.Literal('plain')]),
    language: Type.Union([Type.Literal('de'), Type.Literal('en')]),
    title: Type.String({ description: 'one line' }),
    summary: Type.String({ description: 'a few short lines' }),
    text: Type.String({ description: 'the whole message as plain text' }),
    dashboardUrl: NullableString('dashboard page of the first alert, null without a public URL'),
    acknowledgeUrl: NullableString('acknowledge link of the first open alert'),
    alerts: Type.Array(WebhookAlertSchema),
    sentAt: Type.Integer({ description: 'when this attempt was sent, ms since the epoch (also X-Nines-Timestamp)' }),
  },
  { additionalProperties: false },
);
export type WebhookPayload = Static<typeof WebhookPayloadSchema>;
