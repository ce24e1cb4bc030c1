import type { ChannelDefinition } from './channel.ts';
import { apprise } from './apprise.ts';
import { email } from './email.ts';
import { gotify } from './gotify.ts';
import { ntfy } from './ntfy.ts';
import { pushover } from './pushover.ts';
import { signal } from './signal.ts';
import { slack } from './slack.ts';
import { teams } from './teams.ts';
import { telegram } from './telegram.ts';
import { webhook } from './webhook.ts';

/** Every channel kind, one line each. Adding a channel: its file in this folder, its schemas in shared/src/channels/, a line here. */
export const channelDefinitions: readonly ChannelDefinition[] = [
  email,
  webhook,
  ntfy,
  telegram,
  teams,
  slack,
  pushover,
  gotify,
  signal,
  apprise,
] as unknown as readonly ChannelDefinition[];

export function channelDefinition(kind: string): ChannelDefinition | undefined {
  return channelDefinitions.find((d) => d.kind === kind);
}
