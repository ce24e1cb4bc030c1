import { GotifySettingsSchema, GotifyTargetSchema, type GotifySettings, type GotifyTarget } from '@nines/shared';
import { ChannelError, type ChannelDefinition, type NoticeSeverity } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { linkLabels } from './links.ts';
import { markdownLink, markdownText } from './markdown.ts';

/**
 * Gotify, built to https://gotify.net/docs/pushmsg (POST /message) and https://gotify.net/docs/msgextras. The
 * application token goes in the X-Gotify-Key header, never in the URL's query, where proxies and access logs keep
 * it. The message is markdown (client::display) with the acknowledge and dashboard links; tapping the notification
 * opens the acknowledge page, or the dashboard when nothing is left to acknowledge (client::notification click).
 * Gotify takes no idempotency key: a retry after a lost answer can show the message twice.
 */

/** Gotify priorities are 0–10; the Android app notifies loudly from 8, normally from 4, silently below. */
const PRIORITY: Record<NoticeSeverity, number> = { critical: 8, warning: 5, recovered: 2, info: 4 };

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Enough of a token to tell two apart in a list, nothing an attacker could use. */
function maskToken(token: string): string {
  return `${token.slice(0, 3)}…`;
}

export const gotify: ChannelDefinition<typeof GotifySettingsSchema, typeof GotifyTargetSchema> = {
  kind: 'gotify',
  label: 'Gotify',
  settingsSchema: GotifySettingsSchema,
  targetSchema: GotifyTargetSchema,
  address: (target: GotifyTarget) => (target.server ? `${withoutTrailingSlash(target.server)}#${target.appToken}` : target.appToken),
  describe: (target: GotifyTarget) => `${target.server ? withoutTrailingSlash(target.server) : 'Gotify'} app ${maskToken(target.appToken)}`,
  // Settings may be absent when every contact point names its own server; a target without one then fails permanently.
  create(settings: GotifySettings | undefined, deps) {
    return {
      async send(notice, to) {
        const what = `gotify to ${gotify.describe(to.target)} (${to.label})`;
        const server = to.target.server ?? settings?.server;
        if (!server) throw new ChannelError(`${what}: no Gotify server: set channels.gotify.server or the contact point's server`, 'permanent');
        const labels = linkLabels(notice);
        const links = [
          notice.acknowledgeUrl ? markdownLink(labels.acknowledge, notice.acknowledgeUrl) : null,
          notice.dashboardUrl ? markdownLink(labels.open, notice.dashboardUrl) : null,
        ].filter((link) => link !== null);
        const click = notice.acknowledgeUrl ?? notice.dashboardUrl;
        const message = {
          title: notice.title,
          message: [markdownText(notice.text), ...(links.length > 0 ? [links.join(' · ')] : [])].join('\n\n'),
          priority: PRIORITY[notice.severity],
          extras: {
            'client::display': { contentType: 'text/markdown' },
            ...(click ? { 'client::notification': { click: { url: click } } } : {}),
          },
        };
        const response = await post(
          deps.fetch,
          `${withoutTrailingSlash(server)}/message`,
          { headers: { 'content-type': 'application/json', 'x-gotify-key': to.target.appToken }, body: JSON.stringify(message) },
          what,
        );
        // 400 (malformed), 401 (unknown or deleted application token) and 403 carry Gotify's {error, errorCode, errorDescription}: permanent.
        await acceptOrThrow(response, what, deps.clock());
      },
      close() {},
    };
  },
};
