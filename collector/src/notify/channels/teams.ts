import { TeamsTargetSchema, type TeamsTarget } from '@nines/shared';
import type { ChannelDefinition, Notice, NoticeSeverity } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { noticeLinks } from './links.ts';
import { cutUtf8, maskUrl } from './text.ts';

/** TextBlock colours of Adaptive Cards: https://adaptivecards.io/explorer/TextBlock.html */
const COLOR: Record<NoticeSeverity, 'Attention' | 'Warning' | 'Good' | 'Default'> = {
  critical: 'Attention',
  warning: 'Warning',
  recovered: 'Good',
  info: 'Default',
};

/** Teams refuses messages over 28 KB; the text gets most of it, the card around it and the links stay well below the rest. */
const TEXT_MAX_BYTES = 20_000;

/** The Adaptive Card 1.4 (the version Teams renders everywhere): title coloured by severity, the whole text, the links as buttons. */
export function teamsCard(notice: Notice): object {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: notice.title, weight: 'Bolder', size: 'Medium', color: COLOR[notice.severity], wrap: true },
      { type: 'TextBlock', text: cutUtf8(notice.text, TEXT_MAX_BYTES), wrap: true },
    ],
    actions: noticeLinks(notice).map((link) => ({ type: 'Action.OpenUrl', title: link.label, url: link.url })),
    msteams: { width: 'Full' },
  };
}

/**
 * Microsoft Teams through a Workflows webhook (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
 * and https://support.microsoft.com/en-us/office/create-incoming-webhooks-with-workflows-for-microsoft-teams-8ae491c7-0394-4861-ba59-055e33f75498):
 * the template's flow posts each attachment of a `message` as an Adaptive Card and answers 202 Accepted once the run
 * is queued. A bad or revoked signature answers 401/403 with a JSON error (DirectApiAuthorizationRequired), a deleted
 * flow 404. Workflows have no idempotency key, so a retried send after a lost answer may post twice.
 */
export const teams: ChannelDefinition<null, typeof TeamsTargetSchema> = {
  kind: 'teams',
  label: 'Microsoft Teams',
  settingsSchema: null,
  targetSchema: TeamsTargetSchema,
  address: (target: TeamsTarget) => target.url,
  describe: (target: TeamsTarget) => maskUrl(target.url),
  create(_settings, deps) {
    return {
      async send(notice, to) {
        const message = {
          type: 'message',
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: teamsCard(notice) }],
        };
        const what = `teams ${maskUrl(to.target.url)}`;
        const response = await post(deps.fetch, to.target.url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) }, what);
        await acceptOrThrow(response, what, deps.clock());
      },
      close() {},
    };
  },
};
