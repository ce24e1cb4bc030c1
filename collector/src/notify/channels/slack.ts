import { SlackTargetSchema, type SlackTarget } from '@nines/shared';
import type { ChannelDefinition, Notice, NoticeSeverity } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { noticeLinks } from './links.ts';
import { cut, maskUrl } from './text.ts';

/** Block Kit limits: https://api.slack.com/reference/block-kit/blocks (header 150, section text 3000, button text 75). */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const BUTTON_MAX = 75;

/** Blocks carry no colour: the severity leads the header as an emoji, as in the channel list and the push. */
const EMOJI: Record<NoticeSeverity, string> = { critical: '🚨', warning: '⚠️', recovered: '✅', info: 'ℹ️' };

/** The three characters Slack's mrkdwn reserves: https://api.slack.com/reference/surfaces/formatting#escaping */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` escaped, cut with "…" so the escaped form fits `max`; cut between characters, so no `&amp;` is broken in two. */
function mrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const character of text) {
    const next = escapeMrkdwn(character);
    if (kept.length + next.length > max - 1) break;
    kept += next;
  }
  return `${kept}…`;
}

/** The message: `text` is the fallback for notifications and old clients, the blocks are what the channel shows. */
export function slackMessage(notice: Notice): object {
  const links = noticeLinks(notice);
  return {
    text: mrkdwn(`${notice.title}\n${notice.summary}`, SECTION_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(`${EMOJI[notice.severity]} ${notice.title}`, HEADER_MAX), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(notice.text, SECTION_MAX) } },
      ...(links.length
        ? [{
            type: 'actions',
            elements: links.map((link, index) => ({
              type: 'button',
              action_id: `nines-link-${index}`,
              text: { type: 'plain_text', text: cut(link.label, BUTTON_MAX) },
              url: link.url,
              // The acknowledge link is the one thing to do: highlighted.
              ...(link.url === notice.acknowledgeUrl ? { style: 'primary' } : {}),
            })),
          }]
        : []),
    ],
  };
}

/**
 * Slack incoming webhook (https://api.slack.com/messaging/webhooks): a JSON POST of `text` plus Block Kit blocks;
 * Slack answers 200 "ok". Errors come as plain-text reasons (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks):
 * 400 invalid_payload, 403 action_prohibited / invalid_token, 404 channel_not_found / no_service, 410 channel_is_archived
 * are permanent, 500 rollup_error is retried — exactly what acceptOrThrow does. Incoming webhooks take no idempotency
 * key, so a retried send after a lost answer may post twice.
 */
export const slack: ChannelDefinition<null, typeof SlackTargetSchema> = {
  kind: 'slack',
  label: 'Slack',
  settingsSchema: null,
  targetSchema: SlackTargetSchema,
  address: (target: SlackTarget) => target.url,
  describe: (target: SlackTarget) => maskUrl(target.url),
  create(_settings, deps) {
    return {
      async send(notice, to) {
        const what = `slack ${maskUrl(to.target.url)}`;
        const response = await post(deps.fetch, to.target.url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(notice)) }, what);
        await acceptOrThrow(response, what, deps.clock());
      },
      close() {},
    };
  },
};
