import type {} from '@fastify/websocket';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import {
  AGENT_WS_PATH, CloseCode, LIMITS, PROTOCOL_VERSION, MIN_PLAUSIBLE_TIME_MS,
  type Hello, type Results, type Gap, type CollectorMessage,
} from '@nines/shared';
import { parseAgentFrame } from './frames.ts';
import { authenticateAgent } from './agent-auth.ts';
import { FrameRateLimit, FRAME_BUDGET, describeFrameBudget } from './frame-rate.ts';
import { SilenceMonitor } from './silence.ts';
import { RevocationSweep } from './revocation.ts';
import { IngestBatcher } from './batcher.ts';
import { FrameIntake } from './frame-intake.ts';
import { LastSeenWriter } from './last-seen.ts';
import { AgentQuotas, DEFAULT_INGEST_QUOTA, type IngestQuota } from './quota.ts';
import type { CollectorContext } from '../context.ts';
import { Errors, type ErrorName } from '../errors.ts';

export const FUTURE_TOLERANCE_MS = 5 * 60_000; // NTP-less small-office PCs drift by minutes; more than this is a broken clock

/** The delivery machinery of a running collector, for tests and for routes that revoke or judge silence. */
export interface Delivery {
  silence: SilenceMonitor;
  revocation: RevocationSweep;
  batcher: IngestBatcher;
  intake: FrameIntake;
  quotas: AgentQuotas;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Reliable delivery of a running collector (silence, revocation sweep, batcher, intake, quotas). */
    delivery: Delivery;
  }
}

/** 'closing': a frame was rejected; frames queued before it are still stored and acknowledged, later ones ignored. */
type SessionState = 'awaiting-hello' | 'streaming' | 'closing' | 'closed';

/** One agent's connection: hello → welcome (+ config) → results/gaps with acks after commit. */
class AgentSession {
  private state: SessionState = 'awaiting-hello';
  private clockOffsetMs = 0;
  private readonly rate = new FrameRateLimit(FRAME_BUDGET, performance.now());

  constructor(
    private readonly agentId: string,
    private readonly socket: WebSocket,
    private readonly ctx: CollectorContext,
    private readonly log: FastifyBaseLogger,
    private readonly silence: SilenceMonitor,
    private readonly batcher: IngestBatcher,
    private readonly quotas: AgentQuotas,
  ) {}

  /** The frames and the close of this connection, handled one after the other (each may await the store). */
  private turn: Promise<void> = Promise.resolve();

  /** Runs `work` after everything queued before on this connection; its failure is the returned promise's. */
  enqueue(work: () => Promise<void>): Promise<void> {
    const done = this.turn.then(work);
    this.turn = done.catch(() => {}); // the caller handles the failure; the next frame still runs
    return done;
  }

  /** Settles once everything queued on this connection so far has been handled. */
  idle(): Promise<void> {
    return this.turn;
  }

  /** `receivedAt`: performance.now() when the frame was read from the socket. */
  onFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean, receivedAt: number = performance.now()): Promise<void> {
    return this.enqueue(() => this.handleFrame(data, isBinary, receivedAt));
  }

  private async handleFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean, receivedAt: number): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    // Wall time, not the injected clock: a flood is a matter of real seconds.
    if (!this.rate.take(receivedAt, frameBytes(data))) {
      return this.reject(CloseCode.POLICY, describeFrameBudget(), 'FRAME_RATE_LIMITED');
    }
    const verdict = parseAgentFrame(data, isBinary);
    if (!verdict.ok) {
      const error = verdict.closeCode === CloseCode.TOO_BIG ? 'FRAME_TOO_BIG' : verdict.closeCode === CloseCode.REFUSED ? 'RESULT_REFUSED' : 'FRAME_MALFORMED';
      return this.reject(verdict.closeCode, verdict.reason, error, verdict.seq);
    }
    const message = verdict.message;
    if (message.type === 'hello') return this.onHello(message);
    if (this.state !== 'streaming') return this.reject(CloseCode.PROTOCOL, `${message.type} before hello`, 'FRAME_OUT_OF_ORDER');
    if (message.type === 'results') return this.onResults(message, frameBytes(data));
    return this.onGap(message);
  }

  private async onHello(hello: Hello): Promise<void> {
    if (this.state !== 'awaiting-hello') return this.reject(CloseCode.PROTOCOL, 'second hello', 'FRAME_OUT_OF_ORDER');
    if (hello.protocol !== PROTOCOL_VERSION) return this.reject(CloseCode.PROTOCOL, `protocol ${hello.protocol} not supported (want ${PROTOCOL_VERSION})`, 'FRAME_OUT_OF_ORDER');
    const now = this.ctx.clock();
    this.clockOffsetMs = hello.sentAt - now;
    const { store } = this.ctx;
    await store.recordHello(this.agentId, {
      hostname: hello.hostname, platform: hello.platform, agentVersion: hello.agentVersion, bootId: hello.bootId,
      clockOffsetMs: this.clockOffsetMs, backlog: hello.backlog, seenAt: now,
    });
    const agent = (await store.getAgent(this.agentId))!;
    const config = await store.assignedConfig(this.agentId);
    this.state = 'streaming';
    await store.setConnected(this.agentId, true, now);
    this.quotas.reload(this.agentId);
    await this.silence.heard(this.agentId, now);
    if (hello.lastSeq < agent.lastSeq) {
      this.log.warn({ agentId: this.agentId, agentLastSeq: hello.lastSeq, storedLastSeq: agent.lastSeq }, 'agent spool is behind what is stored (spool lost or reset); it continues after the stored seq');
    }
    this.send({
      type: 'welcome', protocol: PROTOCOL_VERSION, agentId: this.agentId, serverTime: now, lastStoredSeq: agent.lastSeq,
      configVersion: config.version, limits: { maxFrameBytes: LIMITS.maxFrameBytes, maxBatch: LIMITS.maxBatch },
    });
    if (config.version !== hello.configVersion) this.send({ type: 'config', version: config.version, checks: config.checks });
    // After the welcome and config, whenever the setting is read: an agent takes an update at any time.
    this.ctx.upgrade.updateFor(hello.agentVersion).then(
      (update) => update && this.send(update),
      (error: unknown) => this.log.error({ err: error, agentId: this.agentId }, 'could not tell the agent about a newer build'),
    );
    this.log.info({ agentId: this.agentId, hostname: hello.hostname, clockOffsetMs: this.clockOffsetMs, backlog: hello.backlog, lastSeq: hello.lastSeq }, 'agent hello');
    this.ctx.events.emit('agentConnection', { agentId: this.agentId, clientId: agent.clientId, connected: true, at: now });
  }

  private async onResults(message: Results, bytes: number): Promise<void> {
    const now = this.ctx.clock();
    await this.silence.heard(this.agentId, now);
    // A time before any real result, or a result that ends before it starts, is a broken clock or a bug: it
    // would count as availability at a time nothing ran. Refused for good (the agent makes it a gap).
    const implausible = message.batch.find((r) => r.startedAt < MIN_PLAUSIBLE_TIME_MS || r.finishedAt < r.startedAt);
    if (implausible) {
      const why = implausible.finishedAt < implausible.startedAt ? `finishedAt ${implausible.finishedAt} is before startedAt ${implausible.startedAt}` : `startedAt ${implausible.startedAt} is before ${new Date(MIN_PLAUSIBLE_TIME_MS).toISOString()}`;
      return this.reject(CloseCode.REFUSED, `result seq ${implausible.seq} has implausible times: ${why}`, 'RESULT_REFUSED', implausible.seq);
    }
    // Against the collector's clock, not the agent's: a clock an hour ahead would otherwise store an hour
    // of future timestamps. The offset measured at hello is in `status` so the consultant can fix the clock.
    const limit = now + FUTURE_TOLERANCE_MS;
    const future = message.batch.find((r) => r.finishedAt > limit || r.startedAt > limit);
    if (future) {
      const ahead = Math.max(future.startedAt, future.finishedAt) - now;
      return this.reject(
        CloseCode.MALFORMED,
        `result seq ${future.seq} is ${Math.round(ahead / 1000)} s in the future (tolerance ${FUTURE_TOLERANCE_MS / 60_000} min; agent clock offset at hello ${Math.round(this.clockOffsetMs / 1000)} s): fix the agent's clock`,
        'RESULT_FROM_FUTURE',
      );
    }
    // Whole frames only: a frame over the quota is refused before anything of it is stored.
    const quota = await this.quotas.admit(this.agentId, message.batch, bytes, now);
    if (!quota.ok) return this.overQuota(quota.limit, quota.reason, now);
    // Stored by the micro-batcher with other agents' frames of this turn; the ack follows the commit.
    this.batcher.submit({
      owner: this,
      lane: this.agentId,
      weight: message.batch.length,
      isLive: () => this.state !== 'closed',
      apply: async () => {
        const outcome = await this.ctx.store.insertResults(this.agentId, message.batch, now);
        if (outcome.newlyStored.length > 0) await this.ctx.events.resultsInserting({ agentId: this.agentId, inserted: outcome.newlyStored });
        if (message.backlog !== undefined) await this.ctx.store.recordSeen(this.agentId, now, message.backlog);
        const agent = await this.ctx.store.getAgent(this.agentId);
        return () => {
          this.send({ type: 'ack', upTo: Math.max(...message.batch.map((r) => r.seq)) });
          if (!agent) return;
          if (outcome.newlyStored.length > 0) {
            this.ctx.events.emit('resultsStored', { agentId: this.agentId, clientId: agent.clientId, inserted: outcome.newlyStored, receivedAt: now });
          }
          if (outcome.latest.length > 0) this.ctx.events.emit('checksChanged', { agentId: this.agentId, clientId: agent.clientId, latest: outcome.latest });
        };
      },
      failed: (error) => {
        this.log.error({ agentId: this.agentId, err: error }, 'storing results failed; closing so the agent replays');
        this.close(CloseCode.GOING_AWAY, 'storage error, retry later');
      },
    });
  }

  private async overQuota(limit: string, reason: string, now: number): Promise<void> {
    const limits = this.quotas.limits;
    this.log.warn({ agentId: this.agentId, limit, limits }, `agent exceeds its quota: ${reason}; frame refused, nothing of it stored`);
    const agent = await this.ctx.store.getAgent(this.agentId);
    if (agent) this.ctx.events.emit('agentOverQuota', { agentId: this.agentId, clientId: agent.clientId, limit, reason, at: now });
    this.reject(CloseCode.QUOTA, `agent over its quota: ${reason}; retry later`, 'AGENT_OVER_QUOTA');
  }

  private async onGap(reported: Gap): Promise<void> {
    if (reported.toSeq < reported.fromSeq || reported.to < reported.from) return this.reject(CloseCode.MALFORMED, 'gap with end before start', 'FRAME_MALFORMED');
    const now = this.ctx.clock();
    if (reported.to > now + FUTURE_TOLERANCE_MS) return this.reject(CloseCode.MALFORMED, 'gap ends in the future', 'RESULT_FROM_FUTURE');
    await this.silence.heard(this.agentId, now);
    // Queued behind this agent's results frames, so the trimming below sees them stored.
    this.batcher.submit({
      owner: this,
      lane: this.agentId,
      weight: 1,
      isLive: () => this.state !== 'closed',
      apply: async () => {
        // Results the agent dropped after sending (stored, ack lost) are not part of the gap.
        const stored = await this.ctx.store.delivery.newestStoredIn(this.agentId, reported.fromSeq, reported.toSeq);
        const gap = stored ? { ...reported, fromSeq: stored.seq + 1, from: Math.min(reported.to, Math.max(reported.from, stored.finishedAt)) } : reported;
        if (gap.fromSeq > gap.toSeq) return () => this.send({ type: 'ack', upTo: reported.toSeq });
        await this.ctx.store.insertGap(this.agentId, gap);
        const agent = await this.ctx.store.getAgent(this.agentId);
        return () => {
          if (agent) this.ctx.events.emit('gapStored', { agentId: this.agentId, clientId: agent.clientId, gap });
          this.log.warn({ agentId: this.agentId, gap }, 'agent reported a spool gap');
          this.send({ type: 'ack', upTo: gap.toSeq });
        };
      },
      failed: (error) => {
        // A bug or storage error must cost this one connection (the agent replays), never the collector.
        this.log.error({ agentId: this.agentId, err: error }, 'storing a gap failed; closing the socket');
        this.close(1011, 'internal error');
      },
    });
  }

  private send(message: CollectorMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private reject(code: number, fullReason: string, error: ErrorName, seq?: number): void {
    const reason = fullReason.length > 300 ? fullReason.slice(0, 299) + '…' : fullReason; // it may quote the client's junk
    this.log.warn({ agentId: this.agentId, closeCode: code, code: Errors[error].code, reason }, 'agent frame rejected; closing');
    this.state = 'closing';
    // Behind this agent's queued frames: they were valid, so they are stored and acknowledged first.
    const rejectNow = () => {
      this.send({ type: 'error', code: Errors[error].code, message: reason, ...(seq === undefined ? {} : { seq }) });
      this.close(code, reason);
    };
    this.batcher.submit({ owner: this, lane: this.agentId, weight: 0, isLive: () => this.state !== 'closed', apply: async () => rejectNow, failed: rejectNow });
  }

  private close(code: number, reason: string): void {
    this.state = 'closed';
    this.socket.close(code, closeReason(reason));
  }
}

export interface AgentSocketOptions {
  /** The ws ping interval (default LIMITS.heartbeatMs, 30 s); tests shorten it. */
  heartbeatMs?: number;
  /** Per-agent ingest limits (collector config `ingest:`); each unset one has its default. */
  quota?: Partial<IngestQuota>;
}

async function agentSockets(app: FastifyInstance, options: AgentSocketOptions = {}): Promise<void> {
  const ctx = app.nines;
  const heartbeatMs = options.heartbeatMs ?? LIMITS.heartbeatMs;
  const lastSeen = new LastSeenWriter(ctx.store, heartbeatMs);
  const quotas = new AgentQuotas({ ...DEFAULT_INGEST_QUOTA, ...options.quota }, async (agentId) => (await ctx.store.listChecks(agentId)).map((c) => c.id));
  const silence = new SilenceMonitor(ctx, { onError: (error) => app.log.error({ err: error }, 'judging silent agents failed') });
  const revocation = new RevocationSweep(ctx);
  const batcher = new IngestBatcher({
    unitOfWork: (work) => ctx.store.unitOfWork(work), // inside another one it is a savepoint
    parallel: ctx.store.parallelUnitsOfWork ?? 1, // PostgreSQL: agents side by side on the pool; SQLite: its one writer
    onError: (error) => app.log.error({ err: error }, 'post-commit ingest work failed'),
  });
  const intake = new FrameIntake();
  const sessions = new Set<AgentSession>();
  app.decorate('delivery', { silence, revocation, batcher, intake, quotas });
  app.addHook('onReady', async () => {
    await silence.start();
    revocation.start();
  });
  app.addHook('onClose', async () => {
    intake.flushAll();
    // Frames the intake just handed over may still be awaiting the store in their session: they are submitted first.
    await Promise.all([...sessions].map((session) => session.idle()));
    await batcher.stop();
    silence.stop();
    revocation.stop();
  });
  app.get(
    AGENT_WS_PATH,
    {
      websocket: true,
      config: { access: 'agent' }, // authenticated here, by the agent's own credential (preValidation)
      preValidation: async (request, reply) => {
        const auth = await authenticateAgent(request.headers.authorization, ctx.store);
        if (!auth.ok) {
          request.log.warn({ code: auth.code, reason: auth.reason }, 'agent upgrade refused');
          return reply.code(auth.status).send({ code: auth.code, message: auth.reason });
        }
        (request as unknown as { agentId: string }).agentId = auth.agentId;
      },
    },
    (socket, request) => {
      const agentId = (request as unknown as { agentId: string }).agentId;
      const session = new AgentSession(agentId, socket, ctx, request.log, silence, batcher, quotas);
      sessions.add(session);
      ctx.connections.add(agentId, socket);
      keepAlive(socket, heartbeatMs);
      const heard = () => {
        const now = ctx.clock();
        const failed = (error: unknown) => request.log.warn({ agentId, err: error }, 'could not record last seen');
        silence.heard(agentId, now).catch(failed);
        lastSeen.heard(agentId, now).catch(failed);
      };
      socket.on('pong', heard);
      // Parsed and validated in the intake's slices, not in the poll phase that read it (see frame-intake.ts).
      socket.on('message', (data, isBinary) => {
        heard();
        intake.push({
          receivedAt: performance.now(),
          handle: (receivedAt) => {
            session.onFrame(data as Buffer, isBinary, receivedAt).catch((error: unknown) => {
              // A bug must cost this one connection (the agent replays), never the collector.
              request.log.error({ agentId, err: error }, 'agent frame handling failed; closing the socket');
              socket.close(1011, 'internal error');
            });
          },
        });
      });
      socket.on('error', (error) => request.log.warn({ agentId, err: error }, 'agent socket error'));
      socket.on('close', (code) => {
        lastSeen.forget(agentId);
        if (!ctx.connections.remove(agentId, socket)) return void sessions.delete(session);
        request.log.info({ agentId, code }, 'agent disconnected');
        const now = ctx.clock();
        // After the frames queued before it: a hello still being handled must not mark the agent connected after this.
        session.enqueue(async () => {
          // Not released when another collector holds the agent by now (it reconnected there first): no disconnect then.
          if (!(await ctx.store.setConnected(agentId, false, now))) return;
          const agent = await ctx.store.getAgent(agentId);
          if (agent) ctx.events.emit('agentConnection', { agentId, clientId: agent.clientId, connected: false, at: now });
        }).finally(() => sessions.delete(session))
          .catch((error: unknown) => request.log.warn({ agentId, err: error }, 'could not record the disconnect'));
      });
    },
  );
}

function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

/**
 * A close reason within the WebSocket limit of 123 bytes of UTF-8, cut at a character boundary: a
 * reason quoting a client's multibyte text must not make close() throw (the fuzz test found this).
 */
export function closeReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= 123) return reason;
  let end = 120;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a multibyte character
  return bytes.subarray(0, end).toString('utf8');
}

/** Pings every heartbeat interval; a socket that did not answer the previous ping is dropped. */
export function keepAlive(socket: WebSocket, intervalMs: number = LIMITS.heartbeatMs): void {
  let alive = true;
  socket.on('pong', () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  socket.on('close', () => clearInterval(timer));
}

/** /ws/agent and the delivery machinery behind it; not encapsulated, so `app.delivery` is the collector's. */
export const agentSocketRoutes = fp(agentSockets, { name: 'nines-agent-sockets' });
