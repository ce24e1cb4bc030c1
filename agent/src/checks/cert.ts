/** The TLS certificate facts the http and tls kinds grade: who it is for, whether it is trusted, when it expires. */
import { readFile } from 'node:fs/promises';
import { createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
import { DEFAULT_CERT_CRIT_DAYS, DEFAULT_CERT_WARN_DAYS, certProblemOf, timeLeft, type CertProblem, type CertState, type Status } from '@nines/shared';

const DAY_MS = 86_400_000;

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** notAfter, UTC ms. */
  validToMs: number;
  /** The chain verified against the trusted CAs and the name matched. */
  trusted: boolean;
  /** Why not, as OpenSSL names it: "self-signed certificate", "certificate has expired", a name mismatch. */
  trustError?: string;
  /** The same as a catalogue code, for messages rendered per language. */
  trustProblem?: CertProblem;
}

export interface CertificateGrade {
  status: Status;
  /** "certificate for example.de expires in 12 d (2026-05-01)" */
  text: string;
  metrics: { cert_days_left: number };
  /** The grade as message params (shared/src/messages): rendered per language at the edges. */
  params: { certState: CertState; certSubject: string; certDate: string; certDaysLeft: number; certLeftMs: number; certLimitDays?: number; certProblem?: CertProblem };
}

/** Reads the peer certificate of a connected TLS socket; null when the server sent none. */
export function certificateFacts(socket: TLSSocket): CertificateFacts | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.valid_to) return null;
  const facts: CertificateFacts = {
    subject: firstOf(cert.subject?.CN) ?? cert.subjectaltname ?? '(no subject)',
    issuer: firstOf(cert.issuer?.CN) ?? firstOf(cert.issuer?.O) ?? '(no issuer)',
    validToMs: Date.parse(cert.valid_to),
    trusted: socket.authorized,
  };
  if (!socket.authorized && socket.authorizationError) {
    facts.trustError = describeTrustError(socket.authorizationError);
    facts.trustProblem = certProblemOf(trustErrorCode(socket.authorizationError));
  }
  return facts;
}

// Node reports OpenSSL's codes; the consultant reads the sentence, the code stays for searching.
const TRUST_ERROR_TEXT: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer unknown (missing intermediate certificate?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer unknown (missing intermediate certificate?)',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not name this host',
};

/** Certificate name fields are arrays when a name appears twice. */
function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function trustErrorCode(error: Error | string): string {
  return typeof error === 'string' ? error : ((error as NodeJS.ErrnoException).code ?? error.message);
}

function describeTrustError(error: Error | string): string {
  const code = trustErrorCode(error);
  const text = TRUST_ERROR_TEXT[code];
  return text ? `${text} (${code})` : code;
}

const HOUR_MS = 3_600_000;

/**
 * Grades a certificate: untrusted or expired is CRIT, expiring within critDays CRIT, within warnDays WARN.
 * With `graded: false` (ignoreTls) only the days left are measured.
 */
export function gradeCertificate(
  facts: CertificateFacts,
  now: number,
  options: { warnDays?: number; critDays?: number; graded?: boolean },
): CertificateGrade {
  const warnDays = options.warnDays ?? DEFAULT_CERT_WARN_DAYS;
  const critDays = options.critDays ?? DEFAULT_CERT_CRIT_DAYS;
  const leftMs = facts.validToMs - now;
  const daysLeft = Math.floor(leftMs / DAY_MS);
  const metrics = { cert_days_left: daysLeft };
  const date = new Date(facts.validToMs).toISOString().slice(0, 10);
  const about = `certificate for ${facts.subject}`;
  const when = leftMs <= 0 ? `expired on ${date}` : `expires in ${timeLeft(leftMs, 'en')} (${date})`;
  const base = { certSubject: facts.subject, certDate: date, certDaysLeft: daysLeft, certLeftMs: Math.max(0, leftMs) };
  const timeState: CertState = leftMs <= 0 ? 'expired' : 'ok';
  if (options.graded === false) return { status: 'OK', text: `${about} ${when}, not verified (ignoreTls)`, metrics, params: { ...base, certState: 'unverified' } };
  if (!facts.trusted) {
    const params = { ...base, certState: 'untrusted' as const, certProblem: facts.trustProblem ?? 'other' };
    return { status: 'CRIT', text: `${about} is not trusted: ${facts.trustError ?? 'unknown reason'}; ${when}`, metrics, params };
  }
  if (leftMs <= 0) return { status: 'CRIT', text: `${about} ${when}`, metrics, params: { ...base, certState: timeState } };
  if (leftMs <= critDays * DAY_MS) return { status: 'CRIT', text: `${about} ${when}, limit ${critDays} d`, metrics, params: { ...base, certState: 'expiring', certLimitDays: critDays } };
  if (leftMs <= warnDays * DAY_MS) return { status: 'WARN', text: `${about} ${when}, limit ${warnDays} d`, metrics, params: { ...base, certState: 'expiring', certLimitDays: warnDays } };
  return { status: 'OK', text: `${about} ${when}`, metrics, params: { ...base, certState: 'ok' } };
}

/** The CAs to trust: the system's (Node's bundle), plus a PEM file of the consultant's internal CA when configured. */
export async function trustedCas(caFile: string | undefined): Promise<string[] | undefined> {
  if (caFile === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(caFile, 'utf8');
  } catch (error) {
    throw new Error(`cannot read caFile ${caFile}: ${(error as Error).message}`, { cause: error });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`caFile ${caFile} holds no PEM certificate`);
  return [...rootCertificates, pem];
}

/**
 * A TLS context trusting these CAs, reused for the same PEM text. Building one parses the ~140 system CAs
 * again (~20 ms of CPU and a few MiB of OpenSSL memory per build); passing `ca` to tls.connect did that on
 * every run. The caFile itself is still read every run (trustedCas), so a replaced CA counts at once.
 * `ca` is what trustedCas returned.
 */
export function trustedCaContext(ca: string[] | undefined): SecureContext | undefined {
  if (ca === undefined) return undefined;
  const key = ca.at(-1)!; // the consultant's PEM: the system CAs before it are the same for every entry
  let context = caContexts.get(key);
  if (!context) {
    context = createSecureContext({ ca });
    if (caContexts.size >= MAX_CA_CONTEXTS) caContexts.delete(caContexts.keys().next().value!);
    caContexts.set(key, context);
  }
  return context;
}

const MAX_CA_CONTEXTS = 16; // one per distinct caFile content; a few internal CAs per agent at most
const caContexts = new Map<string, SecureContext>();
