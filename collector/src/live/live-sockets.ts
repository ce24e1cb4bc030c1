import type { WebSocket } from 'ws';
import { CloseCode } from '@nines/shared';
import type { Identity } from '../auth/identity.ts';
import { hashSecret } from '../auth/secrets.ts';

interface Entry {
  socket: WebSocket;
  userId: number;
  sessionHash: string | null;
  tokenId: number | null;
  expiry: NodeJS.Timeout | null;
}

/**
 * The open /ws/live sockets and the credential each was opened with, so a socket never outlives it:
 * logout, deleting the user or the token close it at once, and a timer closes it when the session or token expires.
 */
export class LiveSockets {
  private readonly entries = new Set<Entry>();

  /** `now` comes from the collector's clock, so the expiry timer agrees with the store's notion of expired. */
  add(socket: WebSocket, identity: Identity, now: number): void {
    const entry: Entry = {
      socket, userId: identity.user.id, sessionHash: identity.sessionId === undefined ? null : hashSecret(identity.sessionId),
      tokenId: identity.tokenId ?? null, expiry: null,
    };
    if (identity.expiresAt !== null) {
      entry.expiry = setTimeout(() => this.close(entry, 'the session has expired'), Math.max(0, identity.expiresAt - now));
      entry.expiry.unref();
    }
    this.entries.add(entry);
    socket.on('close', () => this.forget(entry));
  }

  get size(): number {
    return this.entries.size;
  }

  endSession(sessionHash: string): number {
    return this.closeWhere((e) => e.sessionHash === sessionHash, 'logged out');
  }

  endUser(userId: number): number {
    return this.closeWhere((e) => e.userId === userId, 'the user was deleted');
  }

  endToken(tokenId: number): number {
    return this.closeWhere((e) => e.tokenId === tokenId, 'the API token was deleted');
  }

  private closeWhere(match: (entry: Entry) => boolean, reason: string): number {
    let closed = 0;
    for (const entry of [...this.entries]) {
      if (!match(entry)) continue;
      this.close(entry, reason);
      closed++;
    }
    return closed;
  }

  private close(entry: Entry, reason: string): void {
    this.forget(entry);
    // Sent nothing more from here on: the hub skips sockets that are not OPEN, and close() leaves OPEN at once.
    entry.socket.close(CloseCode.UNAUTHORIZED, reason);
  }

  private forget(entry: Entry): void {
    if (entry.expiry) clearTimeout(entry.expiry);
    this.entries.delete(entry);
  }
}
