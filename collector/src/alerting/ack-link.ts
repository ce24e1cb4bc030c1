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

function signature(secret: Buffer, alertId: number, incident: number, expiresAt: number): string {
  return createHmac('sha256', secret).update(`ack:${alertId}:${incident}:${expiresAt}`).digest('base64url');
}

export interface AckParams {
  alertId: number;
  incident: number;
  expiresAt: number;
  sig: string;
}

/** A one-click acknowledge URL for this alert's incident, valid until expiresAt. */
export function ackUrl(publicUrl: string, secret: Buffer, alertId: number, incident: number, expiresAt: number): string {
  const base = publicUrl.replace(/\/$/, '');
  return `${base}/ack/alerts/${alertId}?incident=${incident}&expires=${expiresAt}&sig=${signature(secret, alertId, incident, expiresAt)}`;
}

/** Why a link is refused, or null when it is good. */
export function ackLinkProblem(secret: Buffer, params: AckParams, now: number): 'signature' | 'expired' | null {
  const expected = Buffer.from(signature(secret, params.alertId, params.incident, params.expiresAt));
  const actual = Buffer.from(params.sig);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'signature';
  if (params.expiresAt < now) return 'expired';
  return null;
}
