/**
 * Monitored targets in the test process that go down and up on command, recording the real moment of
 * every transition, so expected figures come from what actually happened, not from the planned schedule.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

export interface Transition {
  at: number;
  up: boolean;
}

/** A real span [from, to) in which the target was down. */
export interface Span {
  from: number;
  to: number;
}

export class Schedule {
  readonly transitions: Transition[] = [];
  record(up: boolean): number {
    const at = Date.now();
    this.transitions.push({ at, up });
    return at;
  }

  /** The down spans, closed at `end` if still down. */
  downSpans(end = Date.now()): Span[] {
    const spans: Span[] = [];
    let downSince: number | null = null;
    for (const t of this.transitions) {
      if (!t.up && downSince === null) downSince = t.at;
      if (t.up && downSince !== null) {
        spans.push({ from: downSince, to: t.at });
        downSince = null;
      }
    }
    if (downSince !== null) spans.push({ from: downSince, to: end });
    return spans;
  }
}

/** An HTTP server answering 200 "nines-e2e ok" while up and 500 while down. */
export async function startHttpTarget(): Promise<{ url: string; schedule: Schedule; setUp(up: boolean): number; close(): Promise<void> }> {
  let up = true;
  const schedule = new Schedule();
  const server: HttpServer = createHttpServer((_req, res) => {
    res.writeHead(up ? 200 : 500, { 'content-type': 'text/plain', connection: 'close' });
    res.end(up ? 'nines-e2e ok' : 'nines-e2e broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  schedule.record(true);
  return {
    url: `http://127.0.0.1:${port}/health`,
    schedule,
    setUp(next) {
      up = next;
      return schedule.record(next);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A TCP listener that sends a banner; always up (the 1 min and 3 min checks test coverage, not downtime). */
export async function startTcpTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.end('NINES-E2E ready\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
