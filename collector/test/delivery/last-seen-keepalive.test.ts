import t from 'tap';
import type WebSocket from 'ws';
import { hello, nextMessage, startCollector } from '../helpers/collector.ts';

// Issue 15, 8d: a connected agent whose checks run hourly showed "last seen 18 min ago". Keepalive pongs now
// refresh last_seen_at, at most once per heartbeat. Real collector, real ws, a 250 ms heartbeat, an injected clock.
// Short for the test, yet long enough that a busy machine answers each ping before the next (else keepAlive drops it).
const HEARTBEAT_MS = 250;
let now = Date.UTC(2026, 11, 2, 12);
const c = await startCollector({ clock: () => now, heartbeatMs: HEARTBEAT_MS });
t.teardown(() => c.close());

/** Resolves after the collector pinged `count` more times; the socket answers each ping with a pong by itself. */
function pings(socket: WebSocket, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const onClose = (code: number) => reject(new Error(`the collector closed the socket (${code}) while waiting for pings`));
    const onPing = () => { if (++seen >= count) (socket.off('ping', onPing), socket.off('close', onClose), resolve()); };
    socket.on('ping', onPing);
    socket.once('close', onClose);
  });
}

const agent = await c.addAgent();
const socket = await c.agentSocket(await agent);
t.teardown(() => socket.close());
socket.send(JSON.stringify(hello({ sentAt: now })));
await nextMessage(socket); // welcome
const helloAt = now;

t.test('a pong with no results refreshes last seen', async (t) => {
  t.equal((await c.store.getAgent(agent.agentId))!.lastSeenAt, helloAt, 'hello set it');
  now = helloAt + 18 * 60_000;
  // Ping n+2 is only sent once pong n+1 arrived (keepAlive drops a socket that did not answer), so its handler ran.
  await pings(socket, 3);
  t.equal((await c.store.getAgent(agent.agentId))!.lastSeenAt, now, 'no result for 18 min, still seen now');
});

t.test('at most one write per heartbeat interval', async (t) => {
  const written = (await c.store.getAgent(agent.agentId))!.lastSeenAt!;
  now = written + HEARTBEAT_MS - 1;
  await pings(socket, 3);
  t.equal((await c.store.getAgent(agent.agentId))!.lastSeenAt, written, 'pongs within the interval write nothing');
  now = written + HEARTBEAT_MS;
  await pings(socket, 3);
  t.equal((await c.store.getAgent(agent.agentId))!.lastSeenAt, written + HEARTBEAT_MS, 'the next one after it does');
});
