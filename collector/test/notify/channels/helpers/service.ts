import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a service received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body as text (utf-8). */
  text: string;
}

/** What the fake service answers: a status, headers and a body (string or JSON). */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export interface TestService {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: ReceivedRequest[];
  /** The next answers, in order; once used up, `fallback` answers. */
  queue(...answers: Answer[]): void;
  /** While on, requests are recorded and left unanswered (a send in flight when the sender dies); off answers those held. */
  hold(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for a notification service (ntfy, Telegram, Teams, …). It records
 * every request whole and answers from a queue, so a test can make the service refuse (429 with Retry-After,
 * 401, 404, 500) exactly as the service's documentation describes, then check what the channel sent.
 */
export async function startService(fallback: Answer = { status: 200, body: {} }, options: { port?: number } = {}): Promise<TestService> {
  const requests: ReceivedRequest[] = [];
  const answers: Answer[] = [];
  let holding = false;
  const held: Array<() => void> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, text: body.toString('utf8') });
      if (holding) return void held.push(reply);
      reply();
    });
    function reply(): void {
      const answer = answers.shift() ?? fallback;
      const payload = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const headers = { ...(typeof answer.body === 'object' ? { 'content-type': 'application/json' } : {}), ...answer.headers };
      if (!res.destroyed) res.writeHead(answer.status, headers).end(payload);
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...a) => void answers.push(...a),
    hold(on) {
      holding = on;
      if (!on) for (const release of held.splice(0)) release();
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
