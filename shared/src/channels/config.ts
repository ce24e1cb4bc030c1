/**
 * The `channels:` section of the collector's YAML: collector-wide settings per channel kind (a Telegram bot's
 * token, the ntfy server, the Pushover app). Email's are the `smtp:` section; webhook, Teams and Slack need none
 * (the whole credential is the contact point's URL). One line per channel that has settings.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AppriseSettingsSchema } from './apprise.ts';
import { GotifySettingsSchema } from './gotify.ts';
import { NtfySettingsSchema } from './ntfy.ts';
import { PushoverSettingsSchema } from './pushover.ts';
import { SignalSettingsSchema } from './signal.ts';
import { TelegramSettingsSchema } from './telegram.ts';

export const ChannelsConfigSchema = Type.Object(
  {
    ntfy: Type.Optional(NtfySettingsSchema),
    telegram: Type.Optional(TelegramSettingsSchema),
    pushover: Type.Optional(PushoverSettingsSchema),
    gotify: Type.Optional(GotifySettingsSchema),
    signal: Type.Optional(SignalSettingsSchema),
    apprise: Type.Optional(AppriseSettingsSchema),
  },
  { additionalProperties: false, description: 'settings per notification channel; contact points name a channel and a target' },
);
export type ChannelsConfig = Static<typeof ChannelsConfigSchema>;
