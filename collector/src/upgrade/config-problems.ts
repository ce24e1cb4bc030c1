/** What `nines-collector config check` says about agent upgrades before the collector starts. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVersion } from '@nines/shared';
import { VERSION_FILE } from './offer.ts';
import { SIGNING_KEY_FILE } from './signing-key.ts';

export function upgradeProblems(downloadsDir: string, dataDir: string): string[] {
  const problems: string[] = [];
  const version = readOptional(join(downloadsDir, VERSION_FILE))?.trim();
  if (version !== undefined && !isVersion(version)) {
    problems.push(`${join(downloadsDir, VERSION_FILE)} says "${version}", not a version like 1.2.3: no agent is told of the builds there`);
  }
  const pem = readOptional(join(dataDir, SIGNING_KEY_FILE));
  if (pem !== undefined) {
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') problems.push(`${join(dataDir, SIGNING_KEY_FILE)} is a ${key.asymmetricKeyType} key, not ed25519`);
    } catch (error) {
      problems.push(`${join(dataDir, SIGNING_KEY_FILE)} is not a private key (${(error as Error).message}); restore it from a backup, enrolled agents pin its public key`);
    }
  }
  return problems;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
