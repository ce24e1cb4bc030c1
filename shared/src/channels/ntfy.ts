/** ntfy push contact points (ntfy.sh or a self-hosted server). https://docs.ntfy.sh/publish/ */
import { Type, type Static } from '@sinclair/typebox';
import { ServerUrl } from './url.ts';


/** `channels.ntfy` in the collector YAML: the server and its access token, when the topics are protected. */
export const NtfySettingsSchema = Type.Object(
  {
    server: Type.Optional(ServerUrl('the ntfy server, https://ntfy.sh unless self-hosted')),
    token: Type.Optional(Type.String({ pattern: '^\\S+$', maxLength: 256, description: 'access token (tk_…) for protected topics, sent only to that server' })),
  },
  { additionalProperties: false },
);
export type NtfySettings = Static<typeof NtfySettingsSchema>;

export const NtfyTargetSchema = Type.Object(
  {
    // ntfy's own rule for topic names; a public topic is effectively a password, so pick it long and random.
    topic: Type.String({ pattern: '^[-_A-Za-z0-9]{1,64}$', description: 'the topic the phone subscribes to' }),
    server: Type.Optional(ServerUrl('another ntfy server than channels.ntfy.server for this contact point (no token is sent there)')),
  },
  { additionalProperties: false },
);
export type NtfyTarget = Static<typeof NtfyTargetSchema>;
