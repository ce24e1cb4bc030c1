/** Signal contact points through a signal-cli-rest-api server (https://github.com/bbernhard/signal-cli-rest-api). */
import { Type, type Static } from '@sinclair/typebox';
import { ServerUrl } from './url.ts';

/** An E.164 phone number: the form signal-cli expects for accounts and recipients. */
const E164 = '\\+[1-9][0-9]{6,14}';

export const SignalSettingsSchema = Type.Object(
  {
    url: ServerUrl('base URL of the signal-cli-rest-api server, e.g. http://127.0.0.1:8080'),
    number: Type.String({ pattern: `^${E164}$`, description: 'the registered Signal account Nines sends from, e.g. +4915112345678' }),
  },
  { additionalProperties: false },
);
export type SignalSettings = Static<typeof SignalSettingsSchema>;

export const SignalTargetSchema = Type.Object(
  {
    recipient: Type.String({
      // A phone number, a group id as signal-cli-rest-api lists it (GET /v1/groups: "group." + base64), or an account UUID.
      pattern: `^(${E164}|group\\.[A-Za-z0-9+/=_-]{8,200}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
      description: 'phone number (+49…), group id (group.…) or account UUID of the recipient',
    }),
  },
  { additionalProperties: false },
);
export type SignalTarget = Static<typeof SignalTargetSchema>;
