import type { RecipientConfig } from '@nines/shared';
import type { RecipientFields, RecipientRepository } from '../store/recipients.ts';

export type RecipientInput = Omit<RecipientConfig, 'client'> & { clientId: number | null; enabled?: boolean };

/** A recipient as given (YAML or API) with every default filled in; throws on an unknown time zone. */
export function recipientFields(input: RecipientInput): RecipientFields {
  assertTimeZone(input.timezone);
  return {
    clientId: input.clientId, name: input.name, email: input.email.toLowerCase(), audience: input.audience, language: input.language ?? 'de',
    timezone: input.timezone ?? 'Europe/Berlin', quietHours: input.quietHours ? { from: input.quietHours.from, to: input.quietHours.to } : null,
    minSeverity: input.minSeverity ?? 'WARN', reminders: input.reminders !== false, resolved: input.resolved !== false,
    escalationOnly: input.escalationOnly === true, enabled: input.enabled !== false,
  };
}

/** Creates or updates the recipient with this client and email (the key); returns its id. Throws on an unknown time zone. */
export function upsertRecipient(recipients: RecipientRepository, input: RecipientInput, now: number): number {
  return recipients.upsert(recipientFields(input), now);
}

export function assertTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
}
