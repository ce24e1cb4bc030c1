import { NtfySettingsSchema, NtfyTargetSchema, type NtfySettings, type NtfyTarget } from '@nines/shared';
import type { ChannelDefinition, NoticeSeverity } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { noticeLinks } from './links.ts';
import { cutUtf8 } from './text.ts';

/** Where topics live unless channels.ntfy.server or the target names a self-hosted server. */
export const DEFAULT_NTFY_SERVER = 'https://ntfy.sh';

/** ntfy's default message-size-limit (bytes); a longer message would turn into an attachment. */
const MESSAGE_MAX_BYTES = 4096;

/** https://docs.ntfy.sh/publish/#message-priority and https://docs.ntfy.sh/emojis/ */
const PRIORITY: Record<NoticeSeverity, { priority: 1 | 2 | 3 | 4 | 5; tag: string }> = {
  critical: { priority: 5, tag: 'rotating_light' },
  warning: { priority: 4, tag: 'warning' },
  recovered: { priority: 3, tag: 'white_check_mark' },
  info: { priority: 3, tag: 'information_source' },
};

function serverOf(target: NtfyTarget, settings: NtfySettings | undefined): string {
  return (target.server ?? settings?.server ?? DEFAULT_NTFY_SERVER).replace(/\/+$/, '');
}

/**
 * ntfy push (https://docs.ntfy.sh/publish/#publish-as-json): one JSON POST to the server root carrying the topic,
 * with priority (1–5) and tags (emoji shortcodes) from the severity, the dashboard as click target and
 * acknowledge/dashboard as `view` action buttons. ntfy has no idempotency key, so a retried send after a lost
 * answer may show twice.
 */
export const ntfy: ChannelDefinition<typeof NtfySettingsSchema, typeof NtfyTargetSchema> = {
  kind: 'ntfy',
  label: 'ntfy',
  settingsSchema: NtfySettingsSchema,
  targetSchema: NtfyTargetSchema,
  // The topic URL a phone subscribes to. Without a server of its own the target follows channels.ntfy.server, which
  // address() does not see: such a target is identified on the default server.
  address: (target: NtfyTarget) => `${serverOf(target, undefined)}/${target.topic}`,
  // The topic is the secret of a public topic: show its first characters only.
  describe: (target: NtfyTarget) => `${serverOf(target, undefined)}/${target.topic.slice(0, 3)}***`,
  create(settings, deps) {
    const defaultServer = serverOf({ topic: '-' }, settings);
    return {
      async send(notice, to) {
        const server = serverOf(to.target, settings);
        const { priority, tag } = PRIORITY[notice.severity];
        const message = {
          topic: to.target.topic,
          title: notice.title,
          message: cutUtf8(notice.summary || notice.text, MESSAGE_MAX_BYTES),
          priority,
          tags: [tag],
          ...(notice.dashboardUrl ? { click: notice.dashboardUrl } : {}),
          // ntfy shows up to three action buttons; we have at most two.
          actions: noticeLinks(notice).map((link) => ({ action: 'view', label: link.label, url: link.url, clear: true })),
        };
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        // The token belongs to channels.ntfy.server; a target on another server must not receive it.
        if (settings?.token && server === defaultServer) headers.authorization = `Bearer ${settings.token}`;
        const what = `ntfy ${server}/${to.target.topic.slice(0, 3)}***`;
        await acceptOrThrow(await post(deps.fetch, `${server}/`, { headers, body: JSON.stringify(message) }, what), what, deps.clock());
      },
      close() {},
    };
  },
};
