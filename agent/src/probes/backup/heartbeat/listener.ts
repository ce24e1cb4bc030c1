import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '@nines/shared';
import type { Logger } from 'pino';
import { parseHeartbeatRequest } from './parse.ts';
import { HeartbeatStore } from './store.ts';

export const DEFAULT_HEARTBEAT_PORT = 8787;

export interface HeartbeatListenerOptions {
  stateDir: string;
  /** Default 8787; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1: backup scripts run on this machine, and nobody else should report for them. */
  host?: string;
  clock?: Clock;
  log?: Logger;
}

export interface HeartbeatListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The HTTP endpoint backup scripts call: `curl -fsS http://127.0.0.1:8787/hb/<job>/start|success|fail?exit=…&size=…`.
 * GET and POST both work (request bodies are ignored); the answer is 200 "OK" once the event is on disk.
 */
export async function startHeartbeatListener(options: HeartbeatListenerOptions): Promise<HeartbeatListener> {
  const store = new HeartbeatStore(options.stateDir);
  const clock = options.clock ?? systemClock;
  const server: Server = createServer((req, res) => {
    req.resume(); // drain any body, so keep-alive connections stay usable
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') return reply(405, 'use GET or POST');
    let parsed;
    try {
      parsed = parseHeartbeatRequest(req.url ?? '/');
    } catch {
      return reply(400, 'malformed URL');
    }
    if (!parsed.ok) return reply(parsed.httpStatus, parsed.reason);
    const { job, event } = parsed;
    store.record(job, event, clock()).then(
      () => {
        options.log?.info({ job, event }, 'backup heartbeat');
        reply(200, 'OK');
      },
      (error: unknown) => {
        options.log?.error({ job, err: error }, 'cannot store backup heartbeat');
        reply(500, `cannot store the event: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  });
  server.requestTimeout = 10_000; // a script's call is one short request; a stuck client must not pin a socket
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_HEARTBEAT_PORT, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
