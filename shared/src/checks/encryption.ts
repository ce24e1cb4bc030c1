import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const ENCRYPTION_DEFAULT_INTERVAL_MS = 3_600_000; // encryption is switched off rarely and on purpose; hourly is enough

export const EncryptionCheckSchema = checkSchema(
  'encryption',
  {
    volumes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'mount points or drive letters that must be encrypted (default: the system volume, / or C:)' }),
    ),
    unencryptedStatus: Type.Optional(Type.Union([Type.Literal('WARN'), Type.Literal('CRIT')], { description: 'status of a volume that is not encrypted (default WARN)' })),
  },
  'disk encryption of the system volume (or the listed ones): BitLocker, LUKS, FileVault',
);
export type EncryptionCheckConfig = Static<typeof EncryptionCheckSchema>;
