import type { PendingUpdate } from '../types.ts';

export interface DnfUpdate {
  name: string;
  arch: string;
  candidate: string;
  repo: string;
}

// "<name>.<arch>   <epoch:version-release>   <repo>"; a long name pushes the rest onto the next line.
const ROW = /^(\S+)\.([A-Za-z0-9_]+)\s+(\S+)\s+(\S+)\s*$/;
const HEADER_NOISE = [
  /^Last metadata expiration check:/,
  /^Loaded plugins:/,
  /^Loading mirror speeds/,
  /^Updating Subscription Management repositories\./,
  /^Unable to read consumer identity/,
  /^This system is not registered/,
  /^Security: /,
  /^ \* /, // yum's mirror list: " * base: mirror.example.org"
];

/**
 * `dnf -q check-update` / `yum -q check-update` (exit 100 when updates exist). Stops at
 * "Obsoleting Packages", whose entries replace packages and repeat names listed above.
 */
export function parseCheckUpdate(text: string): DnfUpdate[] {
  const lines = text.split(/\r?\n/);
  const updates: DnfUpdate[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^Obsoleting Packages/.test(line)) break;
    if (!line.trim() || HEADER_NOISE.some((re) => re.test(line))) continue;
    // a wrapped row: the name alone on one line, version and repo indented on the next
    if (/^\S+\.[A-Za-z0-9_]+$/.test(line.trim()) && i + 1 < lines.length && /^\s+\S+\s+\S+\s*$/.test(lines[i + 1]!)) {
      line = `${line.trim()} ${lines[++i]!.trim()}`;
    }
    const m = ROW.exec(line);
    if (!m) throw new Error(`unrecognised check-update line: ${line.slice(0, 200)}`);
    updates.push({ name: m[1]!, arch: m[2]!, candidate: m[3]!, repo: m[4]! });
  }
  return updates;
}

// "FEDORA-2024-1a2b3c4d5e  Moderate/Sec.  curl-8.2.1-4.fc39.x86_64" (dnf 4) or with the
// type word "security" (yum 3, dnf 5 prints "<advisory> security <severity> <nevra>").
const ADVISORY = /^(\S+)\s+(?:\S+\/Sec\.|security(?:\s+\S+)?)\s+(\S+)\s*$/;

/** Package names (without version and arch) that a security advisory applies to. */
export function parseSecurityAdvisories(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = ADVISORY.exec(line.trim());
    if (!m) continue;
    names.add(nevraName(m[2]!));
  }
  return names;
}

/** "openssl-libs-1:3.0.7-27.el9.x86_64" → "openssl-libs": drop .arch, then release and version. */
export function nevraName(nevra: string): string {
  const withoutArch = nevra.replace(/\.[A-Za-z0-9_]+$/, '');
  return withoutArch.replace(/-[^-]+-[^-]+$/, '');
}

export function toPendingUpdates(updates: DnfUpdate[], security: Set<string>): PendingUpdate[] {
  // one entry per name: multilib boxes list foo.x86_64 and foo.i686 with the same version
  const byName = new Map<string, PendingUpdate>();
  for (const u of updates) {
    if (byName.has(u.name)) continue;
    byName.set(u.name, { name: u.name, candidate: u.candidate, origin: u.repo, security: security.has(u.name) });
  }
  return [...byName.values()];
}
