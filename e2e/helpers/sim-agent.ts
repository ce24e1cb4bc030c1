/**
 * A simulated agent in the test process that keeps the real agent's promises on the wire (agent/src/connection.ts,
 * agent/src/spool.ts): seqs from 1, one result per check interval whether connected or not, every result kept until
 * acknowledged, hello with the highest seq assigned and the backlog, after the welcome the unacknowledged ones
 * (those past lastStoredSeq) oldest first in batches with at most MAX_IN_FLIGHT unacknowledged, a reconnect after the
 * agent's own jittered backoff (agent/src/backoff.ts) whenever the socket closes. Many of them cost a few sockets,
 * not a hundred node processes. Not mirrored: gaps (nothing is dropped here) and the silence watchdog (behind nginx
 * a killed collector's sockets are closed, not left hanging).
 */
import WebSocket from 'ws';
import { AGENT_WS_PATH, LIMITS, PROTOCOL_VERSION, type Result, type Status } from '@nines/shared';
import { backoffDelay } from '../../agent/src/backoff.ts';

const MAX_IN_FLIGHT = 4; // the real agent's DEFAULT_MAX_IN_FLIGHT

export interface SimAgentOptions {
  /** The collector's (here: nginx's) base URL, http://… */
  url: string;
  agentId: string;
  secret: string;
  hostname: string;
  checkId: string;
  checkName: string;
  intervalMs: number;
  /** The status of the result checked at `at`: the scenario's schedule. */
  statusAt(at: number): Status;
}

export class SimAgent {
  /** The highest seq assigned (the hello's lastSeq). */
  lastSeq = 0;
  /** Assigned and not yet acknowledged, oldest first: the spool. */
  private unacked: Result[] = [];
  private ackedUpTo = 0;
  private sentUpTo = 0;
  private inFlight: number[] = [];
  private attempt = 0;
  private socket: WebSocket | null = null;
  private streaming = false;
  private stopped = false;
  private producer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Welcomes received: the first connection and every reconnect. */
  welcomes = 0;
  /** Each welcome's lastStoredSeq beside what this agent had assigned then (what a reconnect resumes from). */
  readonly resumes: Array<{ at: number; lastStoredSeq: number; lastSeq: number }> = [];

  constructor(readonly options: SimAgentOptions) {}

  get backlog(): number {
    return this.unacked.length;
  }

  get connected(): boolean {
    return this.streaming;
  }

  start(): void {
    this.connect();
    this.producer = setInterval(() => this.produce(), this.options.intervalMs);
  }

  /** No more results (the scheduler stopped); the link stays up so the backlog drains. */
  stopProducing(): void {
    if (this.producer) clearInterval(this.producer);
    this.producer = null;
  }

  close(): void {
    this.stopProducing();
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.terminate();
  }

  private produce(): void {
    const at = Date.now();
    const status = this.options.statusAt(at);
    this.unacked.push({
      seq: ++this.lastSeq, checkId: this.options.checkId, kind: 'http', name: this.options.checkName, status,
      message: status === 'OK' ? 'HTTP 200 in 3 ms' : 'HTTP 500 in 3 ms', metrics: { latency_ms: 3, status_code: status === 'OK' ? 200 : 500 },
      startedAt: at, finishedAt: at + 3, intervalMs: this.options.intervalMs,
    });
    this.pump();
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.options.url.replace(/^http/, 'ws') + AGENT_WS_PATH, {
      headers: { authorization: `Bearer ${this.options.agentId}.${this.options.secret}` },
      maxPayload: LIMITS.maxFrameBytes,
      handshakeTimeout: 15_000,
    });
    this.socket = socket;
    socket.on('open', () => {
      socket.send(JSON.stringify({
        type: 'hello', protocol: PROTOCOL_VERSION, agentVersion: 'e2e-sim', hostname: this.options.hostname, platform: 'linux', bootId: 'e2e-sim',
        sentAt: Date.now(), lastSeq: this.lastSeq, backlog: this.unacked.length, configVersion: 0,
      }));
    });
    socket.on('message', (data) => socket === this.socket && this.onMessage(data.toString()));
    socket.on('error', () => undefined); // the close that follows reconnects
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.streaming = false;
      this.inFlight = [];
      if (this.stopped) return;
      this.retry = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    });
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { type: string; lastStoredSeq?: number; upTo?: number };
    if (message.type === 'welcome') {
      this.resumes.push({ at: Date.now(), lastStoredSeq: message.lastStoredSeq!, lastSeq: this.lastSeq });
      this.welcomes++;
      this.attempt = 0;
      this.streaming = true;
      this.ack(message.lastStoredSeq!);
      this.sentUpTo = this.ackedUpTo;
      this.inFlight = [];
      this.pump();
    } else if (message.type === 'ack' && this.streaming) {
      this.ack(message.upTo!);
      this.inFlight = this.inFlight.filter((upTo) => upTo > message.upTo!);
      this.pump();
    }
  }

  /** As the spool's ack: everything up to `upTo` is stored, so it is let go. */
  private ack(upTo: number): void {
    this.ackedUpTo = Math.max(this.ackedUpTo, upTo);
    this.unacked = this.unacked.filter((r) => r.seq > this.ackedUpTo);
  }

  private pump(): void {
    if (!this.streaming || !this.socket) return;
    while (this.inFlight.length < MAX_IN_FLIGHT) {
      const batch = this.unacked.filter((r) => r.seq > this.sentUpTo).slice(0, LIMITS.maxBatch);
      if (batch.length === 0) return;
      const upTo = batch.at(-1)!.seq;
      this.socket.send(JSON.stringify({ type: 'results', batch, backlog: this.lastSeq - upTo }));
      this.sentUpTo = upTo;
      this.inFlight.push(upTo);
    }
  }
}
