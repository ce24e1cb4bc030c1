import { compileValidator, type RecipientConfig, type Validator } from '@nines/shared';
import type { TSchema } from '@sinclair/typebox';
import type { RecipientFields, RecipientRepository } from '../store/recipients.ts';
import { channelDefinition, channelDefinitions } from '../notify/channels/registry.ts';

export type RecipientInput = Omit<RecipientConfig, 'client'> & { clientId: number | null; enabled?: boolean };

const targetValidators = new Map<string, Validator<TSchema>>();
function targetValidator(kind: string, schema: TSchema): Validator<TSchema> {
  let validator = targetValidators.get(kind);
  if (!validator) targetValidators.set(kind, (validator = compileValidator(schema)));
  return validator;
}

/**
 * The contact point a recipient names: `email: x` is shorthand for channel email, target { address: x }; otherwise
 * `channel` and `target`, the target checked against that channel's schema. Throws with the field at fault.
 */
export function contactPointOf(input: Pick<RecipientConfig, 'name' | 'email' | 'channel' | 'target'>): { channel: string; address: string; target: Record<string, unknown> } {
  const who = `recipient "${input.name}"`;
  if (input.email !== undefined && input.channel !== undefined && input.channel !== 'email') throw new Error(`${who}: give either email or channel with target, not both`);
  if (input.email !== undefined && input.target !== undefined) throw new Error(`${who}: give either email or channel with target, not both`);
  const kind = input.email !== undefined ? 'email' : input.channel;
  if (kind === undefined) throw new Error(`${who}: needs email, or channel with target`);
  const definition = channelDefinition(kind);
  if (!definition) throw new Error(`${who}: unknown channel "${kind}" (known: ${channelDefinitions.map((d) => d.kind).join(', ')})`);
  const target = input.email !== undefined ? { address: input.email } : input.target;
  if (target === undefined) throw new Error(`${who}: channel ${kind} needs a target`);
  const validator = targetValidator(kind, definition.targetSchema);
  if (!validator.check(target)) throw new Error(`${who}: bad ${kind} target: ${validator.errors(target).join('; ')}`);
  return { channel: kind, address: definition.address(target), target: target as Record<string, unknown> };
}

/** A recipient as given (YAML or API) with every default filled in; throws on an unknown time zone or a bad contact point. */
export function recipientFields(input: RecipientInput): RecipientFields {
  assertTimeZone(input.timezone);
  const contactPoint = contactPointOf(input);
  return {
    clientId: input.clientId, name: input.name, ...contactPoint, audience: input.audience, language: input.language ?? 'de',
    timezone: input.timezone ?? 'Europe/Berlin', quietHours: input.quietHours ? { from: input.quietHours.from, to: input.quietHours.to } : null,
    minSeverity: input.minSeverity ?? 'WARN', reminders: input.reminders !== false, resolved: input.resolved !== false,
    escalationOnly: input.escalationOnly === true,
    // Reports are mail with a PDF: a client's e-mail contact points get them unless told otherwise.
    reports: input.reports ?? (input.clientId !== null && contactPoint.channel === 'email'), enabled: input.enabled !== false,
  };
}

/** Creates or updates the contact point with this client, channel and address (the key); returns its id. Throws on bad input. */
export async function upsertRecipient(recipients: RecipientRepository, input: RecipientInput, now: number): Promise<number> {
  return await recipients.upsert(recipientFields(input), now);
}

export function assertTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
}
