/**
 * The contract between the delivery path and one notification channel (email, webhook, ntfy, Telegram, …).
 *
 * The worker renders a channel-neutral `Notice` per contact point and hands it to the channel's sender with that
 * contact point's target. A channel is one file under this folder exporting a `ChannelDefinition`, plus one line in
 * the registry (./registry.ts); its settings and target shapes are TypeBox schemas in shared/src/channels/<kind>.ts.
 * Every message gathers the notices due together for one contact point (a digest): one message per incident or
 * outage wave, never one per check.
 */
import type { Static, TSchema } from '@sinclair/typebox';

/** What the message is about, for channels with priorities or colours. `recovered`: every alert in it resolved. */
export type NoticeSeverity = 'critical' | 'warning' | 'recovered' | 'info';

/** One alert transition inside a notice, as machine-readable facts (webhook payloads carry these). */
export interface NoticeAlert {
  alertId: number;
  incident: number;
  /** firing, changed, resolved, flapping, reminder, escalation (alerting/state-machine.ts AlertEvent). */
  event: string;
  severity: 'WARN' | 'CRIT' | null;
  /** check, agentSilent, agentQuota, hostDown, budget. */
  alertKind: string;
  at: number;
  client: string;
  /** '' for client-level alerts (error budget). */
  agent: string;
  checkId: string;
  check: string;
  /** The result's status, null for alerts no single result causes. */
  status: string | null;
  /** The message in the contact point's language. */
  message: string;
  /** The signed one-click acknowledge link for this alert, null when resolved or no public URL is set. */
  acknowledgeUrl: string | null;
}

/** A message for one contact point, rendered in its language and for its audience. Everything a channel may show. */
export interface Notice {
  /** Stable across every retry of this message to this contact point: services that deduplicate take it as idempotency key. */
  idempotencyKey: string;
  /** The incident thread this message belongs to (stable per incident and contact point), for channels that thread or replace. */
  threadKey: string;
  /** For email threading: the Message-ID of the first message of the thread, when this one follows it. */
  inReplyTo: string | null;
  /** Email only: this message's fixed Message-ID. */
  messageId: string;
  severity: NoticeSeverity;
  audience: 'technical' | 'plain';
  language: 'de' | 'en';
  /** One line, e.g. "CRIT: webshop down (Müller GmbH)". Push titles are cut by the channel, not here. */
  title: string;
  /** At most a few short lines: the push text on a phone. */
  summary: string;
  /** The whole message as plain text (email text part, chat message). */
  text: string;
  /** The whole message as HTML (email). */
  html: string;
  /** The dashboard page of the (first) alert, null without a public URL. */
  dashboardUrl: string | null;
  /** The acknowledge link of the first open alert, null when there is nothing to acknowledge. */
  acknowledgeUrl: string | null;
  alerts: NoticeAlert[];
  /** A "send test message" from the UI/CLI: no alert behind it. */
  test: boolean;
}

/** Where a contact point's messages go, as configured (validated by the channel's target schema before it gets here). */
export interface ContactAddress<Target> {
  /** The contact point's id and label, for logs and errors. */
  id: number;
  label: string;
  target: Target;
}

/** Why a send failed, so the worker knows whether to retry. Channels throw this; anything else counts as transient. */
export class ChannelError extends Error {
  constructor(
    message: string,
    /** permanent: retrying cannot help (bad token, unknown chat, revoked webhook): give up and say so. transient: retry with backoff. */
    readonly kind: 'permanent' | 'transient',
    /** The service asked to wait this long (429 Retry-After): the next attempt is not before it. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** What a channel may use besides its settings: an HTTP client tests can point at loopback, a log, the clock. */
export interface ChannelDeps {
  fetch: typeof globalThis.fetch;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  clock: () => number;
}

/** A live channel: `send` resolves once the service accepted the message, and throws (a ChannelError ideally) otherwise. */
export interface ChannelSender<Target> {
  send(notice: Notice, to: ContactAddress<Target>): Promise<void>;
  close(): void;
}

/** One channel kind. `settings` is collector-wide (SMTP server, bot token), `target` per contact point (address, chat id, URL). */
export interface ChannelDefinition<S extends TSchema | null = TSchema | null, T extends TSchema = TSchema> {
  kind: string;
  /** Shown in the UI. */
  label: string;
  /** Collector-wide settings under `channels.<kind>` in the YAML; null when the channel needs none. */
  settingsSchema: S;
  /** One contact point's target. */
  targetSchema: T;
  /**
   * The contact point's identity within its channel (the address, chat id, topic URL, webhook URL): one contact point
   * per (client, channel, address). Unmasked; it stays in the database and is never logged.
   */
  address(target: Static<T>): string;
  /** The target as shown in the UI and logs, secrets (tokens, URL paths that are credentials) masked. */
  describe(target: Static<T>): string;
  /** Throws an Error with a plain reason when the channel cannot start (settings missing); called once at start. */
  create(settings: S extends TSchema ? Static<S> | undefined : undefined, deps: ChannelDeps): ChannelSender<Static<T>>;
}
