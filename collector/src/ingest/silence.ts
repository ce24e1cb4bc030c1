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
    private readonly ctx: Pick<CollectorContext, 'store' | 'clock' | 'events' | 'startedAt' | 'connections' | 'leadership'>,
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
    // A new leader reads the marks afresh: the one before it may have set or cleared some since they were read.
    this.ctx.leadership.on('change', this.onLeadership);
    await this.silent();
    const tickMs = this.options.tickMs ?? TICK_MS;
    if (tickMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick().catch((error: unknown) => this.options.onError?.(error)), tickMs);
      this.timer.unref();
    }
  }

  private readonly onLeadership = (leading: boolean) => {
    if (leading) this.silentMarks = null;
  };

  stop(): void {
    this.ctx.leadership.off('change', this.onLeadership);
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

  /**
   * Judges every agent once; returns the ids newly found silent. Only the leader judges (the collectors sharing a
   * database would each judge the others' agents by their last-seen times); it also clears the mark of an agent
   * that another collector heard since, which that one could not know was marked.
   */
  async tick(): Promise<string[]> {
    if (!this.ctx.leadership.leading) return [];
    const now = this.ctx.clock();
    if (now - this.ctx.startedAt < this.startGraceMs) return [];
    const found: string[] = [];
    const silent = await this.silent();
    for (const agent of await this.ctx.store.listAgents()) {
      const since = silent.get(agent.id);
      // Connected and seen after the mark: heard (a disconnect writes its time too, but not connected).
      if (since !== undefined && agent.connected && agent.lastSeenAt !== null && agent.lastSeenAt > since) {
        await this.heard(agent.id, agent.lastSeenAt);
        continue;
      }
      if (agent.revokedAt !== null || since !== undefined) continue;
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
