import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with node:http, not fetch: the path goes out byte for byte (no normalisation of %61 and
 * the like), and the source address can be chosen (127.0.0.2 … for tests of per-address limits).
 */
export function rawRequest(
  url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: unknown; localAddress?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname, port, method: options.method ?? 'GET', path: options.path, localAddress: options.localAddress, agent: false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
