/**
 * The collector's ed25519 signing key: made once in the data directory, reused on every start. Agents pin its
 * public half at enrollment and install only agent builds whose SHA256SUMS it signed (docs/install.md#upgrade).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNING_KEY_FILE = 'signing-key.pem';

export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI DER, base64: what the enrollment answer carries and the agent pins. */
  publicKey: string;
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${privateKey.asymmetricKeyType}, not ed25519`);
  return { privateKey, publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64') };
}

/** A key that lives only as long as the process: for tests and apps built without a data directory. */
export function ephemeralSigningKey(): SigningKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

/**
 * Reads DATA_DIR/signing-key.pem (PKCS#8 PEM), or creates it with mode 0600 when absent. A file that is there
 * but unreadable or not an ed25519 key is an error, never silently replaced: enrolled agents pin the old key.
 */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const path = join(dataDir, SIGNING_KEY_FILE);
  let pem: string | null = null;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the signing key ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (pem !== null) {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (error) {
      throw new Error(`${path} is not a private key (${(error as Error).message}); restore it from a backup, enrolled agents pin its public key`, { cause: error });
    }
    // An older copy restored with a loose mode: tighten it, the key signs what agents run.
    if ((statSync(path).mode & 0o077) !== 0 && process.platform !== 'win32') chmodSync(path, 0o600);
    return fromPrivate(key);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const text = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(path + '.tmp', text, { mode: 0o600 });
  renameSync(path + '.tmp', path);
  return fromPrivate(privateKey);
}

/** The detached signature (64 bytes) over exactly these bytes. */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return sign(null, data, key.privateKey);
}
