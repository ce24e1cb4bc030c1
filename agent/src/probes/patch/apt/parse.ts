import type { PendingUpdate } from '../types.ts';

export interface AptSimulation {
  updates: PendingUpdate[];
  /** Ubuntu's "deferred due to phasing": offered to a share of machines only, so not pending here yet. */
  deferred: string[];
  /** The "N upgraded, N newly installed, N to remove and N not upgraded." line, as numbers. */
  summary: { upgraded: number; newlyInstalled: number; toRemove: number; notUpgraded: number };
}

// Inst <name> [<installed>] (<candidate> <origin>, <origin>… [<arch>]) [broken deps]
// apt-pkg/algorithms.cc pkgSimulate::Describe; only upgrades carry the "[installed]" part.
const INST = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+) (.*?) ?\[([^\]]+)\]\)(?: \[.*\])?$/;
const SUMMARY = /^(\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded\.$/;
const KEPT_BACK = 'The following packages have been kept back:';
const DEFERRED = 'The following upgrades have been deferred due to phasing:';

/** Origins such as "Debian-Security:12/bookworm-security" or "Ubuntu:22.04/jammy-security" (and ESM's "-apps-security"). */
export function isSecurityOrigin(origins: string): boolean {
  return /(^|[\s,])Debian-Security:/.test(origins) || /\/[^\s,/]*-security(,|$|\s)/.test(origins);
}

export interface AptInstLine {
  name: string;
  current?: string;
  candidate: string;
  origins: string;
  arch: string;
}

export function parseAptInstLine(line: string): AptInstLine | undefined {
  const m = INST.exec(line);
  if (!m) return undefined;
  const parsed: AptInstLine = { name: m[1]!, candidate: m[3]!, origins: m[4]!.trim(), arch: m[5]! };
  if (m[2] !== undefined) parsed.current = m[2];
  return parsed;
}

/** The indented package names under a section header, up to the next unindented line. */
function sectionNames(lines: string[], header: string): string[] {
  const start = lines.indexOf(header);
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line)) break;
    names.push(...line.trim().split(/\s+/).filter(Boolean));
  }
  return names;
}

/**
 * Parses `apt-get -s upgrade` (C locale). Throws with the reason when the text is not that output,
 * so that garbage or a translated run becomes UNKNOWN rather than "0 updates".
 */
export function parseAptSimulation(text: string): AptSimulation {
  const lines = text.split(/\r?\n/);
  const summaryLine = lines.map((l) => SUMMARY.exec(l.trim())).find((m) => m !== null);
  if (!summaryLine) throw new Error('no "N upgraded, … not upgraded." line in the apt-get output (not the C locale, or not apt-get?)');
  const [upgraded, newlyInstalled, toRemove, notUpgraded] = summaryLine.slice(1, 5).map(Number) as [number, number, number, number];

  const updates: PendingUpdate[] = [];
  for (const line of lines) {
    if (!line.startsWith('Inst ')) continue;
    const inst = parseAptInstLine(line);
    if (!inst) throw new Error(`unrecognised apt-get line: ${line.slice(0, 200)}`);
    if (inst.current === undefined) continue; // a new package pulled in, not an update of an installed one
    const update: PendingUpdate = { name: inst.name, current: inst.current, candidate: inst.candidate, security: isSecurityOrigin(inst.origins) };
    if (inst.origins) update.origin = inst.origins;
    updates.push(update);
  }
  if (updates.length !== upgraded) {
    throw new Error(`apt-get reported ${upgraded} upgraded but listed ${updates.length} upgrades`);
  }
  for (const name of sectionNames(lines, KEPT_BACK)) updates.push({ name, security: false, keptBack: true });
  const deferred = sectionNames(lines, DEFERRED);
  return { updates, deferred, summary: { upgraded, newlyInstalled, toRemove, notUpgraded } };
}

/** The first "E:" lines of apt's stderr: the reason a person needs ("E: dpkg was interrupted …"). */
export function aptErrorReason(stderr: string): string | undefined {
  const errors = stderr.split(/\r?\n/).filter((l) => l.startsWith('E: '));
  return errors.length ? errors.slice(0, 3).join(' ') : undefined;
}

/** /var/run/reboot-required.pkgs: one package per line, often repeated. */
export function parseRebootRequiredPkgs(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
}
