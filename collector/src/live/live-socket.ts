import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { LIVE_WS_PATH, CloseCode } from '@nines/shared';
import { keepAlive } from '../ingest/agent-socket.ts';

/** /ws/live: dashboards receive check and agent deltas for the clients they may see. Read-only. */
export async function liveSocketRoutes(app: FastifyInstance): Promise<void> {
  app.get(LIVE_WS_PATH, { websocket: true }, (socket, request) => {
    const identity = request.identity!;
    keepAlive(socket);
    const unsubscribe = app.nines.hub.subscribe({
      clientIds: identity.clientIds,
      send: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(frame);
      },
    });
    socket.on('message', () => socket.close(CloseCode.POLICY, 'the live socket is read-only'));
    socket.on('close', unsubscribe);
  });
}
