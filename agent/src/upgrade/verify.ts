/**
 * Pure checks of a downloaded build: the collector's ed25519 signature over SHA256SUMS with the key pinned at
 * enrollment, then the file's sha256 against its line there. Nothing here touches the disk or the network.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { UpgradeError, UpgradeErrors } from './errors.ts';

/** The published file name of the build for this OS and CPU (as agent/build.mjs --cross names them); null when none is built. */
export function buildNameFor(platform: string, arch: string): string | null {
  const os = ({ linux: 'linux', win32: 'win', darwin: 'darwin' } as Record<string, string>)[platform];
  if (!os || !/^[a-z0-9]+$/.test(arch)) return null;
  return `nines-agent-${os}-${arch}${platform === 'win32' ? '.exe' : ''}`;
}

/** The pinned key, as the enrollment answer carries it (SPKI DER, base64) or as PEM. */
export function parsePinnedKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new UpgradeError(UpgradeErrors.NO_KEY, `the pinned signing key is not a public key: ${(error as Error).message}`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UpgradeError(UpgradeErrors.NO_KEY, `the pinned signing key is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}

/** The same key in the form the identity keeps (SPKI DER, base64), whichever form it was given in. */
export function canonicalKey(text: string): string {
  return parsePinnedKey(text).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** sha256 per name from SHA256SUMS text (`<64 hex>  <name>` lines as sha256sum writes them). */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

export interface Release {
  /** SHA256SUMS as served. */
  sums: Buffer;
  /** SHA256SUMS.sig as served: 64 raw bytes. */
  signature: Buffer;
}

/** The signed sha256 of `name`; throws BAD_SIGNATURE when the sums are not signed by `key`, NOT_PUBLISHED when `name` is not in them. */
export function signedHashOf(release: Release, key: KeyObject, name: string): string {
  let ok = false;
  try {
    ok = release.signature.length === 64 && verify(null, release.sums, key, release.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new UpgradeError(UpgradeErrors.BAD_SIGNATURE, 'SHA256SUMS is not signed by the collector key pinned at enrollment: refusing the download');
  const hash = parseSums(release.sums.toString('utf8')).get(name);
  if (!hash) throw new UpgradeError(UpgradeErrors.NOT_PUBLISHED, `the collector publishes no ${name} (its SHA256SUMS lists: ${[...parseSums(release.sums.toString('utf8')).keys()].join(', ') || 'nothing'})`);
  return hash;
}

/** Throws HASH_MISMATCH unless the bytes hash to the signed sha256. */
export function checkHash(bytes: Buffer, want: string, name: string): void {
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want) throw new UpgradeError(UpgradeErrors.HASH_MISMATCH, `${name} has sha256 ${got}, but the signed SHA256SUMS says ${want}: refusing it`);
}
