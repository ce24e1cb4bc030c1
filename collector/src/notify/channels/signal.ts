import { SignalSettingsSchema, SignalTargetSchema, type SignalSettings, type SignalTarget } from '@nines/shared';
import type { ChannelDefinition, Notice } from './channel.ts';
import { acceptOrThrow, post } from './http.ts';
import { linkLines } from './links.ts';

/**
 * Signal through a signal-cli-rest-api server, built to its API docs (https://bbernhard.github.io/signal-cli-rest-api/,
 * POST /v2/send: {message, number, recipients}; 201 {timestamp} when sent, 400 {error} when signal-cli refused it:
 * unregistered recipient, unknown group, account not registered on that server). Signal has no title, no buttons and
 * no markup in plain mode: the title leads the text, the links follow on lines of their own (Signal turns URLs into
 * links). No length cut: Signal sends long messages whole. No idempotency key: a retry after a lost answer can
 * deliver the message twice.
 */

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A Signal message: title, the whole text, then the links with their words. */
function signalMessage(notice: Notice): string {
  const links = linkLines(notice);
  return [notice.title, notice.text, ...(links.length > 0 ? [links.join('\n')] : [])].join('\n\n');
}

export const signal: ChannelDefinition<typeof SignalSettingsSchema, typeof SignalTargetSchema> = {
  kind: 'signal',
  label: 'Signal',
  settingsSchema: SignalSettingsSchema,
  targetSchema: SignalTargetSchema,
  address: (target: SignalTarget) => target.recipient,
  // A phone number or group id is no credential (the sending server is): shown whole, a long group id shortened.
  describe: (target: SignalTarget) => (target.recipient.startsWith('group.') && target.recipient.length > 18 ? `${target.recipient.slice(0, 16)}…` : target.recipient),
  create(settings: SignalSettings | undefined, deps) {
    if (!settings) throw new Error('signal needs channels.signal.url (the signal-cli-rest-api server) and channels.signal.number (the account it sends from)');
    const endpoint = `${withoutTrailingSlash(settings.url)}/v2/send`;
    return {
      async send(notice, to) {
        const what = `signal to ${signal.describe(to.target)} (${to.label})`;
        const body = { message: signalMessage(notice), number: settings.number, recipients: [to.target.recipient] };
        const response = await post(deps.fetch, endpoint, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, what);
        // 400 {error: "…"} is signal-cli refusing this message (permanent); 429 is Signal's rate limit, 5xx the REST server itself.
        await acceptOrThrow(response, what, deps.clock());
      },
      close() {},
    };
  },
};
