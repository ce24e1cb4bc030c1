/** The security section's rows in one language, shared by the HTML and the PDF report so both say the same. */
import { checkDisplayName, securityFinding } from '@nines/shared';
import type { Formatter } from './format.ts';
import type { Lang, Messages } from './messages.ts';
import type { SecuritySummary } from './security.ts';

export interface SecurityRows {
  /** Host, check, the latest state in plain words, results OK / warning / failed. */
  now: string[][];
  /** Host, check, the finding in plain words, noticed, fixed (or "not yet"). */
  findings: string[][];
  /** One line per check with findings left out. */
  notes: string[];
}

export function securityRows(summaries: readonly SecuritySummary[], lang: Lang, f: Formatter, m: Messages): SecurityRows {
  const rows: SecurityRows = { now: [], findings: [], notes: [] };
  for (const s of summaries) {
    const check = checkDisplayName({ id: s.checkId, name: s.check, kind: s.kind }, lang, s.last.params);
    rows.now.push([s.host, check, securityFinding(s.kind, s.last.status, s.last.code, s.last.params, lang), `${s.counts.OK} / ${s.counts.WARN} / ${s.counts.CRIT}`]);
    for (const x of s.findings) {
      rows.findings.push([s.host, check, securityFinding(s.kind, x.status, x.code, x.params, lang), f.dateTime(x.from), x.fixedAt === null ? m.notFixed : f.dateTime(x.fixedAt)]);
    }
    if (s.earlierFindings > 0) rows.notes.push(`${s.host} · ${check}: ${m.earlierFindings.replace('{0}', String(s.earlierFindings))}`);
  }
  return rows;
}
