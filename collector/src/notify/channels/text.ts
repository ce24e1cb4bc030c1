/** Text shaping every chat/push channel needs: cut to a service's documented length limit, mask a credential URL. */

const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` UTF-16 code units (what JavaScript, Telegram and Slack count), ending in "…" when cut.
 * Never splits a surrogate pair, so an emoji at the cut does not turn into a broken character.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * A URL whose path or query is the credential (Slack, Teams and generic webhooks), for the UI and logs: scheme, host
 * and the first path segment stay readable so a person recognises the service; of the next segment one character is
 * kept, the rest and the query (Teams puts its `sig` there) become `***`.
 * `https://hooks.slack.com/services/T0123/B0456/xyz` → `https://hooks.slack.com/services/T…/***`.
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
    const shown = segments.length > 1 ? `${segments[0]}/${segments[1]!.slice(0, 1)}…` : `${(segments[0] ?? '').slice(0, 1)}…`;
    return `${parsed.protocol}//${parsed.host}/${shown}/***`;
  } catch {
    return '***';
  }
}

/** `text` cut so its UTF-8 encoding is at most `maxBytes` (ntfy counts bytes), ending in "…" when cut. */
export function cutUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  const budget = maxBytes - encoder.encode(ELLIPSIS).length;
  let bytes = 0;
  let kept = '';
  for (const character of text) {
    bytes += encoder.encode(character).length;
    if (bytes > budget) break;
    kept += character;
  }
  return kept + ELLIPSIS;
}
