/** Slack contact points: an incoming webhook of a Slack app, bound to one channel. The URL is the credential. */
import { Type, type Static } from '@sinclair/typebox';

export const SlackTargetSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 1024, description: 'the incoming webhook URL (https://hooks.slack.com/services/T…/B…/…)' }),
  },
  { additionalProperties: false },
);
export type SlackTarget = Static<typeof SlackTargetSchema>;
