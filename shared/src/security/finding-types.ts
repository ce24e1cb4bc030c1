import type { ResultMessageParams } from '../messages/codes.ts';

/** The security kinds, each named the way its language needs it in the generic sentences. */
export type SecurityKind = 'antivirus' | 'firewall' | 'encryption' | 'logins' | 'admins' | 'smart';
export interface Subject {
  /** German genitive / English noun phrase: "des Virenschutzes" / "the antivirus protection". */
  gen: string;
  /** German dative with its preposition / English "with …": "beim Virenschutz" / "with the antivirus protection". */
  dat: string;
}

/**
 * One language's plain-words sentences. A state code's renderer says what it found, or undefined when it found
 * nothing; then `fine` speaks for an OK result, and the generic `problem` for one whose status disagrees (a newer
 * agent's params this version cannot read), so a CRIT never reads as "all is well".
 */
export interface FindingTexts {
  subject: Record<SecurityKind, Subject>;
  fine: Record<SecurityKind, string>;
  ok: (s: Subject) => string;
  problem: (s: Subject) => string;
  unknown: (s: Subject) => string;
  silent: (s: Subject) => string;
  antivirus: (p: ResultMessageParams['antivirus.state']) => string | undefined;
  firewallInactive: (p: ResultMessageParams['firewall.inactive']) => string | undefined;
  firewallInboundAllowed: (p: ResultMessageParams['firewall.inbound_allowed']) => string | undefined;
  encryption: (p: ResultMessageParams['encryption.state']) => string | undefined;
  logins: (p: ResultMessageParams['logins.summary']) => string | undefined;
  admins: (p: ResultMessageParams['admins.state']) => string | undefined;
  smart: (p: ResultMessageParams['smart.health']) => string | undefined;
}
