import { request } from 'undici';
import { parseDuration, type HttpCheckConfig } from '@nines/shared';
import { errorMessage, thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';

const MAX_BODY_BYTES = 1024 * 1024; // keyword search reads at most this much of a page

export function statusAccepted(code: number, expect: HttpCheckConfig['expectStatus']): boolean {
  if (!expect) return code >= 200 && code < 400;
  return expect.some((e) => (typeof e === 'number' ? e === code : Math.floor(code / 100) === Number(e[0])));
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

export const http = {
  kind: 'http',
  async run(config, ctx): Promise<CheckOutcome> {
    const started = performance.now();
    let response;
    try {
      response = await request(config.url, {
        method: config.method ?? 'GET',
        headers: { 'user-agent': 'nines-agent', ...config.headers },
        body: config.body,
        signal: ctx.signal,
      });
    } catch (error) {
      const reason = ctx.signal.aborted ? `no answer within ${ctx.timeoutMs} ms` : errorMessage(error);
      return { status: 'CRIT', message: `${config.url}: ${reason}`, metrics: {} };
    }
    const needBody = config.keyword !== undefined || config.keywordAbsent !== undefined;
    const text = needBody ? await readBounded(response.body) : (await response.body.dump(), '');
    const latency = Math.round(performance.now() - started);
    const metrics = { latency_ms: latency, status_code: response.statusCode };
    const head = `HTTP ${response.statusCode} in ${latency} ms`;

    if (!statusAccepted(response.statusCode, config.expectStatus)) {
      return { status: 'CRIT', message: `${head}: status not accepted`, metrics };
    }
    if (config.keyword !== undefined && !text.includes(config.keyword)) {
      return { status: 'CRIT', message: `${head}: "${config.keyword}" not found in the body`, metrics };
    }
    if (config.keywordAbsent !== undefined && text.includes(config.keywordAbsent)) {
      return { status: 'CRIT', message: `${head}: "${config.keywordAbsent}" found in the body`, metrics };
    }
    const warn = config.latencyWarn === undefined ? undefined : parseDuration(config.latencyWarn);
    const crit = config.latencyCrit === undefined ? undefined : parseDuration(config.latencyCrit);
    const status = thresholdStatus(latency, warn, crit);
    return { status, message: status === 'OK' ? head : `${head}: slower than ${status === 'CRIT' ? crit : warn} ms`, metrics };
  },
} satisfies CheckDefinition<'http'>;
