import { Resolver } from 'node:dns/promises';
import { parseDuration, withCode, type DnsCheckConfig, type DnsRecordType } from '@nines/shared';
import { errorMessage, thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';

const DNS_TRIES = 2; // one retry covers a lost UDP packet; more only hides a dead server behind the timeout

/** Asks for one record type and renders each answer as text, the way `expect` spells it. */
export async function lookup(resolver: Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'MX':
      return (await resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'NS':
      return resolver.resolveNs(name);
  }
}

/** Names compare without case and trailing dot; IPv6 addresses without case; everything else as written. */
export function normalizeAnswer(answer: string): string {
  return answer.trim().toLowerCase().replace(/\.$/, '');
}

/** c-ares error codes as the consultant reads them. */
export function describeDnsError(error: unknown, name: string, type: DnsRecordType): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOTFOUND':
      return `${name} does not exist (NXDOMAIN)`;
    case 'ENODATA':
      return `${name} has no ${type} record`;
    case 'ESERVFAIL':
      return `the server failed to answer for ${name} (SERVFAIL)`;
    case 'EREFUSED':
      return `the server refused to answer for ${name} (REFUSED)`;
    case 'ETIMEOUT':
      return 'no answer from the DNS server';
    case 'ECONNREFUSED':
      return 'the DNS server refused the connection';
    default:
      return errorMessage(error);
  }
}

const DNS_REASONS = { ENOTFOUND: 'nxdomain', ENODATA: 'nodata', ESERVFAIL: 'servfail', EREFUSED: 'refused', ETIMEOUT: 'timeout', ECONNREFUSED: 'conn_refused' } as const;

/** The catalogue's name for a c-ares error code. */
export function dnsFailureReason(error: unknown): (typeof DNS_REASONS)[keyof typeof DNS_REASONS] | 'other' {
  const code = (error as NodeJS.ErrnoException).code;
  return code && code in DNS_REASONS ? DNS_REASONS[code as keyof typeof DNS_REASONS] : 'other';
}

export function evaluateDns(config: DnsCheckConfig, answers: string[], latency: number): CheckOutcome {
  const type = config.recordType ?? 'A';
  const metrics = { latency_ms: latency, answers_count: answers.length };
  const head = `${config.query} ${type} → ${answers.join(', ') || '(none)'} in ${latency} ms${config.server ? ` via ${config.server}` : ''}`;
  const have = new Set(answers.map(normalizeAnswer));
  const missing = (config.expect ?? []).filter((e) => !have.has(normalizeAnswer(e)));
  const params = { query: config.query, type, answers: answers.join(', '), latencyMs: latency, server: config.server };
  if (missing.length > 0) return { status: 'CRIT', message: `${head}: expected ${missing.join(', ')} missing`, ...withCode('dns.answer', { ...params, missing: missing.join(', ') }), metrics };
  const warn = config.latencyWarn === undefined ? undefined : parseDuration(config.latencyWarn);
  const crit = config.latencyCrit === undefined ? undefined : parseDuration(config.latencyCrit);
  const status = thresholdStatus(latency, warn, crit);
  const slowerThanMs = status === 'OK' ? undefined : status === 'CRIT' ? crit : warn;
  return { status, message: status === 'OK' ? head : `${head}: slower than ${slowerThanMs} ms`, ...withCode('dns.answer', { ...params, slowerThanMs }), metrics };
}

export const dns = {
  kind: 'dns',
  async run(config, ctx): Promise<CheckOutcome> {
    const type = config.recordType ?? 'A';
    const resolver = new Resolver({ timeout: Math.max(1, Math.floor(ctx.timeoutMs / DNS_TRIES)), tries: DNS_TRIES });
    if (config.server !== undefined) {
      try {
        resolver.setServers([config.server]);
      } catch (error) {
        return { status: 'UNKNOWN', message: `server "${config.server}" is not usable: ${errorMessage(error)}`, ...withCode('dns.bad_server', { server: config.server, error: errorMessage(error) }) };
      }
    }
    const cancel = () => resolver.cancel();
    ctx.signal.addEventListener('abort', cancel, { once: true });
    const started = performance.now();
    try {
      const answers = await lookup(resolver, config.query, type);
      return evaluateDns(config, answers, Math.round(performance.now() - started));
    } catch (error) {
      const reason = ctx.signal.aborted ? `no answer within ${ctx.timeoutMs} ms` : describeDnsError(error, config.query, type);
      const code = ctx.signal.aborted
        ? withCode('dns.failed', { query: config.query, type, server: config.server, reason: 'timeout' })
        : withCode('dns.failed', { query: config.query, type, server: config.server, reason: dnsFailureReason(error), error: dnsFailureReason(error) === 'other' ? errorMessage(error) : undefined });
      return { status: 'CRIT', message: `${config.query} ${type}${config.server ? ` via ${config.server}` : ''}: ${reason}`, ...code, metrics: {} };
    } finally {
      ctx.signal.removeEventListener('abort', cancel);
    }
  },
} satisfies CheckDefinition<'dns'>;
