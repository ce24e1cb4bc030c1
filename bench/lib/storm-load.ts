/**
 * Load process for reconnect-storm: 1,000 simulated agents, each the real CollectorConnection + Spool
 * (agent/src/connection.ts, spool.ts) with a spool directory of its own. Also the ceiling's bare ws clients.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { CollectorConnection } from '../../agent/src/connection.ts';
import { Spool } from '../../agent/src/spool.ts';
import { loadChannel } from './child.ts';
import { inParallel } from './wire-agent.ts';
import type { AgentCredentials } from './collector.ts';

const channel = loadChannel();
const log = pino({ level: 'silent' });
let agents: { spool: Spool; connection: CollectorConnection }[] = [];
let sentResults = 0;
let sentFrames = 0;

// Counts what goes over the wire (in this process only), to tell replays from duplicates.
const originalSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
  if (typeof data === 'string' && data.startsWith('{"type":"results"')) {
    sentFrames++;
    sentResults += data.split('"seq":').length - 1;
  }
  return (originalSend as (...a: unknown[]) => void).call(this, data, ...rest);
} as typeof WebSocket.prototype.send;

function spoolResults(spool: Spool, count: number, from: number): void {
  for (let i = 0; i < count; i++) {
    const at = from + i * 1_200;
    spool.append({ checkId: `check-${String(i % 50).padStart(2, '0')}`, kind: 'tcp', status: 'OK', message: `127.0.0.1:22 connected in 1 ms`, metrics: { latency_ms: 1 }, startedAt: at, finishedAt: at + 1 }, Date.now());
  }
}

const waitFor = async (predicate: () => boolean, timeoutMs: number, what: string) => {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const streaming = () => agents.filter((a) => a.connection.state === 'streaming').length;
const drained = () => agents.filter((a) => a.connection.state === 'streaming' && a.spool.ackedUpTo === a.spool.lastSeq).length;

channel.on(async (message) => {
  if (message.type === 'start') {
    const { url, credentials, dir, before } = message as unknown as { url: string; credentials: AgentCredentials[]; dir: string; before: number };
    agents = credentials.map((c, i) => {
      // sync: false only to make setup fast; replay reads and acks exactly as with fdatasync on.
      const spool = new Spool({ dir: join(dir, `agent-${i}`), sync: false });
      const connection = new CollectorConnection({
        url, agentId: c.agentId, secret: c.secret, spool, clock: Date.now, log,
        hello: { agentVersion: 'bench', hostname: `pc-${i}`, platform: 'linux', bootId: 'bench' }, configVersion: () => 0, onConfig: () => {},
      });
      spoolResults(spool, before, Date.now() - 3_600_000);
      return { spool, connection };
    });
    await inParallel(agents, 100, async (a) => a.connection.start());
    await waitFor(() => drained() === agents.length, 40_000, 'all agents connected and drained before the kill');
    channel.send({ type: 'ready', agents: agents.length });
  } else if (message.type === 'spool') {
    const { count } = message as unknown as { count: number };
    await waitFor(() => streaming() === 0, 10_000, 'every agent to notice the collector is gone');
    const from = Date.now() - count * 1_200;
    for (const a of agents) spoolResults(a.spool, count, from);
    sentResults = 0;
    sentFrames = 0;
    channel.send({ type: 'spooled', backlog: agents.reduce((s, a) => s + a.spool.backlog, 0) });
  } else if (message.type === 'watch') {
    const { timeoutMs } = message as unknown as { timeoutMs: number };
    const started = Date.now();
    let reconnectedAt: number | null = null;
    let drainedAt: number | null = null;
    while (Date.now() - started < timeoutMs) {
      if (reconnectedAt === null && streaming() === agents.length) reconnectedAt = Date.now();
      if (drained() === agents.length) {
        drainedAt = Date.now();
        reconnectedAt ??= drainedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    channel.send({
      type: 'watched', reconnectedAt, drainedAt, streaming: streaming(), drained: drained(), sentResults, sentFrames,
      lastSeqs: agents.map((a) => a.spool.lastSeq), backlog: agents.reduce((s, a) => s + a.spool.backlog, 0),
    });
    await Promise.all(agents.map((a) => a.connection.stop()));
  } else if (message.type === 'bare') {
    const { url, count } = message as unknown as { url: string; count: number };
    const started = performance.now();
    const sockets = await Promise.all(
      Array.from({ length: count }, () => new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      })),
    );
    const ms = performance.now() - started;
    for (const s of sockets) s.terminate();
    channel.send({ type: 'bareDone', ms });
  }
});
