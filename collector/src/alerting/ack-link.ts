import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ACK_SECRET_FILE = 'alerting-secret';
export const ACK_LINK_VALID_MS = 7 * 86_400_000; // a week: long enough for a weekend, short enough to go stale

/** The collector's HMAC key for signed acknowledge links: 32 random bytes in <dataDir>/alerting-secret (0600), made once. */
export function loadOrCreateAckSecret(dataDir: string): Buffer {
  const file = join(dataDir, ACK_SECRET_FILE);
  if (existsSync(file)) {
    const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (secret.length < 32) throw new Error(`${file} is too short to be an alerting secret; delete it to make a new one`);
    return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

/** Links name the recipient they were mailed to (who acknowledged); links from before that (no recipient) keep working until they expire. */
function signature(secret: Buffer, alertId: number, incident: number, expiresAt: number, recipientId: number | null): string {
  const payload = `ack:${alertId}:${incident}:${expiresAt}` + (recipientId === null ? '' : `:${recipientId}`);
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export interface AckParams {
  alertId: number;
  incident: number;
  expiresAt: number;
  /** The recipient the link was mailed to; null in links made before links named one. */
  recipientId: number | null;
  sig: string;
}

/**
 * A one-click acknowledge URL for this alert's incident, valid until expiresAt, for one recipient. `lang` only picks
 * the page's language (the recipient's), so it is not signed.
 */
export function ackUrl(
  publicUrl: string, secret: Buffer, alertId: number, incident: number, expiresAt: number, recipient: { id: number; language: string },
): string {
  const base = publicUrl.replace(/\/$/, '');
  const sig = signature(secret, alertId, incident, expiresAt, recipient.id);
  return `${base}/ack/alerts/${alertId}?incident=${incident}&expires=${expiresAt}&r=${recipient.id}&lang=${recipient.language}&sig=${sig}`;
}

/** Why a link is refused, or null when it is good. */
export function ackLinkProblem(secret: Buffer, params: AckParams, now: number): 'signature' | 'expired' | null {
  const expected = Buffer.from(signature(secret, params.alertId, params.incident, params.expiresAt, params.recipientId));
  const actual = Buffer.from(params.sig);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'signature';
  if (params.expiresAt < now) return 'expired';
  return null;
}
