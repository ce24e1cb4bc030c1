import { CloseCode } from '@nines/shared';
import type { CollectorContext } from '../context.ts';
import { deliveryStore } from './delivery-store.ts';

export const REVOCATION_SWEEP_MS = 1_000; // `nines-collector agent revoke` from another process takes effect within this

/** Marks an agent revoked and closes its socket at once (for routes and commands inside the collector). */
export function revokeAgentNow(ctx: Pick<CollectorContext, 'store' | 'connections' | 'clock'>, agentId: string): boolean {
  if (!ctx.store.revokeAgent(agentId, ctx.clock())) return false;
  ctx.connections.close(agentId, CloseCode.REVOKED, 'agent revoked');
  return true;
}

/**
 * Closes the sockets of agents revoked by another process (the CLI writes the database directly):
 * every REVOCATION_SWEEP_MS, one query for the revoked ids, compared with the open sockets.
 */
export class RevocationSweep {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: Pick<CollectorContext, 'store' | 'connections'>,
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
  sweep(): string[] {
    const open = this.ctx.connections.agentIds();
    if (open.length === 0) return [];
    const revoked = deliveryStore(this.ctx.store).revokedAgentIds();
    const closed = open.filter((id) => revoked.has(id));
    for (const id of closed) this.ctx.connections.close(id, CloseCode.REVOKED, 'agent revoked');
    return closed;
  }
}
