/**
 * Security posture for the people who do not read check messages: which kinds count as security, the worst
 * state over them per client, and each finding as one plain sentence for a client (de/en). No TypeBox here at
 * runtime, so the dashboard bundle can import it (@nines/shared/security); the wire schema is in ./api.ts.
 */
import type { SecurityPosture } from './api.ts';
import type { ResultParams } from './messages/codes.ts';
import type { Status } from './status.ts';
import { SEVERITY } from './status-order.ts';
import type { FindingTexts, SecurityKind } from './security/finding-types.ts';
import { findingsDe } from './security/findings.de.ts';
import { findingsEn } from './security/findings.en.ts';

export type { SecurityKind } from './security/finding-types.ts';

/**
 * Whether the machine is defended and whether it is being attacked, plus the disks (a dying disk loses the
 * data as surely as ransomware does). eventlog is left out: it watches whatever the consultant points it at.
 */
export const SECURITY_KINDS: readonly SecurityKind[] = ['antivirus', 'firewall', 'encryption', 'logins', 'admins', 'smart'];

export function isSecurityKind(kind: string): kind is SecurityKind {
  return (SECURITY_KINDS as readonly string[]).includes(kind);
}

/** Worst state and counts over the security checks only; a check without a result yet counts as UNKNOWN. worst is null without any. */
export function securityPosture(checks: Iterable<{ kind: string; status: Status | null }>): SecurityPosture {
  const posture: SecurityPosture = { worst: null, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 } };
  for (const check of checks) {
    if (!isSecurityKind(check.kind)) continue;
    const status = check.status ?? 'UNKNOWN';
    posture.counts[status]++;
    if (posture.worst === null || SEVERITY[status] > SEVERITY[posture.worst]) posture.worst = status;
  }
  return posture;
}

const TEXTS: Record<'de' | 'en', FindingTexts> = { de: findingsDe, en: findingsEn };

/**
 * What a state code found: a sentence, null when it is this kind's state code and found nothing, undefined when
 * the code is not this kind's state code (a failure, a newer agent's code).
 */
function byCode(texts: FindingTexts, kind: SecurityKind, code: string, params: ResultParams): string | null | undefined {
  const p = params as never;
  const found = (text: string | undefined) => text ?? null;
  switch (`${kind} ${code}`) {
    case 'antivirus antivirus.state': return found(texts.antivirus(p));
    case 'firewall firewall.active': return null;
    case 'firewall firewall.inactive': return found(texts.firewallInactive(p));
    case 'firewall firewall.inbound_allowed': return found(texts.firewallInboundAllowed(p));
    case 'encryption encryption.state': return found(texts.encryption(p));
    case 'logins logins.summary': return found(texts.logins(p));
    case 'admins admins.state': return found(texts.admins(p));
    case 'smart smart.health': return found(texts.smart(p));
    default: return undefined;
  }
}

/**
 * One sentence a client understands, from the code and params the agent's probe sent: "Der Virenschutz ist
 * ausgeschaltet." Never a probe's error text (it is for the consultant). UNKNOWN always says the state cannot be
 * checked — a silent agent's last code would otherwise speak for a machine no one has heard from. A code this
 * version does not know, or params it cannot use, fall back to a sentence from the status alone.
 * Throws for a kind that is not a security kind: the caller picks security checks with isSecurityKind.
 */
export function securityFinding(kind: string, status: Status, code: string | null | undefined, params: ResultParams | null | undefined, lang: string): string {
  if (!isSecurityKind(kind)) throw new Error(`securityFinding: "${kind}" is not a security check kind (${SECURITY_KINDS.join(', ')})`);
  const texts = TEXTS[lang === 'de' ? 'de' : 'en'];
  const subject = texts.subject[kind];
  if (status === 'UNKNOWN') return code === 'agent.silent' ? texts.silent(subject) : texts.unknown(subject);
  let found: string | null | undefined;
  try {
    found = code ? byCode(texts, kind, code, params ?? {}) : undefined;
  } catch {
    found = undefined; // params shaped by a newer agent: the status sentence below still tells the truth
  }
  if (typeof found === 'string' && !/undefined|NaN/.test(found)) return found; // a hole in the sentence: params it cannot use
  if (status !== 'OK') return texts.problem(subject);
  return found === null ? texts.fine[kind] : texts.ok(subject);
}
