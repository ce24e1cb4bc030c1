/** Pushover contact points (https://pushover.net/api). The app token is per Nines installation, the user key per person or group. */
import { Type, type Static } from '@sinclair/typebox';
import { ServerUrl } from './url.ts';

export const PUSHOVER_API_URL = 'https://api.pushover.net';

export const PushoverSettingsSchema = Type.Object(
  {
    appToken: Type.String({ pattern: '^[A-Za-z0-9]{30}$', description: 'API token of the Pushover application Nines sends as (30 characters)' }),
    apiUrl: Type.Optional(ServerUrl('Pushover API base URL', { default: PUSHOVER_API_URL })),
  },
  { additionalProperties: false },
);
export type PushoverSettings = Static<typeof PushoverSettingsSchema>;

export const PushoverTargetSchema = Type.Object(
  {
    userKey: Type.String({ pattern: '^[A-Za-z0-9]{30}$', description: 'user or group key of the recipient (30 characters)' }),
    device: Type.Optional(Type.String({
      pattern: '^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$',
      description: "only these of the user's devices (comma-separated names); all devices when absent",
    })),
  },
  { additionalProperties: false },
);
export type PushoverTarget = Static<typeof PushoverTargetSchema>;
