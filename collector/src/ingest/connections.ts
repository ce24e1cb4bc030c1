import type { WebSocket } from 'ws';
import { CloseCode } from '@nines/shared';

/** The live agent sockets, one per agent: a second connection replaces the first. */
export class AgentConnections {
  private readonly sockets = new Map<string, WebSocket>();

  add(agentId: string, socket: WebSocket): void {
    const previous = this.sockets.get(agentId);
    if (previous && previous !== socket) previous.close(CloseCode.REPLACED, 'replaced by a newer connection');
    this.sockets.set(agentId, socket);
  }

  remove(agentId: string, socket: WebSocket): boolean {
    if (this.sockets.get(agentId) !== socket) return false;
    this.sockets.delete(agentId);
    return true;
  }

  isConnected(agentId: string): boolean {
    return this.sockets.has(agentId);
  }

  /** Ids of the agents with an open socket. */
  agentIds(): string[] {
    return [...this.sockets.keys()];
  }

  get count(): number {
    return this.sockets.size;
  }

  /** Closes an agent's socket at once, e.g. when it is revoked. */
  close(agentId: string, code: number, reason: string): void {
    this.sockets.get(agentId)?.close(code, reason);
  }

  /** Closes every socket and waits until they are closed (or terminated after graceMs). */
  async closeAll(code: number, reason: string, graceMs = 2_000): Promise<void> {
    const sockets = [...this.sockets.values()];
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            const timer = setTimeout(() => socket.terminate(), graceMs);
            socket.once('close', () => (clearTimeout(timer), resolve()));
            socket.close(code, reason);
          }),
      ),
    );
  }

  send(agentId: string, frame: string): boolean {
    const socket = this.sockets.get(agentId);
    if (!socket) return false;
    socket.send(frame);
    return true;
  }
}
