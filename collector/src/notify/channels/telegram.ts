import { TelegramSettingsSchema, TelegramTargetSchema, type TelegramTarget } from '@nines/shared';
import { ChannelError, type ChannelDefinition, type Notice, type NoticeSeverity } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { noticeLinks } from './links.ts';
import { cut } from './text.ts';

/** The public Bot API; a local Bot API server (github.com/tdlib/telegram-bot-api) is set with `apiUrl`. */
export const DEFAULT_TELEGRAM_API = 'https://api.telegram.org';

/** sendMessage text: 1–4096 characters after entity parsing, i.e. counted on the visible text, not the HTML. */
const TEXT_MAX = 4096;

/** Telegram has no priority: the severity leads the message as an emoji, as people read it in the chat list. */
const MARK: Record<NoticeSeverity, string> = { critical: '🚨', warning: '⚠️', recovered: '✅', info: 'ℹ️' };

/** What the HTML parse mode needs escaped: https://core.telegram.org/bots/api#html-style */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Bold title line, blank line, the whole text; the text is cut so the visible message stays within 4096. */
export function telegramText(notice: Notice): string {
  const heading = cut(`${MARK[notice.severity]} ${notice.title}`, TEXT_MAX);
  const room = TEXT_MAX - heading.length - 2;
  const body = room > 1 ? cut(notice.text, room) : '';
  return `<b>${escapeHtml(heading)}</b>${body ? `\n\n${escapeHtml(body)}` : ''}`;
}

/** The Bot API's answer body: https://core.telegram.org/bots/api#making-requests */
interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

async function answerOf(response: Response): Promise<BotApiAnswer | null> {
  try {
    return (await response.clone().json()) as BotApiAnswer;
  } catch {
    return null;
  }
}

/**
 * Telegram (https://core.telegram.org/bots/api#sendmessage): the collector's bot posts into the target chat, HTML
 * parse mode, link previews off (`link_preview_options`, which replaced `disable_web_page_preview` in Bot API 7.0),
 * acknowledge and dashboard as inline keyboard URL buttons. The Bot API has no idempotency key, so a retried send
 * after a lost answer may post twice.
 */
export const telegram: ChannelDefinition<typeof TelegramSettingsSchema, typeof TelegramTargetSchema> = {
  kind: 'telegram',
  label: 'Telegram',
  settingsSchema: TelegramSettingsSchema,
  targetSchema: TelegramTargetSchema,
  address: (target: TelegramTarget) => String(target.chatId),
  // A chat id is no secret (the bot token, in the settings, is): shown whole so a person can tell chats apart.
  describe: (target: TelegramTarget) => `Telegram chat ${target.chatId}`,
  create(settings, deps) {
    if (!settings) throw new Error('telegram needs channels.telegram.botToken (the token from @BotFather)');
    const apiUrl = (settings.apiUrl ?? DEFAULT_TELEGRAM_API).replace(/\/+$/, '');
    // The token is part of the URL path: it never goes into `what`, which ends up in logs and the UI.
    const endpoint = `${apiUrl}/bot${settings.botToken}/sendMessage`;
    return {
      async send(notice, to) {
        const links = noticeLinks(notice);
        const message = {
          chat_id: to.target.chatId,
          text: telegramText(notice),
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(links.length ? { reply_markup: { inline_keyboard: [links.map((link) => ({ text: link.label, url: link.url }))] } } : {}),
        };
        const what = `telegram chat ${to.target.chatId}`;
        const response = await post(deps.fetch, endpoint, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) }, what);
        const answer = await answerOf(response);
        // Flood control answers 429 with the wait in the body (parameters.retry_after, seconds), not always as a header.
        if (response.status === 429 && answer?.parameters?.retry_after !== undefined) {
          await response.body?.cancel();
          throw new ChannelError(`${what}: HTTP 429 ${answer.description ?? 'Too Many Requests'}`, 'transient', answer.parameters.retry_after * 1000);
        }
        if (answer?.parameters?.migrate_to_chat_id !== undefined) {
          await response.body?.cancel();
          throw new ChannelError(`${what}: ${answer.description ?? 'group upgraded'}; the chat id is now ${answer.parameters.migrate_to_chat_id}`, 'permanent');
        }
        await acceptOrThrow(response, what, deps.clock());
        // The documented contract is `ok` in the body; a 200 without ok:true did not send the message.
        if (answer?.ok !== true) throw new ChannelError(`${what}: ${answer?.description ?? 'the Bot API answered without ok:true'}`, 'permanent');
      },
      close() {},
    };
  },
};
