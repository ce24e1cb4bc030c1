/**
 * What agent build the collector offers: the version in DOWNLOADS_DIR/VERSION (one line, e.g. "0.2.0"), or this
 * collector's own version when that file is absent (`npm run build` writes the executables of the same checkout),
 * and one file per platform/arch from the names SHA256SUMS lists (nines-agent-<linux|win|darwin>-<arch>[.exe]).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, isVersion, type UpdateFile } from '@nines/shared';

export { compareVersions };
import { SUMS_FILE } from '../http/routes/downloads.ts';

export const VERSION_FILE = 'VERSION';
const EXE_NAME = /^nines-agent-(linux|win|darwin)-([a-z0-9]+)(\.exe)?$/;
const PLATFORM = { linux: 'linux', win: 'win32', darwin: 'darwin' } as const;

export interface UpgradeOffer {
  version: string;
  files: UpdateFile[];
}

/** The offer in a downloads directory, read fresh each time (a rebuild replaces the files); null when nothing is published. */
export function offerIn(dir: string, fallbackVersion: string): UpgradeOffer | null {
  let sums: string;
  try {
    sums = readFileSync(join(dir, SUMS_FILE), 'utf8');
  } catch {
    return null;
  }
  let version = fallbackVersion;
  try {
    version = readFileSync(join(dir, VERSION_FILE), 'utf8').trim();
  } catch {
    // no VERSION file: the build of this checkout
  }
  if (!isVersion(version)) return null; // not comparable, so never "newer"; `nines-collector config check` is where to say so
  const files = sums.split('\n').flatMap((line): UpdateFile[] => {
    const match = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line.trim());
    const exe = match ? EXE_NAME.exec(match[2]!) : null;
    if (!match || !exe) return [];
    const platform = PLATFORM[exe[1] as keyof typeof PLATFORM];
    if ((platform === 'win32') !== (exe[3] === '.exe')) return [];
    return [{ platform, arch: exe[2]!, name: match[2]!, sha256: match[1]! }];
  });
  return files.length > 0 ? { version, files } : null;
}
