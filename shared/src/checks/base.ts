import { Type, type TProperties, type TLiteral } from '@sinclair/typebox';
import { DurationSchema } from '../time.ts';

export const CHECK_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

/** Fields every check kind shares. */
export const checkBaseProperties = {
  id: Type.String({ pattern: CHECK_ID_PATTERN, description: 'stable id, unique per agent (a-z0-9._-)' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'display name' })),
  interval: Type.Optional(DurationSchema),
  timeout: Type.Optional(DurationSchema),
  enabled: Type.Optional(Type.Boolean({ description: 'false pauses the check' })),
};

export const DEFAULT_INTERVAL_MS = 60_000; // the industry's usual minute; patch/backup kinds set their own
export const MIN_INTERVAL_MS = 10_000; // below this a small business's server spends more on checks than on work
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The config schema of one check kind: the shared fields, a kind literal and the kind's own fields. */
export function checkSchema<K extends string, P extends TProperties>(
  kind: K,
  properties: P,
  description: string,
) {
  return Type.Object(
    { kind: Type.Literal(kind) as TLiteral<K>, ...checkBaseProperties, ...properties },
    { additionalProperties: false, description, $id: `check.${kind}` },
  );
}
