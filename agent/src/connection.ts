import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect as tlsConnect, rootCertificates, type ConnectionOptions as TlsConnectionOptions, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import {
  AGENT_WS_PATH, CloseCode, CollectorMessageSchema, schemaValidator, LIMITS, PROTOCOL_VERSION,
  type Clock, type CollectorMessage, type ConfigMessage, type Hello, type UpdateMessage,
} from '@nines/shared';
import type { Spool } from './spool.ts';
import { backoffDelay } from './backoff.ts';

/**
 * idle → connecting (TCP/TLS + HTTP upgrade) → handshaking (hello sent, waiting for welcome) → streaming
 * (results out, acks in) → waiting (closed; reconnect after a jittered backoff) → connecting …; stopped is final.
 */
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
  /** The collector publishes a newer build (docs/install.md#upgrade). */
  onUpdate?: (update: UpdateMessage) => void;
  /** CA bundle to trust for wss:// (PEM file), beside the system's. */
  caFile?: string;
  /** SHA-256 fingerprint of the collector's certificate ("AB:CD:…"): trust exactly this one, whoever signed it. */
  pinnedFingerprint?: string;
  /** Plain ws:// to a non-loopback host is refused unless this is set. */
  allowInsecure?: boolean;
  /** At most this many unacknowledged batches on the wire (backpressure). */
  maxInFlight?: number;
  /** No welcome within this long after the upgrade: give up and reconnect. */
  welcomeTimeoutMs?: number;
  /** Nothing from the collector (message or ping) for this long: the link is dead even if TCP has not noticed. */
  silenceTimeoutMs?: number;
  /** Told every state change (tests, status display). */
  onStateChange?: (state: ConnectionState) => void;
  random?: () => number;
}

const validateMessage = schemaValidator(CollectorMessageSchema);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const DEFAULT_MAX_IN_FLIGHT = 4; // enough to hide one round trip on a slow DSL line, few enough not to flood a busy collector
const DEFAULT_WELCOME_TIMEOUT_MS = 30_000;
const DEFAULT_SILENCE_TIMEOUT_MS = 2 * LIMITS.heartbeatMs + 15_000; // two missed collector pings and some slack
const FRAME_OVERHEAD_BYTES = 1024; // `{"type":"results","batch":[…],"backlog":N}` around the results, generously

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

/** "AB:CD:…" or "abcd…" → "ABCD…"; throws on anything that is not 32 bytes of hex. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new Error(`not a SHA-256 fingerprint: "${fingerprint}" (want 64 hex digits, colons allowed)`);
  return hex;
}

/**
 * TLS options for the collector connection. With a pin, the chain is not checked (a self-signed
 * certificate is the usual case) but the certificate must be exactly the pinned one; the check runs
 * when the handshake completes, before the HTTP upgrade with the agent's secret leaves the machine.
 */
export function tlsOptions(options: Pick<ConnectionOptions, 'caFile' | 'pinnedFingerprint'>): Partial<WebSocket.ClientOptions> {
  if (options.pinnedFingerprint) {
    const want = normalizeFingerprint(options.pinnedFingerprint);
    return {
      rejectUnauthorized: false,
      createConnection: ((connectOptions: TlsConnectionOptions & { host?: string; path?: string }) => {
        const servername = connectOptions.servername ?? (connectOptions.host && !isIP(connectOptions.host) ? connectOptions.host : undefined);
        const socket: TLSSocket = tlsConnect({ ...connectOptions, path: undefined, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
        socket.once('secureConnect', () => {
          const got = socket.getPeerX509Certificate()?.fingerprint256.replace(/:/g, '') ?? 'none';
          if (got !== want) socket.destroy(new Error(`collector certificate ${got} does not match the pinned fingerprint ${want}`));
        });
        return socket;
      }) as unknown as WebSocket.ClientOptions['createConnection'],
    };
  }
  if (options.caFile) {
    let ca: Buffer;
    try {
      ca = readFileSync(options.caFile);
    } catch (error) {
      throw new Error(`cannot read the CA file ${options.caFile}: ${(error as Error).message}`, { cause: error });
    }
    // Node's `ca` replaces the built-in roots; keep them so a public certificate still works.
    return { ca: [...rootCertificates, ca.toString('utf8')] };
  }
  return {};
}

/**
 * The agent's link to the collector: hello → welcome, pending gaps, then the spool oldest first in
 * bounded batches with at most a few unacknowledged on the wire; deletion only on ack; reconnect with
 * jittered backoff.
 */
export class CollectorConnection {
  state: ConnectionState = 'idle';
  lastError: string | null = null;
  connectedAt: number | null = null;
  /** Close code of the last connection (e.g. 4403 when revoked), for the status file. */
  lastCloseCode: number | null = null;
  private socket: WebSocket | null = null;
  private sentUpTo = 0;
  private inFlight: number[] = [];
  private sentGaps = new Set<number>();
  /** The seq the collector named in its last error, if any (a refused result). */
  private refusedSeq: number | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private batchLimit: number = LIMITS.maxBatch;
  private frameLimit: number = LIMITS.maxFrameBytes;
  private readonly url: string;
  private readonly tls: Partial<WebSocket.ClientOptions>;

  constructor(private readonly options: ConnectionOptions) {
    this.url = agentSocketUrl(options.url, options.allowInsecure);
    this.tls = this.url.startsWith('wss:') ? tlsOptions(options) : {};
  }

  start(): void {
    if (this.state === 'idle' || this.state === 'waiting') {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.connect();
    }
  }

  /**
   * Sends what is new in the spool, if connected; called after each append. A gap goes out only once every
   * result before it has been sent: its ack moves the spool past it, which must not skip results not yet stored.
   */
  pump(): void {
    if (this.state !== 'streaming' || !this.socket) return;
    const { spool } = this.options;
    const maxInFlight = this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    for (;;) {
      const gap = spool.pendingGaps.find((g) => !this.sentGaps.has(g.fromSeq));
      if (gap && gap.fromSeq <= this.sentUpTo + 1) {
        this.socket.send(JSON.stringify(gap));
        this.sentGaps.add(gap.fromSeq);
        this.sentUpTo = Math.max(this.sentUpTo, gap.toSeq);
        continue;
      }
      if (this.inFlight.length >= maxInFlight) return;
      const batch = spool.read(this.sentUpTo, this.batchLimit, this.frameLimit - FRAME_OVERHEAD_BYTES, gap?.fromSeq ?? Infinity);
      if (batch.length === 0) {
        if (!gap) return;
        this.sentUpTo = gap.fromSeq - 1; // nothing unsent before the gap
        continue;
      }
      const upTo = batch.at(-1)!.seq;
      this.socket.send(JSON.stringify({ type: 'results', batch, backlog: spool.lastSeq - upTo }));
      this.sentUpTo = upTo;
      this.inFlight.push(upTo);
    }
  }

  /** Unacknowledged batches on the wire right now. */
  get batchesInFlight(): number {
    return this.inFlight.length;
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clearWatchdog();
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(CloseCode.NORMAL, 'agent stopping');
      setTimeout(() => (socket.terminate(), resolve()), 2_000).unref();
    });
  }

  private connect(): void {
    const { options } = this;
    this.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, {
        headers: { authorization: `Bearer ${options.agentId}.${options.secret}` },
        maxPayload: LIMITS.maxFrameBytes,
        handshakeTimeout: 15_000,
        ...this.tls,
      });
    } catch (error) {
      this.lastError = (error as Error).message;
      return this.scheduleReconnect(-1, 'cannot open the socket');
    }
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data) => socket === this.socket && this.onMessage(data.toString()));
    socket.on('ping', () => socket === this.socket && this.armWatchdog(this.options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS));
    let refused = false; // the refusal says more than the "closed before established" error that follows it
    socket.on('unexpected-response', (_req, res) => {
      refused = true;
      this.lastError = `collector refused the connection: HTTP ${res.statusCode}${res.statusCode === 403 ? ' (agent revoked)' : ''}`;
      options.log.warn({ statusCode: res.statusCode }, 'collector refused the agent');
      res.resume();
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!refused) this.lastError = error.message;
      options.log.debug({ err: error }, 'collector socket error');
    });
    socket.on('close', (code, reason) => socket === this.socket && this.onClose(code, reason.toString()));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const { spool, clock } = this.options;
    this.setState('handshaking');
    this.armWatchdog(this.options.welcomeTimeoutMs ?? DEFAULT_WELCOME_TIMEOUT_MS);
    socket.send(
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
    if (message.type !== 'welcome' && this.state !== 'streaming') {
      log.warn({ type: message.type }, 'ignoring a message before the welcome');
      return;
    }
    this.armWatchdog(this.options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS);
    switch (message.type) {
      case 'welcome':
        if (this.state !== 'handshaking') return;
        this.setState('streaming');
        this.attempt = 0;
        this.connectedAt = this.options.clock();
        this.lastError = null;
        this.batchLimit = Math.max(1, Math.min(LIMITS.maxBatch, message.limits.maxBatch));
        this.frameLimit = Math.max(FRAME_OVERHEAD_BYTES * 2, Math.min(LIMITS.maxFrameBytes, message.limits.maxFrameBytes));
        if (message.lastStoredSeq > spool.lastSeq) {
          log.warn({ lastStoredSeq: message.lastStoredSeq, spoolLastSeq: spool.lastSeq }, 'the collector has results beyond this spool (spool lost or reset); continuing after them');
        }
        spool.ack(message.lastStoredSeq);
        this.sentUpTo = spool.ackedUpTo;
        this.inFlight = [];
        this.sentGaps.clear();
        log.info({ lastStoredSeq: message.lastStoredSeq, backlog: spool.backlog }, 'connected to the collector');
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
      case 'update':
        this.options.onUpdate?.(message);
        return;
      case 'error':
        this.lastError = `collector: ${message.message}`;
        this.refusedSeq = message.seq ?? null;
        log.warn({ code: message.code, message: message.message }, 'collector reported an error');
        return;
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }

  private armWatchdog(ms: number): void {
    this.clearWatchdog();
    const socket = this.socket;
    this.watchdog = setTimeout(() => {
      if (socket !== this.socket || !socket) return;
      this.lastError = this.state === 'handshaking' ? `no welcome from the collector within ${ms} ms` : `nothing heard from the collector for ${ms} ms`;
      this.options.log.warn({ state: this.state }, this.lastError);
      socket.terminate();
    }, ms);
    this.watchdog.unref?.();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private onClose(code: number, reason: string): void {
    // Batches before the refused one were acknowledged before the close: the refused one is the first in flight.
    const refusedBatch = this.inFlight.length > 0 ? { fromSeq: this.options.spool.ackedUpTo + 1, toSeq: this.inFlight[0]! } : null;
    this.socket = null;
    this.inFlight = [];
    this.connectedAt = null;
    this.lastCloseCode = code;
    this.clearWatchdog();
    if (code === CloseCode.REVOKED) this.lastError = `collector revoked this agent: ${reason}`;
    if (code === CloseCode.REFUSED) this.dropRefused(refusedBatch, reason);
    this.refusedSeq = null;
    if (this.state === 'stopped') return;
    this.scheduleReconnect(code, reason);
  }

  /**
   * A permanent refusal: sending the same results again would be refused again and wedge the stream, so the
   * refused result (or, when the collector did not name it, the refused batch) becomes a gap: UNKNOWN, not lost.
   */
  private dropRefused(batch: { fromSeq: number; toSeq: number } | null, reason: string): void {
    const seq = this.refusedSeq;
    const range = seq !== null ? { fromSeq: seq, toSeq: seq } : batch;
    if (!range || range.toSeq < range.fromSeq) return;
    this.options.log.warn({ ...range, reason }, 'collector refused results for good; they become a gap');
    this.options.spool.refuse(range.fromSeq, range.toSeq, `collector refused: ${reason}`);
  }

  private scheduleReconnect(code: number, reason: string): void {
    const delay = backoffDelay(this.attempt++, this.options.random);
    this.setState('waiting');
    this.options.log.info({ code, reason, retryInMs: delay, lastError: this.lastError }, 'collector connection closed');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
