import { PUSHOVER_API_URL, PushoverSettingsSchema, PushoverTargetSchema, type PushoverSettings, type PushoverTarget } from '@nines/shared';
import { ChannelError, type ChannelDefinition, type NoticeSeverity } from './channel.ts';
import { cut } from './text.ts';
import { acceptOrThrow, post } from './http.ts';
import { linkLabels } from './links.ts';

/**
 * Pushover, built to https://pushover.net/api: POST /1/messages.json, form-encoded. Plain text (no html=1): the
 * notice's text is plain and Pushover shows newlines as they are. Pushover has one supplementary link per message, so
 * it is the acknowledge link while there is something to acknowledge, else the dashboard. Pushover takes no
 * idempotency key: a retry after a lost answer can show the message twice.
 */

/** Documented limits, in characters. */
const TITLE_MAX = 250;
const MESSAGE_MAX = 1024;
const URL_TITLE_MAX = 100;

/** Pushover priorities: 1 high (bypasses quiet hours), 0 normal, -1 quiet. 2 (emergency) needs retry/expire receipts: not used. */
const PRIORITY: Record<NoticeSeverity, number> = { critical: 1, warning: 0, recovered: -1, info: 0 };

/** What Pushover answers, with 200 (`status: 1`) as with 4xx (`status: 0` and the reasons in `errors`). */
interface PushoverAnswer {
  status?: number;
  errors?: unknown;
}

function reasons(answer: PushoverAnswer | null): string | null {
  if (!answer || !Array.isArray(answer.errors) || answer.errors.length === 0) return null;
  return answer.errors.map(String).join('; ');
}

/**
 * Pushover answers 200 with `status: 1`, and any refusal it documents (bad token, unknown user, message too long)
 * with a 4xx and `status: 0` plus its reasons in `errors`: those are permanent with the reasons; 429 (the app's
 * monthly limit), 408 and 5xx are the shared transient cases.
 */
async function judge(response: Response, what: string, now: number): Promise<void> {
  const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
  if (retryable) return acceptOrThrow(response, what, now);
  const body = await response.text().catch(() => '');
  let answer: PushoverAnswer | null = null;
  try {
    answer = JSON.parse(body) as PushoverAnswer;
  } catch {
    // Not JSON (a proxy's error page): the text itself is the best reason there is.
  }
  if (!response.ok) throw new ChannelError(`${what}: HTTP ${response.status} ${reasons(answer) ?? body.replace(/\s+/g, ' ').trim().slice(0, 300)}`, 'permanent');
  if (answer?.status !== 1) throw new ChannelError(`${what}: Pushover did not accept the message: ${reasons(answer) ?? (body.slice(0, 300) || 'empty answer')}`, 'permanent');
}

export const pushover: ChannelDefinition<typeof PushoverSettingsSchema, typeof PushoverTargetSchema> = {
  kind: 'pushover',
  label: 'Pushover',
  settingsSchema: PushoverSettingsSchema,
  targetSchema: PushoverTargetSchema,
  address: (target: PushoverTarget) => (target.device ? `${target.userKey}:${target.device}` : target.userKey),
  // The user key is what lets anyone with an app token reach the person: keep only enough to tell two apart.
  describe: (target: PushoverTarget) => `${target.userKey.slice(0, 4)}…${target.device ? ` (${target.device})` : ''}`,
  create(settings: PushoverSettings | undefined, deps) {
    if (!settings) throw new Error('pushover needs channels.pushover.appToken (the token of your Pushover application)');
    const endpoint = `${(settings.apiUrl ?? PUSHOVER_API_URL).replace(/\/+$/, '')}/1/messages.json`;
    return {
      async send(notice, to) {
        const what = `pushover to ${pushover.describe(to.target)} (${to.label})`;
        const labels = linkLabels(notice);
        const form = new URLSearchParams({
          token: settings.appToken,
          user: to.target.userKey,
          title: cut(notice.title, TITLE_MAX),
          message: cut(notice.text, MESSAGE_MAX),
          priority: String(PRIORITY[notice.severity]),
          timestamp: String(Math.floor((notice.alerts[0]?.at ?? deps.clock()) / 1000)),
        });
        if (to.target.device) form.set('device', to.target.device);
        const link = notice.acknowledgeUrl ? { url: notice.acknowledgeUrl, title: labels.acknowledge } : notice.dashboardUrl ? { url: notice.dashboardUrl, title: labels.open } : null;
        if (link) {
          form.set('url', link.url);
          form.set('url_title', cut(link.title, URL_TITLE_MAX));
        }
        const response = await post(deps.fetch, endpoint, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, what);
        await judge(response, what, deps.clock());
      },
      close() {},
    };
  },
};
