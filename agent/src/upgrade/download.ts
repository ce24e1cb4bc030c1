/**
 * Fetches SHA256SUMS, SHA256SUMS.sig and one build from the collector the agent is enrolled with, under the same
 * TLS trust as its socket (extra CA, pinned certificate, plain http:// only to loopback unless allowed). Impure;
 * what the bytes mean is verify.ts's business.
 */
import { request, Agent as Dispatcher, PROBE_CONNECT } from '../undici-core.ts';
import { agentSocketUrl } from '../connection.ts';
import { enrollDispatcher, type EnrollTls } from '../identity.ts';
import { UpgradeError, UpgradeErrors } from './errors.ts';

/** Far above a standalone agent (Node inside: about 120 MB), so a broken or hostile server cannot fill the disk. */
export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;
const TIMEOUT_MS = 120_000; // a 100 MB build over a slow office line, between two bytes (undici's timeouts are idle times)

export interface Downloaded {
  sums: Buffer;
  signature: Buffer;
  file: Buffer;
}

export async function downloadRelease(collectorUrl: string, name: string, tls: EnrollTls = {}): Promise<Downloaded> {
  try {
    agentSocketUrl(collectorUrl, tls.allowInsecure); // the same rule as the socket: no plain http to another machine unless allowed
  } catch (error) {
    throw new UpgradeError(UpgradeErrors.DOWNLOAD, (error as Error).message, { cause: error });
  }
  const dispatcher = enrollDispatcher(tls) ?? new Dispatcher({ connect: PROBE_CONNECT });
  try {
    const get = (file: string) => fetchBytes(dispatcher, new URL(`download/${file}`, collectorUrl.replace(/\/?$/, '/')).toString(), file);
    const sums = await get('SHA256SUMS');
    const signature = await get('SHA256SUMS.sig');
    const file = await get(name);
    return { sums, signature, file };
  } finally {
    await dispatcher.close();
  }
}

async function fetchBytes(dispatcher: Dispatcher, url: string, name: string): Promise<Buffer> {
  let response;
  try {
    response = await request(url, { method: 'GET', headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, dispatcher });
  } catch (error) {
    throw new UpgradeError(UpgradeErrors.DOWNLOAD, `cannot download ${name} from ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (response.statusCode !== 200) {
    const body = await response.body.text().catch(() => '');
    const detail = /"message":"([^"]*)"/.exec(body)?.[1] ?? `HTTP ${response.statusCode}`;
    throw new UpgradeError(response.statusCode === 404 ? UpgradeErrors.NOT_PUBLISHED : UpgradeErrors.DOWNLOAD, `cannot download ${name}: ${detail}`);
  }
  const header = response.headers['content-length'];
  const expected = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : null;
  if (expected !== null && expected > MAX_DOWNLOAD_BYTES) {
    await response.body.dump().catch(() => undefined);
    throw new UpgradeError(UpgradeErrors.DOWNLOAD, `${name} is ${expected} bytes, more than the ${MAX_DOWNLOAD_BYTES} an agent build can be`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of response.body) {
      received += (chunk as Buffer).length;
      if (received > MAX_DOWNLOAD_BYTES) throw new Error(`more than ${MAX_DOWNLOAD_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    response.body.destroy();
    throw new UpgradeError(UpgradeErrors.TRUNCATED, `the download of ${name} broke off after ${received}${expected === null ? '' : ` of ${expected}`} bytes: ${(error as Error).message}`, { cause: error });
  }
  if (expected !== null && received !== expected) {
    throw new UpgradeError(UpgradeErrors.TRUNCATED, `the download of ${name} ended after ${received} of ${expected} bytes`);
  }
  return Buffer.concat(chunks);
}
