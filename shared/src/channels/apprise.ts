/**
 * Apprise contact points: any service the apprise CLI knows, addressed by an Apprise URL
 * (https://github.com/caronc/apprise/wiki). No config-file setting: with a URL on its command line the CLI ignores
 * --config ("Only the URLs will be referenced"), so such a setting would do nothing.
 */
import { Type, type Static } from '@sinclair/typebox';

export const APPRISE_COMMAND = 'apprise';

export const AppriseSettingsSchema = Type.Object(
  {
    command: Type.Optional(Type.String({ minLength: 1, maxLength: 500, default: APPRISE_COMMAND, description: 'the apprise executable: a name on PATH or an absolute path' })),
  },
  { additionalProperties: false },
);
export type AppriseSettings = Static<typeof AppriseSettingsSchema>;

export const AppriseTargetSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^[a-z][a-z0-9+.-]*://\\S+$',
      maxLength: 2000,
      description: 'Apprise URL of the destination, e.g. ntfy://ntfy.sh/topic or tgram://bottoken/chatid; it often holds a secret',
    }),
  },
  { additionalProperties: false },
);
export type AppriseTarget = Static<typeof AppriseTargetSchema>;
