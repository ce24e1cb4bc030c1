import { LIMITS } from '@nines/shared';
import type { CollectorContext } from '../context.ts';
import type { DeliveryRepository } from '../store/delivery.ts';

/** An agent is silent after this long without a frame or a pong: three missed heartbeats, at least 90 s. */
export const SILENCE_AFTER_MS = Math.max(3 * LIMITS.heartbeatMs, 90_000);
/**
 * After the collector starts nobody is judged for this long: agents are reconnecting with backoff
 * (up to 60 s) and each gets the full silence allowance after that.
 */
export const START_GRACE_MS = SILENCE_AFTER_MS + 60_000;
const TICK_MS = 5_000; // judged every 5 s: silence is a 90 s affair, finer is waste

export interface SilenceOptions {
  silenceAfterMs?: number;
  startGraceMs?: number;
  /** Milliseconds between judgements; 0 = no timer (tests call tick()). */
  tickMs?: number;
  /** A judgement on the timer that failed (the store could not be read or written); the next tick tries again. */
  onError?: (error: unknown) => void;
}

/**
 * Decides which agents are silent: not heard from (frame, pong or hello) for SILENCE_AFTER_MS. A silent
 * agent's checks are UNKNOWN, never DOWN and never UP; the mark is kept in the store (store.delivery)
 * so `status --json` from another process sees it, and 'agentSilent' / 'agentHeard' events tell listeners.
 */
export class SilenceMonitor {
  private readonly lastHeard = new Map<string, number>();
  /** The stored marks, read once on first use (a restart keeps its verdicts). */
  private silentMarks: Promise<Map<string, number>> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly delivery: DeliveryRepository;
  readonly silenceAfterMs: number;
  readonly startGraceMs: number;

  constructor(
    private readonly ctx: Pick<CollectorContext, 'store' | 'clock' | 'events' | 'startedAt' | 'connections'>,
    private readonly options: SilenceOptions = {},
  ) {
    this.delivery = ctx.store.delivery;
    this.silenceAfterMs = options.silenceAfterMs ?? SILENCE_AFTER_MS;
    this.startGraceMs = options.startGraceMs ?? START_GRACE_MS;
  }

  private silent(): Promise<Map<string, number>> {
    this.silentMarks ??= this.delivery.silentAgents();
    return this.silentMarks;
  }

  async start(): Promise<void> {
    await this.silent();
    const tickMs = this.options.tickMs ?? TICK_MS;
    if (tickMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick().catch((error: unknown) => this.options.onError?.(error)), tickMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The agent said something: it is not silent (and no longer, if it was). */
  async heard(agentId: string, at: number): Promise<void> {
    this.lastHeard.set(agentId, at);
    const silent = await this.silent();
    const since = silent.get(agentId);
    if (since === undefined) return;
    silent.delete(agentId);
    await this.delivery.setSilentSince(agentId, null);
    const agent = await this.ctx.store.getAgent(agentId);
    if (agent) this.ctx.events.emit('agentHeard', { agentId, clientId: agent.clientId, silentSince: since, at });
  }

  async isSilent(agentId: string): Promise<boolean> {
    return (await this.silent()).has(agentId);
  }

  /** Judges every agent once; returns the ids newly found silent. */
  async tick(): Promise<string[]> {
    const now = this.ctx.clock();
    if (now - this.ctx.startedAt < this.startGraceMs) return [];
    const found: string[] = [];
    const silent = await this.silent();
    for (const agent of await this.ctx.store.listAgents()) {
      if (agent.revokedAt !== null || silent.has(agent.id)) continue;
      const heardAt = Math.max(this.lastHeard.get(agent.id) ?? 0, agent.lastSeenAt ?? agent.createdAt);
      if (now - heardAt <= this.silenceAfterMs) continue;
      silent.set(agent.id, heardAt);
      await this.delivery.setSilentSince(agent.id, heardAt);
      found.push(agent.id);
      this.ctx.events.emit('agentSilent', { agentId: agent.id, clientId: agent.clientId, silentSince: heardAt, at: now });
    }
    return found;
  }
}
