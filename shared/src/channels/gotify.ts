/** Gotify contact points (https://gotify.net/docs/pushmsg): a self-hosted push server; each Gotify application has its own token. */
import { Type, type Static } from '@sinclair/typebox';
import { ServerUrl } from './url.ts';

export const GotifySettingsSchema = Type.Object(
  { server: ServerUrl('Gotify server base URL, e.g. https://push.example.com') },
  { additionalProperties: false },
);
export type GotifySettings = Static<typeof GotifySettingsSchema>;

export const GotifyTargetSchema = Type.Object(
  {
    appToken: Type.String({ pattern: '^[A-Za-z0-9._-]{8,128}$', description: 'token of the Gotify application the message is posted to' }),
    server: Type.Optional(ServerUrl('this contact point\'s Gotify server, when it is not the one in channels.gotify.server')),
  },
  { additionalProperties: false },
);
export type GotifyTarget = Static<typeof GotifyTargetSchema>;
