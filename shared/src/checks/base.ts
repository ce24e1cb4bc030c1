import { Type, type TProperties, type TLiteral } from '@sinclair/typebox';
import { DurationSchema } from '../time.ts';

export const CHECK_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const MAX_LABELS = 16; // a handful groups a check (site, service, contract); more is a query language, not a filter
export const MAX_LABEL_CHARS = 40; // fits the overview's filter select and a row's chips
/**
 * One label of a check ("web", "Standort Köln"): any text a person types, shown as text, never as markup.
 * Called labels, not tags: restic backup checks already have `tags`, the snapshot tags they must carry.
 */
export const LabelSchema = Type.String({ minLength: 1, maxLength: MAX_LABEL_CHARS, pattern: '^\\S(?:.*\\S)?$', description: 'a label: 1–40 characters, no leading or trailing space' });
/** A check's labels (the overview filters by them); none by default. */
export const LabelsSchema = Type.Array(LabelSchema, { maxItems: MAX_LABELS, uniqueItems: true, default: [], description: 'labels to group and filter checks by, e.g. [web, köln]' });

/** Fields every check kind shares. */
export const checkBaseProperties = {
  id: Type.String({ pattern: CHECK_ID_PATTERN, description: 'stable id, unique per agent (a-z0-9._-)' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'display name' })),
  interval: Type.Optional(DurationSchema),
  timeout: Type.Optional(DurationSchema),
  enabled: Type.Optional(Type.Boolean({ description: 'false pauses the check' })),
  labels: Type.Optional(LabelsSchema),
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
