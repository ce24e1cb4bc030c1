/** A lightweight simulated agent speaking the real wire protocol (hello → welcome → results → ack) over a real WebSocket. */
import WebSocket from 'ws';
import { AGENT_WS_PATH, PROTOCOL_VERSION, type Result } from '@nines/shared';
import type { AgentCredentials } from './collector.ts';

export class WireAgent {
  private socket: WebSocket | null = null;
  private ackedUpTo = 0;
  private ackWaiters: { upTo: number; resolve: () => void }[] = [];
  /** Called for every ack, with the time it arrived. */
  onAck: ((upTo: number) => void) | null = null;
  closedWith: { code: number; reason: string } | null = null;

  constructor(readonly credentials: AgentCredentials) {}

  /** Opens the socket and completes the handshake; resolves with the welcome's lastStoredSeq. */
  connect(baseUrl: string, timeoutMs = 30_000): Promise<number> {
    const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + AGENT_WS_PATH, {
      headers: { authorization: `Bearer ${this.credentials.agentId}.${this.credentials.secret}` },
      handshakeTimeout: timeoutMs,
    });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.credentials.agentId}: no welcome within ${timeoutMs} ms`)), timeoutMs);
      socket.on('open', () => {
        socket.send(JSON.stringify({
          type: 'hello', protocol: PROTOCOL_VERSION, agentVersion: 'bench', hostname: 'bench', platform: 'linux',
          bootId: 'bench', sentAt: Date.now(), lastSeq: 0, backlog: 0, configVersion: 0,
        }));
      });
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; upTo?: number; lastStoredSeq?: number; message?: string };
        if (message.type === 'welcome') {
          clearTimeout(timer);
          this.ackedUpTo = message.lastStoredSeq!;
          resolve(message.lastStoredSeq!);
        } else if (message.type === 'ack') {
          this.ackedUpTo = Math.max(this.ackedUpTo, message.upTo!);
          this.onAck?.(message.upTo!);
          this.ackWaiters = this.ackWaiters.filter((w) => (w.upTo <= this.ackedUpTo ? (w.resolve(), false) : true));
        } else if (message.type === 'error') {
          reject(new Error(`collector error: ${message.message}`));
        }
      });
      socket.on('error', (error) => (clearTimeout(timer), reject(error)));
      socket.on('close', (code, reason) => {
        clearTimeout(timer);
        this.closedWith = { code, reason: reason.toString() };
        reject(new Error(`agent socket closed ${code} ${reason.toString()}`));
      });
    });
  }

  get acked(): number {
    return this.ackedUpTo;
  }

  /** Sends a pre-serialized results frame. */
  send(frame: string): void {
    this.socket!.send(frame);
  }

  /** Resolves when everything up to `upTo` is acknowledged. */
  ackedBy(upTo: number): Promise<void> {
    if (this.ackedUpTo >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.push({ upTo, resolve }));
  }

  close(): void {
    this.socket?.terminate();
  }
}

/** A plausible result: what an http check on a 60 s interval produces. */
export function benchResult(seq: number, check: number, at: number, metrics: Record<string, number> = {}): Result {
  return {
    seq, checkId: `check-${String(check).padStart(2, '0')}`, kind: 'http', status: 'OK', message: `HTTP 200 in ${30 + (seq % 20)} ms`,
    metrics: { latency_ms: 30 + (seq % 20), status_code: 200, redirects: 0, ...metrics }, startedAt: at, finishedAt: at + 30 + (seq % 20),
  };
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}
