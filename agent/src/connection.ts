import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import {
  AGENT_WS_PATH, CollectorMessageSchema, compileValidator, LIMITS, PROTOCOL_VERSION,
  type Clock, type CollectorMessage, type ConfigMessage, type Hello,
} from '@nines/shared';
import type { Spool } from './spool.ts';
import { backoffDelay } from './backoff.ts';

export type ConnectionState = 'idle' | 'connecting' | 'handshaking' | 'streaming' | 'waiting' | 'stopped';

export interface ConnectionOptions {
  url: string;
  agentId: string;
  secret: string;
  spool: Spool;
  clock: Clock;
  log: Logger;
  hello: Omit<Hello, 'type' | 'protocol' | 'sentAt' | 'lastSeq' | 'backlog' | 'configVersion'>;
  configVersion: () => number;
  onConfig: (config: ConfigMessage) => void;
  /** CA bundle to trust for wss:// (PEM file), beside the system's. */
  caFile?: string;
  /** SHA-256 fingerprint of the collector's certificate ("AB:CD:…"): trust exactly this one. */
  pinnedFingerprint?: string;
  /** Plain ws:// to a non-loopback host is refused unless this is set. */
  allowInsecure?: boolean;
  /** At most this many unacknowledged batches on the wire (backpressure). */
  maxInFlight?: number;
  random?: () => number;
}

const validateMessage = compileValidator(CollectorMessageSchema);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Refuses URLs that would send the agent's secret in the clear to another machine. */
export function agentSocketUrl(base: string, allowInsecure = false): string {
  const url = new URL(base);
  if (url.protocol === 'http:' || url.protocol === 'ws:') {
    if (!LOOPBACK.test(url.hostname) && !allowInsecure) {
      throw new Error(`refusing plain ${url.protocol}// to ${url.hostname}: use https:// or allow insecure transport explicitly`);
    }
    url.protocol = 'ws:';
  } else if (url.protocol === 'https:' || url.protocol === 'wss:') {
    url.protocol = 'wss:';
  } else {
    throw new Error(`unsupported collector URL ${base}`);
  }
  url.pathname = url.pathname.replace(/\/$/, '') + AGENT_WS_PATH;
  return url.toString();
}

/**
 * The agent's link to the collector: hello → welcome, replay of the spool in bounded batches with at
 * most a few unacknowledged on the wire, deletion only on ack, reconnect with jittered backoff.
 */
export class CollectorConnection {
  state: ConnectionState = 'idle';
  lastError: string | null = null;
  connectedAt: number | null = null;
  private socket: WebSocket | null = null;
  private sentUpTo = 0;
  private inFlight: number[] = [];
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private batchLimit: number = LIMITS.maxBatch;
  private readonly url: string;

  constructor(private readonly options: ConnectionOptions) {
    this.url = agentSocketUrl(options.url, options.allowInsecure);
  }

  start(): void {
    if (this.state === 'idle' || this.state === 'waiting') this.connect();
  }

  /** Sends what is new in the spool, if connected; called after each append. */
  pump(): void {
    if (this.state !== 'streaming' || !this.socket) return;
    const maxInFlight = this.options.maxInFlight ?? 4;
    while (this.inFlight.length < maxInFlight) {
      const batch = this.options.spool.read(this.sentUpTo, this.batchLimit);
      if (batch.length === 0) return;
      const upTo = batch.at(-1)!.seq;
      this.socket.send(JSON.stringify({ type: 'results', batch, backlog: this.options.spool.lastSeq - upTo }));
      this.sentUpTo = upTo;
      this.inFlight.push(upTo);
    }
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000, 'agent stopping');
      setTimeout(() => (socket.terminate(), resolve()), 2_000).unref();
    });
  }

  private connect(): void {
    const { options } = this;
    this.state = 'connecting';
    const socket = new WebSocket(this.url, {
      headers: { authorization: `Bearer ${options.agentId}.${options.secret}` },
      maxPayload: LIMITS.maxFrameBytes,
      handshakeTimeout: 15_000,
      ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
      ...(options.pinnedFingerprint ? { rejectUnauthorized: false } : {}),
    });
    this.socket = socket;
    socket.on('upgrade', (response) => {
      if (options.pinnedFingerprint && !this.fingerprintMatches(response.socket as TLSSocket)) {
        this.lastError = 'collector certificate does not match the pinned fingerprint';
        socket.terminate();
      }
    });
    socket.on('open', () => this.onOpen());
    socket.on('message', (data) => this.onMessage(data.toString()));
    socket.on('unexpected-response', (_req, res) => {
      this.lastError = `collector refused the connection: HTTP ${res.statusCode}`;
      options.log.warn({ statusCode: res.statusCode }, 'collector refused the agent');
      res.resume();
      socket.terminate();
    });
    socket.on('error', (error) => {
      this.lastError = error.message;
      options.log.debug({ err: error }, 'collector socket error');
    });
    socket.on('close', (code, reason) => this.onClose(code, reason.toString()));
  }

  private fingerprintMatches(tls: TLSSocket): boolean {
    const raw = tls.getPeerX509Certificate?.() as X509Certificate | undefined;
    const want = this.options.pinnedFingerprint!.replace(/:/g, '').toUpperCase();
    return raw !== undefined && raw.fingerprint256.replace(/:/g, '').toUpperCase() === want;
  }

  private onOpen(): void {
    const { spool, clock } = this.options;
    this.state = 'handshaking';
    this.socket!.send(
      JSON.stringify({
        type: 'hello', protocol: PROTOCOL_VERSION, ...this.options.hello, sentAt: clock(), lastSeq: spool.lastSeq,
        backlog: spool.backlog, configVersion: this.options.configVersion(),
      } satisfies Hello),
    );
  }

  private onMessage(text: string): void {
    let message: CollectorMessage;
    try {
      const value: unknown = JSON.parse(text);
      if (!validateMessage.check(value)) throw new Error(validateMessage.errors(value).join('; '));
      message = value;
    } catch (error) {
      this.options.log.warn({ err: error }, 'ignoring an invalid message from the collector');
      return;
    }
    const { spool, log } = this.options;
    switch (message.type) {
      case 'welcome':
        this.state = 'streaming';
        this.attempt = 0;
        this.connectedAt = this.options.clock();
        this.lastError = null;
        this.batchLimit = Math.min(LIMITS.maxBatch, message.limits.maxBatch);
        spool.ack(message.lastStoredSeq);
        this.sentUpTo = spool.ackedUpTo;
        this.inFlight = [];
        log.info({ lastStoredSeq: message.lastStoredSeq, backlog: spool.backlog }, 'connected to the collector');
        for (const gap of spool.pendingGaps) this.socket!.send(JSON.stringify(gap));
        this.pump();
        return;
      case 'ack':
        spool.ack(message.upTo);
        this.inFlight = this.inFlight.filter((upTo) => upTo > message.upTo);
        this.pump();
        return;
      case 'config':
        this.options.onConfig(message);
        return;
      case 'error':
        this.lastError = `collector: ${message.message}`;
        log.warn({ code: message.code, message: message.message }, 'collector reported an error');
        return;
    }
  }

  private onClose(code: number, reason: string): void {
    this.socket = null;
    this.inFlight = [];
    this.connectedAt = null;
    if (this.state === 'stopped') return;
    const delay = backoffDelay(this.attempt++, this.options.random);
    this.state = 'waiting';
    this.options.log.info({ code, reason, retryInMs: delay, lastError: this.lastError }, 'collector connection closed');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
