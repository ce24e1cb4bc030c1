/** `apt-cache policy <pkg>…`: asked only for kept-back packages, to tell phasing from holds and find their origin. */
export interface AptPolicy {
  installed?: string;
  candidate?: string;
  /** The candidate is being phased (Ubuntu; apt ≥ 2.1): "(phased N%)" on its version line. */
  candidatePhased: boolean;
  /** Source lines of the candidate: "500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages". */
  candidateSources: string[];
}

const VERSION_LINE = /^ (?:\*\*\*| {3}) (\S+) (-?\d+)(?: \(phased (\d+)%\))?$/;
const SOURCE_LINE = /^ {8}(-?\d+) (.+)$/;

export function parseAptPolicy(text: string): Map<string, AptPolicy> {
  const out = new Map<string, AptPolicy>();
  let current: AptPolicy | undefined;
  let version: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^(\S+):$/.exec(line);
    if (header) {
      current = { candidatePhased: false, candidateSources: [] };
      out.set(header[1]!, current);
      version = undefined;
      continue;
    }
    if (!current) continue;
    const field = /^ {2}(Installed|Candidate): (.+)$/.exec(line);
    if (field) {
      const value = field[2]!.trim() === '(none)' ? undefined : field[2]!.trim();
      if (field[1] === 'Installed') current.installed = value;
      else current.candidate = value;
      continue;
    }
    const v = VERSION_LINE.exec(line);
    if (v) {
      version = v[1];
      if (version === current.candidate && v[3] !== undefined) current.candidatePhased = true;
      continue;
    }
    const s = SOURCE_LINE.exec(line);
    if (s && version !== undefined && version === current.candidate) current.candidateSources.push(`${s[1]} ${s[2]}`);
  }
  return out;
}

/** A source line of a -security suite: ".../debian-security bookworm-security/main …", "… jammy-security/main …". */
export function isSecuritySource(source: string): boolean {
  return /\s[^\s/]+-security\//.test(source);
}
