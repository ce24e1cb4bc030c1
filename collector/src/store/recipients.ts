import type { AlertAudience } from '@nines/shared';
import type { QuietHours } from '../alerting/quiet-hours.ts';
import type { Severity } from '../alerting/state-machine.ts';

export interface Recipient {
  id: number;
  /** null: told about every client (the consultant). */
  clientId: number | null;
  name: string;
  email: string;
  audience: AlertAudience;
  language: 'de' | 'en';
  timezone: string;
  quietHours: QuietHours | null;
  minSeverity: Severity;
  reminders: boolean;
  resolved: boolean;
  escalationOnly: boolean;
  enabled: boolean;
}

/** A recipient to store, every field decided (alerting/recipients.ts fills the defaults and checks the time zone). */
export type RecipientFields = Omit<Recipient, 'id'>;

/**
 * Who is told about alerts (migration 004's recipients): API-managed, seeded from the YAML config; (client, email)
 * is the key. Reached as `store.recipients`.
 */
export interface RecipientRepository {
  /** Creates the recipient with this client and email, or updates every other field of the existing one; returns its id. */
  upsert(recipient: RecipientFields, now: number): number;
  /** A recipient by id (enabled or not). */
  get(id: number): Recipient | undefined;
  /** Every recipient, the all-clients ones first, then by client and email. */
  list(): Recipient[];
  /** Enabled recipients told about this client: its own and the all-clients ones, by id. */
  forClient(clientId: number): Recipient[];
  /** Deletes a recipient, or disables it when mail was already queued for it (the outbox keeps its history); false when there is none. */
  remove(id: number): boolean;
}
