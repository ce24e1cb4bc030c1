import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const ADMINS_DEFAULT_INTERVAL_MS = 900_000; // a new administrator is the first step of many attacks; a quarter hour is soon enough

export const AdminsCheckSchema = checkSchema(
  'admins',
  {
    accepted: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        description: 'the administrators the consultant accepts; without it the first run learns the members as the baseline',
      }),
    ),
    groups: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Linux: groups that give admin rights (default sudo, wheel, admin)' })),
    newAdminStatus: Type.Optional(Type.Union([Type.Literal('WARN'), Type.Literal('CRIT')], { description: 'status while a member is not accepted (default CRIT)' })),
  },
  'members of the local Administrators group / sudo, wheel, admin and uid 0, compared with an accepted baseline',
);
export type AdminsCheckConfig = Static<typeof AdminsCheckSchema>;
