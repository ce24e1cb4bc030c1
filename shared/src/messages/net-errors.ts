/**
 * Socket and TLS errors → net.* codes with the target as a param, so no text shows a raw errno
 * ("connect ECONNREFUSED 127.0.0.1:18511") and the address appears once.
 */
import type { CertProblem, ResultMessageCode, ResultMessageParams } from './codes.ts';
import { coded } from './render.ts';

type NetCode = Extract<ResultMessageCode, `net.${string}`>;
export type NetFailure = { [C in NetCode]: { code: C; params: ResultMessageParams[C] } }[NetCode];

const CERT_PROBLEMS: Record<string, CertProblem> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self_signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self_signed_chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer_unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer_unknown',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer_unknown',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong_host',
  HOSTNAME_MISMATCH: 'wrong_host',
};

export function certProblemOf(code: string): CertProblem {
  return CERT_PROBLEMS[code] ?? 'other';
}

/** The errno-like code of an error, looking through undici's and happy-eyeballs' wrappers. */
function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const raw = (error as { code?: unknown }).code;
  const own = typeof raw === 'string' && raw !== '' ? raw : undefined;
  if (own && own !== 'UND_ERR_SOCKET') return own;
  const inner = error.cause ?? (error instanceof AggregateError ? error.errors[0] : undefined);
  return errorCode(inner) ?? own;
}

/** The error's text without the errno and address Node puts in front ("connect ECONNREFUSED 1.2.3.4:80"). */
function plainText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^(?:connect|getaddrinfo|read|write|querySrv) [A-Z_]+(?: \S+)?:?\s*/, '').slice(0, 200) || text.slice(0, 200);
}

/**
 * What went wrong connecting to `target` (host:port or URL). `host` is the name a failed lookup is about;
 * `timedOutAfterMs` when the check's own deadline cut the attempt short.
 */
export function netFailure(error: unknown, target: string, options: { host?: string; timedOutAfterMs?: number } = {}): NetFailure {
  if (options.timedOutAfterMs !== undefined) return { code: 'net.timeout', params: { target, timeoutMs: options.timedOutAfterMs } };
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: 'net.refused', params: { target } };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'net.timeout', params: { target } };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return { code: 'net.dns_failed', params: { target, host: options.host ?? hostnameOf(error) ?? target } };
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'net.reset', params: { target } };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return { code: 'net.unreachable', params: { target } };
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { code: 'net.closed', params: { target } };
  }
  if (code && (code in CERT_PROBLEMS || /CERT|SELF_SIGNED|ERR_TLS/.test(code))) {
    return { code: 'net.cert_rejected', params: { target, problem: certProblemOf(code), error: code } };
  }
  return { code: 'net.failed', params: { target, error: plainText(error) } };
}

function hostnameOf(error: unknown): string | undefined {
  const hostname = (error as { hostname?: unknown }).hostname;
  return typeof hostname === 'string' ? hostname : undefined;
}

/** A failed connection as an outcome's code, params and English message. */
export function netFailureMessage(error: unknown, target: string, options: { host?: string; timedOutAfterMs?: number } = {}) {
  const failure = netFailure(error, target, options);
  return coded(failure.code, failure.params as never);
}
