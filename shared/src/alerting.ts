/** Alerting and email configuration of the collector (the `smtp:` and `alerting:` sections of its YAML file). */
import { Type, type Static } from '@sinclair/typebox';
import { DurationSchema } from './time.ts';

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'local time HH:MM' });

const smtpServerFields = {
    host: Type.String({ minLength: 1 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'default 587 (465 when secure)' })),
    secure: Type.Optional(Type.Boolean({ description: 'TLS from the first byte (port 465); otherwise STARTTLS when offered' })),
    requireTls: Type.Optional(Type.Boolean({ description: 'refuse to send without STARTTLS' })),
    user: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    from: Type.String({ minLength: 3, description: 'sender, e.g. "Nines <alerts@example.com>"' }),
    rejectUnauthorized: Type.Optional(Type.Boolean({ description: 'verify the server certificate (default true)' })),
    timeout: Type.Optional(DurationSchema),
};

/** A second SMTP server/account, used only to tell the consultant that alert mail is not going out (and when it is again). */
export const SmtpFallbackConfigSchema = Type.Object(smtpServerFields, { additionalProperties: false });
export type SmtpFallbackConfig = Static<typeof SmtpFallbackConfigSchema>;

export const SmtpConfigSchema = Type.Object(
  { ...smtpServerFields, fallback: Type.Optional(SmtpFallbackConfigSchema) },
  { additionalProperties: false },
);
export type SmtpConfig = Static<typeof SmtpConfigSchema>;

export const AlertAudienceSchema = Type.Union([Type.Literal('technical'), Type.Literal('plain')], {
  description: 'technical: the consultant (host, check, metrics, links); plain: the client, in words',
});
export type AlertAudience = Static<typeof AlertAudienceSchema>;

/**
 * One contact point: either `email: …` or `channel` with its `target`. The target is checked against the channel's
 * own schema (shared/src/channels) when the recipient is stored, so the error names the channel's field.
 */
export const RecipientConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'who this reaches; several contact points of one person share the name' }),
    email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', description: 'shorthand for channel: email, target: { address }' })),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'email, webhook, ntfy, telegram, teams, slack, pushover, gotify, signal, apprise' })),
    target: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "where the channel delivers, as the channel's target schema says (docs/alerting.md)" })),
    client: Type.Optional(Type.String({ description: 'client name; omitted = every client (the consultant)' })),
    audience: AlertAudienceSchema,
    language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
    timezone: Type.Optional(Type.String({ description: 'IANA zone, e.g. Europe/Berlin' })),
    quietHours: Type.Optional(Type.Object({ from: ClockTime, to: ClockTime }, { additionalProperties: false })),
    minSeverity: Type.Optional(Type.Union([Type.Literal('WARN'), Type.Literal('CRIT')])),
    reminders: Type.Optional(Type.Boolean()),
    resolved: Type.Optional(Type.Boolean({ description: 'send resolved notices (default true)' })),
    escalationOnly: Type.Optional(Type.Boolean({ description: 'only told when an alert stays unacknowledged past escalateAfter' })),
    reports: Type.Optional(Type.Boolean({ description: "receives the client's monthly and yearly reports; default true for a client's e-mail contact points, false otherwise" })),
  },
  { additionalProperties: false },
);
export type RecipientConfig = Static<typeof RecipientConfigSchema>;

export const AlertingConfigSchema = Type.Object(
  {
    failuresToFire: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'consecutive failures, default 3' })),
    successesToResolve: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'consecutive successes, default 2' })),
    flapWindow: Type.Optional(DurationSchema),
    flapChanges: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'state changes within flapWindow that mean FLAPPING' })),
    groupWindow: Type.Optional(DurationSchema),
    reminderEvery: Type.Optional(Type.Union([Type.Null(), DurationSchema])),
    escalateAfter: Type.Optional(Type.Union([Type.Null(), DurationSchema])),
    retryBase: Type.Optional(DurationSchema),
    retryMax: Type.Optional(DurationSchema),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    tick: Type.Optional(DurationSchema),
    brand: Type.Optional(Type.String({ description: "the consultant's name or brand, shown to clients" })),
    deadManUrl: Type.Optional(Type.String({ description: 'pinged on every deadManEvery; an outside service alerts when pings stop' })),
    deadManEvery: Type.Optional(DurationSchema),
    recipients: Type.Optional(Type.Array(RecipientConfigSchema)),
    budgetThresholds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 1000 }), {
        maxItems: 10,
        description: "percent of a client's monthly error budget spent that alerts, once per month each; default [50, 100]; [] = never",
      }),
    ),
    budgetEvery: Type.Optional(DurationSchema),
    fallbackAfter: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'failed sends in a row before the fallback SMTP tells the consultant; default 3' })),
    fallbackAfterTime: Type.Optional(DurationSchema),
  },
  { additionalProperties: false },
);
export type AlertingConfig = Static<typeof AlertingConfigSchema>;
