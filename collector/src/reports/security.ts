/**
 * The monthly report's security section, independent of language: each security check of the client (SECURITY_KINDS)
 * with its state at the month's end, and each finding of the month — a run of WARN/CRIT results — with when it was
 * noticed and when it was fixed. The report renders each in plain words (securityFinding) in its language.
 */
import { SECURITY_KINDS, worstStatus, type ResultParams, type SecurityKind, type Status } from '@nines/shared';
import type { KindResultRecord } from '../store/availability.ts';
import type { AvailabilitySource } from '../availability/source.ts';

/** Findings listed per check; a login check that trips every night would otherwise fill pages. */
export const MAX_FINDINGS_PER_CHECK = 10;

export interface SecurityState {
  status: Status;
  code: string | null;
  params: ResultParams | null;
  message: string;
  at: number;
}

export interface SecurityFinding extends SecurityState {
  /** When the finding was first noticed: the first WARN/CRIT result of the run. `at` is the result that shows its worst state. */
  from: number;
  /** The first OK result after the run (fixed), or null when it lasted to the month's end. */
  fixedAt: number | null;
}

export interface SecuritySummary {
  host: string;
  checkId: string;
  check: string;
  kind: SecurityKind;
  counts: Record<Status, number>;
  /** The last result of the month: what is the case now. */
  last: SecurityState;
  /** The newest MAX_FINDINGS_PER_CHECK findings, oldest first; `earlierFindings` counts those left out. */
  findings: SecurityFinding[];
  earlierFindings: number;
}

const stateOf = (r: KindResultRecord): SecurityState => ({ status: r.status, code: r.code, params: r.params, message: r.message, at: r.startedAt });

/**
 * Runs of WARN/CRIT results, each ended by the next OK. UNKNOWN neither starts nor ends one: a probe that could not
 * look says nothing about whether the firewall came back on.
 */
export function findingsOf(rows: readonly KindResultRecord[]): SecurityFinding[] {
  const found: SecurityFinding[] = [];
  let open: SecurityFinding | null = null;
  for (const r of rows) {
    if (r.status === 'WARN' || r.status === 'CRIT') {
      if (!open) found.push((open = { ...stateOf(r), from: r.startedAt, fixedAt: null }));
      else if (worstStatus(open.status, r.status) !== open.status) Object.assign(open, stateOf(r));
    } else if (r.status === 'OK' && open) {
      open.fixedAt = r.startedAt;
      open = null;
    }
  }
  return found;
}

/** One summary per security check with results in [from, to), by host and check name. */
export async function securitySummaries(src: AvailabilitySource, clientId: number, from: number, to: number): Promise<SecuritySummary[]> {
  const out: SecuritySummary[] = [];
  for (const kind of SECURITY_KINDS) {
    const byCheck = new Map<string, KindResultRecord[]>();
    for (const r of await src.availability.resultsOfKind(clientId, kind, from, to)) {
      const key = `${r.agentId}/${r.checkId}`;
      let rows = byCheck.get(key);
      if (!rows) byCheck.set(key, (rows = []));
      rows.push(r);
    }
    for (const rows of byCheck.values()) {
      const last = rows.at(-1)!;
      const counts: Record<Status, number> = { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 };
      for (const r of rows) counts[r.status]++;
      const all = findingsOf(rows);
      out.push({
        host: last.agentName, checkId: last.checkId, check: last.checkName, kind, counts, last: stateOf(last),
        findings: all.slice(-MAX_FINDINGS_PER_CHECK), earlierFindings: Math.max(0, all.length - MAX_FINDINGS_PER_CHECK),
      });
    }
  }
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.check.localeCompare(b.check));
}
