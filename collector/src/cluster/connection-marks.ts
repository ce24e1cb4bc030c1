import type { FastifyBaseLogger } from 'fastify';
import type { CollectorContext } from '../context.ts';

/**
 * The `connected` marks of agents when several collectors share the store. Each collector writes its own instance
 * beside the marks it sets and releases only those (store setConnected). What a killed collector held is released by
 * the leader once that collector's coordination session is gone, and a collector whose own session dropped for a
 * while marks the agents it still holds again when it is back: `status --json`, the dashboards and the silence
 * verdicts then say connected exactly for agents whose socket some running collector holds.
 */
export class ConnectionMarks {
  constructor(
    private readonly ctx: Pick<CollectorContext, 'store' | 'clock' | 'events' | 'connections'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * The leader's part: another collector left, or this one has just begun to lead. Its caller awaits it within the
   * coordination round, so two passes never overlap.
   */
  async releaseOrphaned(): Promise<void> {
    try {
      await this.releaseOnce();
    } catch (error) {
      this.log.warn({ err: error }, 'could not release the connected marks of collectors that are gone');
    }
  }

  private async releaseOnce(): Promise<void> {
    const { store, clock, events } = this.ctx;
    const released = await store.releaseOrphanedConnections();
    if (released.length === 0) return;
    const at = clock();
    this.log.info({ agents: released.length }, 'released the connected marks of agents whose collector is gone');
    for (const agentId of released) {
      const agent = await store.getAgent(agentId);
      if (agent) events.emit('agentConnection', { agentId, clientId: agent.clientId, connected: false, at, released: true });
    }
  }

  /** After this collector's coordination session came back: the agents whose sockets it holds are its own again. */
  async markHeld(): Promise<void> {
    const { store, clock, events, connections } = this.ctx;
    try {
      for (const agentId of connections.agentIds()) {
        const at = clock();
        await store.setConnected(agentId, true, at);
        // A socket that closed meanwhile had its close recorded before or after this mark: undo it in the second case.
        if (!connections.isConnected(agentId)) {
          await store.setConnected(agentId, false, clock());
          continue;
        }
        const agent = await store.getAgent(agentId);
        if (agent) events.emit('agentConnection', { agentId, clientId: agent.clientId, connected: true, at });
      }
    } catch (error) {
      this.log.warn({ err: error }, 'could not mark the agents this collector holds again');
    }
  }
}
