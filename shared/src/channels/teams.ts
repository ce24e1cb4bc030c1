/**
 * Microsoft Teams contact points: a Workflows (Power Automate) webhook, "Post to a channel when a webhook request is
 * received". The old Office 365 connector webhooks are retired. The URL carries its signature (`sig=`): a secret.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PostUrl } from './url.ts';

export const TeamsTargetSchema = Type.Object(
  {
    url: PostUrl('the workflow\'s HTTP POST URL (…logic.azure.com… or …api.powerplatform.com…, with sig=…)'),
  },
  { additionalProperties: false },
);
export type TeamsTarget = Static<typeof TeamsTargetSchema>;
