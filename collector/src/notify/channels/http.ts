import { ChannelError } from './channel.ts';

/** Default time a channel's HTTP request may take: a hung service must not stall delivery; the retry backoff takes over. */
export const CHANNEL_TIMEOUT_MS = 15_000;

/** Longest Retry-After honoured; a service asking for more is retried after this. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(MAX_RETRY_AFTER_MS, Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/**
 * Turns a service's HTTP answer into success or a ChannelError: 2xx is accepted; 429 is transient with its
 * Retry-After; 408 and 5xx are transient; any other 4xx is permanent (bad token, unknown chat, revoked webhook).
 * `what` names the service and target for the message, without secrets. The body's first 300 characters are kept
 * in the message because services explain themselves there ("chat not found").
 */
export async function acceptOrThrow(response: Response, what: string, now: number): Promise<void> {
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  const reason = `${what}: HTTP ${response.status}${body ? ` ${body}` : ''}`;
  if (response.status === 429) throw new ChannelError(reason, 'transient', retryAfterMs(response.headers.get('retry-after'), now));
  if (response.status === 408 || response.status >= 500) throw new ChannelError(reason, 'transient');
  throw new ChannelError(reason, 'permanent');
}

/** POSTs with a timeout; a network error or timeout is a transient ChannelError. */
export async function post(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  init: { headers: Record<string, string>; body: string },
  what: string,
): Promise<Response> {
  try {
    return await fetchImpl(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(CHANNEL_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new ChannelError(`${what}: ${(error as Error).message}`, 'transient');
  }
}
