import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { LIVE_WS_PATH, CloseCode } from '@nines/shared';
import { keepAlive } from '../ingest/agent-socket.ts';
import { identityOf } from '../auth/guards.ts';

/**
 * /ws/live: dashboards receive check and agent deltas for the clients they may see. Read-only. The socket lives
 * only as long as the login or token it was opened with (live-sockets.ts).
 */
export async function liveSocketRoutes(app: FastifyInstance): Promise<void> {
  app.get(LIVE_WS_PATH, { websocket: true, config: { access: 'client' } }, (socket, request) => {
    const identity = identityOf(request);
    keepAlive(socket);
    const unsubscribe = app.nines.hub.subscribe({
      clientIds: identity.clientIds,
      send: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(frame);
      },
    });
    app.nines.liveSockets.add(socket, identity, app.nines.clock());
    socket.on('message', () => socket.close(CloseCode.POLICY, 'the live socket is read-only'));
    socket.on('close', unsubscribe);
  });
}
