import type { AlertAudience } from '@nines/shared';
import type { QuietHours } from '../alerting/quiet-hours.ts';
import type { Severity } from '../alerting/state-machine.ts';

/**
 * One contact point: a way of reaching someone (an e-mail address, an ntfy topic, a Telegram chat, a webhook) with
 * the audience, language and quiet hours that go with it. Several contact points of one person share a name.
 */
export interface Recipient {
  id: number;
  /** null: told about every client (the consultant). */
  clientId: number | null;
  name: string;
  /** The channel kind (notify/channels/registry.ts): email, webhook, ntfy, telegram, … */
  channel: string;
  /** The target's identity within the channel (the e-mail address, chat id, topic or webhook URL); with client and channel, the key. */
  address: string;
  /** The whole target as the channel's target schema has it, e.g. { address } for email, { topic, server } for ntfy. */
  target: Record<string, unknown>;
  audience: AlertAudience;
  language: 'de' | 'en';
  timezone: string;
  quietHours: QuietHours | null;
  minSeverity: Severity;
  reminders: boolean;
  resolved: boolean;
  escalationOnly: boolean;
  /** Receives the client's monthly and yearly report mails (migration 012). */
  reports: boolean;
  enabled: boolean;
}

/** A recipient to store, every field decided (alerting/recipients.ts fills the defaults and checks the time zone). */
export type RecipientFields = Omit<Recipient, 'id'>;

/**
 * Who is told about alerts, one row per contact point (migrations 004 and 011): API-managed, seeded from the YAML
 * config; (client, channel, address) is the key. Reached as `store.recipients`.
 */
export interface RecipientRepository {
  /** Creates the contact point with this client, channel and address, or updates every other field of the existing one; returns its id. */
  upsert(recipient: RecipientFields, now: number): Promise<number>;
  /** A recipient by id (enabled or not). */
  get(id: number): Promise<Recipient | undefined>;
  /** Every recipient, the all-clients ones first, then by client, channel and address. */
  list(): Promise<Recipient[]>;
  /** Enabled recipients told about this client: its own and the all-clients ones, by id. */
  forClient(clientId: number): Promise<Recipient[]>;
  /** Deletes a recipient, or disables it when mail was already queued for it (the outbox keeps its history); false when there is none. */
  remove(id: number): Promise<boolean>;
}
