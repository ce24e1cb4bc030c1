import { CloseCode } from '@nines/shared';
import type { CollectorContext } from '../context.ts';
import type { AgentRecord } from '../store/store.ts';

export const REVOCATION_SWEEP_MS = 1_000; // `nines-collector agent revoke` from another process takes effect within this

/** What revoking did: no such agent, revoked now, or revoked already (at `agent.revokedAt`). */
export type Revocation = { outcome: 'unknown' } | { outcome: 'revoked' | 'already'; agent: AgentRecord };

/**
 * The one way an agent is revoked (REST route and CLI): marks it revoked in the store, which refuses its
 * credential from then on, and closes its socket when the caller holds the connections. The CLI runs in
 * another process and holds none: the running collector's RevocationSweep closes the socket instead.
 */
export async function revokeAgent(
  ctx: Pick<CollectorContext, 'store' | 'clock'> & { connections?: Pick<CollectorContext['connections'], 'close'> },
  agentId: string,
): Promise<Revocation> {
  const agent = await ctx.store.getAgent(agentId);
  if (!agent) return { outcome: 'unknown' };
  const now = ctx.clock();
  const already = agent.revokedAt !== null;
  if (!already) await ctx.store.revokeAgent(agentId, now);
  ctx.connections?.close(agentId, CloseCode.REVOKED, 'agent revoked'); // also when revoked before: no socket outlives it
  return already ? { outcome: 'already', agent } : { outcome: 'revoked', agent: { ...agent, revokedAt: now } };
}

/**
 * Closes the sockets of agents revoked by another process (the CLI writes the store directly):
 * every REVOCATION_SWEEP_MS, one query for the revoked ids, compared with the open sockets.
 */
export class RevocationSweep {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: Pick<CollectorContext, 'store'> & { connections: Pick<CollectorContext['connections'], 'agentIds' | 'close'> },
    private readonly intervalMs = REVOCATION_SWEEP_MS,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Closes every open socket of a revoked agent; returns their ids. */
  async sweep(): Promise<string[]> {
    const open = this.ctx.connections.agentIds();
    if (open.length === 0) return [];
    const revoked = await this.ctx.store.delivery.revokedAgentIds();
    const closed = open.filter((id) => revoked.has(id));
    for (const id of closed) this.ctx.connections.close(id, CloseCode.REVOKED, 'agent revoked');
    return closed;
  }
}
