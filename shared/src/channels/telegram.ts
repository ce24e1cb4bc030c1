/** Telegram contact points: a chat the collector's bot posts into. https://core.telegram.org/bots/api#sendmessage */
import { Type, type Static } from '@sinclair/typebox';
import { ServerUrl } from './url.ts';

/** `channels.telegram` in the collector YAML: the one bot every Telegram contact point posts through. */
export const TelegramSettingsSchema = Type.Object(
  {
    botToken: Type.String({ pattern: '^\\d+:[A-Za-z0-9_-]{20,}$', description: 'the bot token from @BotFather (123456789:AA…)' }),
    apiUrl: Type.Optional(ServerUrl('the Bot API server, https://api.telegram.org unless a local Bot API server is used')),
  },
  { additionalProperties: false },
);
export type TelegramSettings = Static<typeof TelegramSettingsSchema>;

export const TelegramTargetSchema = Type.Object(
  {
    chatId: Type.Union(
      [
        Type.Integer({ description: 'numeric chat id (negative for groups, -100… for supergroups and channels)' }),
        Type.String({ pattern: '^(-?\\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$', description: 'numeric chat id as text, or @channelusername of a public channel' }),
      ],
      { description: 'the chat the bot posts into; the bot must be a member (or admin of the channel)' },
    ),
  },
  { additionalProperties: false },
);
export type TelegramTarget = Static<typeof TelegramTargetSchema>;
