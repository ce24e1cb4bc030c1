import { TLSSocket } from 'node:tls';
import { Agent, buildConnector, PROBE_CONNECT, request, type Dispatcher } from '../undici-core.ts';
import { DEFAULT_MAX_REDIRECTS, netFailureMessage, parseDuration, withCode, worstStatus, type HttpCheckConfig } from '@nines/shared';
import { errorMessage, thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';
import { certificateFacts, gradeCertificate, trustedCaContext, trustedCas, type CertificateFacts } from './cert.ts';

const MAX_BODY_BYTES = 1024 * 1024; // keyword search reads at most this much of a page

export function statusAccepted(code: number, expect: HttpCheckConfig['expectStatus']): boolean {
  if (!expect) return code >= 200 && code < 400;
  return expect.some((e) => (typeof e === 'number' ? e === code : Math.floor(code / 100) === Number(e[0])));
}

export function authorizationHeader(auth: HttpCheckConfig['auth']): string | undefined {
  if (!auth) return undefined;
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

async function readBounded(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function originKey(hostname: string, port: string | number, protocol: string): string {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return `${bare}:${port || (protocol === 'https:' ? 443 : 80)}`;
}

/**
 * A dispatcher of its own for one run: a fresh connection (so the certificate is really read, not a pooled
 * session's), TLS verification as configured, and the peer certificate of every TLS connection it opens.
 */
function recordingDispatcher(config: HttpCheckConfig, ca: string[] | undefined, certs: Map<string, CertificateFacts>): Agent {
  const connector = buildConnector({ ...PROBE_CONNECT, rejectUnauthorized: !config.ignoreTls, ...(ca ? { secureContext: trustedCaContext(ca) } : {}) });
  return new Agent({
    connections: 1,
    connect: (options, callback) =>
      connector(options, (error, socket) => {
        if (!error && socket instanceof TLSSocket) {
          const facts = certificateFacts(socket);
          if (facts) certs.set(originKey(options.hostname, options.port, options.protocol), facts);
        }
        if (error) callback(error, null);
        else callback(null, socket!);
      }),
  });
}

/**
 * Plain http:// has no certificate to read, so every http check shares one keep-alive pool: no Agent
 * (and, when a server keeps the connection open, no connect) per run. Created on first use.
 */
let plainDispatcher: Agent | undefined;
function sharedPlainDispatcher(): Agent {
  return (plainDispatcher ??= new Agent({ connect: PROBE_CONNECT }));
}

/** One run's dispatchers: shared for http:// hops, the run's own recording Agent (made on first need) for https://. */
class RunDispatchers {
  private tls: Agent | undefined;
  readonly certs = new Map<string, CertificateFacts>();

  constructor(
    private readonly config: HttpCheckConfig,
    private readonly ca: string[] | undefined,
  ) {}

  for(url: URL): Dispatcher {
    if (url.protocol === 'http:') return sharedPlainDispatcher();
    return (this.tls ??= recordingDispatcher(this.config, this.ca, this.certs));
  }

  async close(): Promise<void> {
    await this.tls?.destroy().catch(() => {});
  }
}

interface FinalResponse {
  url: URL;
  response: Dispatcher.ResponseData;
  redirects: number;
}

/** Follows up to maxRedirects Location headers; 303 (and 301/302 after POST) continue as GET, as browsers do. */
async function requestFollowing(config: HttpCheckConfig, dispatchers: RunDispatchers, signal: AbortSignal): Promise<FinalResponse> {
  const maxRedirects = config.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const authorization = authorizationHeader(config.auth);
  let url = new URL(config.url);
  let method = config.method ?? 'GET';
  let body = config.body;
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = { 'user-agent': 'nines-agent', ...config.headers };
    // credentials go only to the origin they were configured for, never to where a redirect points
    if (authorization && url.origin === new URL(config.url).origin) headers.authorization = authorization;
    const response = await request(url, { method, headers, body, signal, dispatcher: dispatchers.for(url) });
    const location = response.headers.location;
    const isRedirect = response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string';
    if (!isRedirect || redirects >= maxRedirects) return { url, response, redirects };
    await response.body.dump();
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new Error(`redirect ${redirects + 1} points to ${next.protocol} (${next.href}), not http(s)`);
    }
    if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}

export const http = {
  kind: 'http',
  async run(config, ctx): Promise<CheckOutcome> {
    let ca: string[] | undefined;
    try {
      ca = await trustedCas(config.caFile);
    } catch (error) {
      const text = errorMessage(error);
      return { status: 'UNKNOWN', message: `${config.url}: ${text}`, ...withCode('check.error', { subject: config.url, error: text }) };
    }
    const dispatchers = new RunDispatchers(config, ca);
    const started = performance.now();
    try {
      let final: FinalResponse;
      try {
        final = await requestFollowing(config, dispatchers, ctx.signal);
      } catch (error) {
        const failure = netFailureMessage(error, config.url, ctx.signal.aborted ? { timedOutAfterMs: ctx.timeoutMs } : { host: new URL(config.url).hostname });
        return { status: 'CRIT', ...failure, metrics: {} };
      }
      const { response, url, redirects } = final;
      const needBody = config.keyword !== undefined || config.keywordAbsent !== undefined;
      let text = '';
      try {
        if (needBody) text = await readBounded(response.body);
        else await response.body.dump();
      } catch (error) {
        const reason = ctx.signal.aborted ? `body not complete within ${ctx.timeoutMs} ms` : errorMessage(error);
        return { status: 'CRIT', message: `${config.url}: HTTP ${response.statusCode}, reading the body failed: ${reason}`, ...withCode('http.body_failed', { url: config.url, statusCode: response.statusCode, error: reason }) };
      }
      const latency = Math.round(performance.now() - started);
      return evaluateHttp(config, { statusCode: response.statusCode, text, latency, url, redirects, cert: dispatchers.certs.get(originKey(url.hostname, url.port, url.protocol)) }, ctx.clock());
    } finally {
      await dispatchers.close();
    }
  },
} satisfies CheckDefinition<'http'>;

export interface HttpObservation {
  statusCode: number;
  text: string;
  latency: number;
  /** Where the last request went, after redirects. */
  url: URL;
  redirects: number;
  cert: CertificateFacts | undefined;
}

/** Grades one answer: status code and keywords decide CRIT first, then latency and the certificate may lower OK. */
export function evaluateHttp(config: HttpCheckConfig, seen: HttpObservation, now: number): CheckOutcome {
  const metrics: Record<string, number> = { latency_ms: seen.latency, status_code: seen.statusCode, redirects: seen.redirects };
  const via = seen.redirects > 0 ? ` after ${seen.redirects} redirect${seen.redirects > 1 ? 's' : ''} to ${seen.url.href}` : '';
  const head = `HTTP ${seen.statusCode} in ${seen.latency} ms${via}`;
  const headParams = { statusCode: seen.statusCode, latencyMs: seen.latency, redirects: seen.redirects, finalUrl: seen.redirects > 0 ? seen.url.href : undefined };

  if (!statusAccepted(seen.statusCode, config.expectStatus)) {
    const tooMany = seen.statusCode >= 300 && seen.statusCode < 400 && seen.redirects >= (config.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
    return { status: 'CRIT', message: `${head}: status not accepted${tooMany ? ' (redirect limit reached)' : ''}`, ...withCode('http.status', { ...headParams, redirectLimit: tooMany ? 1 : undefined }), metrics };
  }
  if (config.keyword !== undefined && !seen.text.includes(config.keyword)) {
    return { status: 'CRIT', message: `${head}: "${config.keyword}" not found in the body`, ...withCode('http.keyword_missing', { ...headParams, keyword: config.keyword }), metrics };
  }
  if (config.keywordAbsent !== undefined && seen.text.includes(config.keywordAbsent)) {
    return { status: 'CRIT', message: `${head}: "${config.keywordAbsent}" found in the body`, ...withCode('http.keyword_found', { ...headParams, keyword: config.keywordAbsent }), metrics };
  }
  const warn = config.latencyWarn === undefined ? undefined : parseDuration(config.latencyWarn);
  const crit = config.latencyCrit === undefined ? undefined : parseDuration(config.latencyCrit);
  let status = thresholdStatus(seen.latency, warn, crit);
  const notes: string[] = [];
  const slowerThanMs = status === 'OK' ? undefined : status === 'CRIT' ? crit : warn;
  let certParams = {};
  if (status !== 'OK') notes.push(`slower than ${slowerThanMs} ms`);
  if (seen.cert) {
    const grade = gradeCertificate(seen.cert, now, { warnDays: config.certWarnDays, critDays: config.certCritDays, graded: !config.ignoreTls });
    metrics.cert_days_left = grade.metrics.cert_days_left;
    status = worstStatus(status, grade.status);
    if (grade.status !== 'OK' || config.ignoreTls) {
      notes.push(grade.text);
      certParams = grade.params;
    }
  }
  return { status, message: notes.length ? `${head}: ${notes.join('; ')}` : head, ...withCode('http.ok', { ...headParams, slowerThanMs, ...certParams }), metrics };
}
