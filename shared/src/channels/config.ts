/**
 * The `channels:` section of the collector's YAML: collector-wide settings per channel kind (a Telegram bot's
 * token, the ntfy server, the Pushover app). Email's are the `smtp:` section. One line per channel that has settings.
 */
import { Type, type Static } from '@sinclair/typebox';

export const ChannelsConfigSchema = Type.Object(
  {
  },
  { additionalProperties: false, description: 'settings per notification channel; contact points name a channel and a target' },
);
export type ChannelsConfig = Static<typeof ChannelsConfigSchema>;
