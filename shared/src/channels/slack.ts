/** Slack contact points: an incoming webhook of a Slack app, bound to one channel. The URL is the credential. */
import { Type, type Static } from '@sinclair/typebox';
import { PostUrl } from './url.ts';

export const SlackTargetSchema = Type.Object(
  {
    url: PostUrl('the incoming webhook URL (https://hooks.slack.com/services/T…/B…/…)', 1024),
  },
  { additionalProperties: false },
);
export type SlackTarget = Static<typeof SlackTargetSchema>;
